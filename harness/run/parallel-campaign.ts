// One campaign split by --shard and run as --concurrency lanes (run/shard.ts says what is split).
// Lanes run at once; their events reach the caller one whole scenario at a time (its steps, then
// the summed progress), so per-scenario records stay intact. The first lane to find a divergence
// (or a harness error) stops the others, then shrinks and replays it alone: shrinking stays
// sequential, and it follows the same fast-check path as an unsplit run that failed there.

import type { Target } from "../targets/target.js";
import type { CampaignOptions, CampaignProgress, CampaignResult } from "./campaign.js";
import { runCampaign } from "./campaign.js";
import { mergeLaneResults } from "./parallel-results.js";
import { type Lane, type LaneEvents, startLocalLane } from "./parallel-lane.js";
import type { LaneCampaignOptions } from "./parallel-worker-protocol.js";
import { startWorkerLane } from "./parallel-worker-lane.js";
import type { StepRecord } from "./scenario-run.js";
import { inShard, laneScenarioIndex, type Shard, WHOLE } from "./shard.js";
import { afterTargeted, noCampaign, runTargetedPhase, targetedDivergence, withTargeted } from "./targeted-phase.js";
import type { TargetMakeOptions } from "../targets/target.js";

/** How a campaign is split and run. */
export interface SplitPlan {
  /** --shard (default: the whole campaign). */
  shard?: Shard;
  /** --concurrency: clusters at once (1 with --path: a path replays one scenario). */
  concurrency?: number;
  /**
   * With more than one lane, run each in a worker thread that makes its targets from this --target value (the
   * built-in target, whose nodes share their thread's event loop). Absent: lanes share this
   * process, which suits targets whose nodes are other processes.
   */
  workers?: { target: string; make: TargetMakeOptions };
  /** A target made for a scenario, in the order the scenarios reach onProgress (in-process lanes). */
  targetMade?(target: Target): void;
}

/** The run index (`--path`) of each scenario in the order its events reached the caller. */
export class ScenarioNumbering {
  private readonly indexes: number[] = [];
  /** One lane: the m-th scenario is the shard's m-th, whether it ended or was interrupted. */
  private shard: Shard | undefined;
  /** The run index of the `ordinal`-th scenario reported (0-based). */
  indexOf(ordinal: number): number {
    if (this.shard !== undefined) return laneScenarioIndex(this.shard, 0, 1, ordinal);
    return this.indexes[ordinal] ?? ordinal;
  }
  /** Numbers scenarios as one lane of `shard` runs them. */
  oneLane(shard: Shard): void {
    this.shard = shard;
  }
  /** Records the next reported scenario's run index. */
  push(index: number): void {
    this.indexes.push(index);
  }
}

/** A seed as fast-check draws one: every lane must explore the same sequence, so it is chosen once here. */
const drawSeed = (): number => Date.now() ^ (Math.random() * 0x100000000);

/**
 * Runs `options` as shard `plan.shard` with `plan.concurrency` clusters at once. `numbering`
 * receives each reported scenario's run index. One lane is the sequential campaign, filtered.
 */
export async function runSplitCampaign(
  options: CampaignOptions,
  plan: SplitPlan,
  numbering: ScenarioNumbering = new ScenarioNumbering(),
): Promise<CampaignResult> {
  if (options.targeted !== true || options.path !== undefined) return runGenerated(options, plan, numbering);
  // Targeted scenarios first (run/targeted-phase.ts); the generated ones get the time they leave.
  const seeded = { ...options, seed: options.seed ?? drawSeed() };
  const phase = await runTargetedPhase(seeded, plan.shard ?? WHOLE);
  if (phase.diverged !== undefined) return targetedDivergence(seeded, phase, seeded.seed);
  if (phase.interrupted || phase.error !== undefined) return withTargeted(noCampaign(seeded.seed, phase), phase);
  const result = withTargeted(await runGenerated(afterTargeted(seeded, phase), plan, numbering), phase);
  return { ...result, elapsedMs: result.elapsedMs + phase.elapsedMs };
}

/** The generated campaign, split by the plan. */
async function runGenerated(
  options: CampaignOptions,
  plan: SplitPlan,
  numbering: ScenarioNumbering,
): Promise<CampaignResult> {
  const shard = plan.shard ?? WHOLE;
  const lanes = options.path === undefined ? Math.max(1, plan.concurrency ?? 1) : 1;
  if (lanes === 1) return runSequential(options, shard, plan, numbering);
  const started = Date.now();
  const seed = options.seed ?? drawSeed();
  const deadline = options.timeLimitMs === undefined ? undefined : started + options.timeLimitMs;
  const merger = new LaneEventMerger(lanes, shard, numbering, started, options, plan.targetMade);
  const running: Lane[] = [];
  let winner: number | undefined;
  const stopOthers = (lane: number) => {
    winner ??= lane;
    for (const [i, l] of running.entries()) if (i !== winner) l.stop();
  };
  for (let lane = 0; lane < lanes; lane++) {
    const events: LaneEvents = {
      step: (r) => merger.step(lane, r),
      progress: (p) => {
        merger.progress(lane, p);
        if (p.failures > 0) stopOthers(lane);
      },
      targetMade: (t) => merger.targetMade(lane, t),
    };
    const place = { shard, lane, lanes };
    running.push(
      plan.workers === undefined
        ? startLocalLane({ ...options, seed }, place, events)
        : startWorkerLane(
            {
              target: plan.workers.target,
              make: plan.workers.make,
              options: laneOptions(options, seed),
              place,
              ...(deadline === undefined ? {} : { deadline }),
            },
            events,
          ),
    );
  }
  // A user's interrupt reaches worker lanes as a stop (local lanes share the signal).
  const onAbort = () => {
    for (const l of running) l.stop();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const settled = await Promise.allSettled(
      running.map((l, lane) =>
        l.result.then(
          (r) => {
            if (r.error !== undefined || r.counterexample !== undefined) stopOthers(lane);
            return r;
          },
          (e: unknown) => {
            stopOthers(lane);
            throw e;
          },
        ),
      ),
    );
    const failed = settled.find((s) => s.status === "rejected");
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    const results = settled.map((s) => (s as PromiseFulfilledResult<CampaignResult>).value);
    return mergeLaneResults(results, {
      seed,
      winner,
      startedAt: started,
      interrupted: options.signal?.aborted === true,
      inconclusiveOrder: merger.inconclusiveOrder,
    });
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** One lane, in this process: the campaign itself with the shard's selection. */
async function runSequential(
  options: CampaignOptions,
  shard: Shard,
  plan: SplitPlan,
  numbering: ScenarioNumbering,
): Promise<CampaignResult> {
  if (options.path === undefined) numbering.oneLane(shard);
  const whole = shard.count === 1;
  return runCampaign({
    ...options,
    ...(plan.targetMade === undefined
      ? {}
      : {
          makeTarget: () => {
            const made = options.makeTarget();
            made.then(
              (t) => plan.targetMade?.(t),
              () => {},
            );
            return made;
          },
        }),
    ...(whole || options.path !== undefined ? {} : { select: (k: number) => inShard(shard, k) }),
  });
}

/**
 * The options a worker lane gets: the plain data of `options` (functions, the signal and class
 * instances such as a history recorder stay here; the worker computes its time limit from the
 * deadline), with the common seed.
 */
function laneOptions(options: CampaignOptions, seed: number): LaneCampaignOptions {
  const plain = Object.entries(options).filter(
    ([key, v]) =>
      key !== "timeLimitMs" &&
      typeof v !== "function" &&
      (v === null || typeof v !== "object" || Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype),
  );
  return { ...(Object.fromEntries(plain) as LaneCampaignOptions), seed };
}

/**
 * Serializes the lanes' events: a lane's steps wait until its scenario ends, then the caller gets
 * that scenario's run index, target, steps and the summed progress, as from one campaign.
 */
class LaneEventMerger {
  private readonly latest: CampaignProgress[];
  private readonly buffered: StepRecord[][];
  private readonly targets: Target[][];
  /** Lane of each inconclusive scenario, in the order reported (to order the merged reasons). */
  readonly inconclusiveOrder: number[] = [];

  constructor(
    lanes: number,
    private readonly shard: Shard,
    private readonly numbering: ScenarioNumbering,
    private readonly started: number,
    private readonly options: CampaignOptions,
    private readonly forwardTarget: ((t: Target) => void) | undefined,
  ) {
    const zero: CampaignProgress = { runs: 0, steps: 0, failures: 0, inconclusive: 0, shrinking: false, elapsedMs: 0 };
    this.latest = Array.from({ length: lanes }, () => ({ ...zero }));
    this.buffered = Array.from({ length: lanes }, () => []);
    this.targets = Array.from({ length: lanes }, () => []);
  }

  step(lane: number, record: StepRecord): void {
    this.buffered[lane].push(record);
  }

  targetMade(lane: number, target: Target): void {
    if (this.forwardTarget !== undefined) this.targets[lane].push(target);
  }

  progress(lane: number, p: CampaignProgress): void {
    const before = this.latest[lane];
    this.latest[lane] = p;
    if (p.runs > before.runs) {
      this.numbering.push(laneScenarioIndex(this.shard, lane, this.latest.length, before.runs));
      if (p.inconclusive > before.inconclusive) this.inconclusiveOrder.push(lane);
      const target = this.targets[lane].shift();
      if (target !== undefined) this.forwardTarget?.(target);
      for (const r of this.buffered[lane]) this.options.onStep?.(r);
    }
    this.buffered[lane] = [];
    this.options.onProgress?.(this.sum());
  }

  private sum(): CampaignProgress {
    const s: CampaignProgress = {
      runs: 0,
      steps: 0,
      failures: 0,
      inconclusive: 0,
      shrinking: false,
      elapsedMs: Date.now() - this.started,
    };
    for (const p of this.latest) {
      s.runs += p.runs;
      s.steps += p.steps;
      s.failures += p.failures;
      s.inconclusive += p.inconclusive;
      s.shrinking ||= p.shrinking;
    }
    return s;
  }
}

/** report.json's scenario records carry their run index as path (`--seed S --path P` runs one again). */
export function numberScenarios(records: { index: number; path?: string }[], numbering: ScenarioNumbering): void {
  for (const r of records) r.path = String(numbering.indexOf(r.index));
}
