// A campaign: many generated scenarios through fast-check, shrinking the first divergence to a
// short counterexample, with per-rule statistics over every step checked.

import fc from "fast-check";
import { scenarioArbitrary, type RawStep } from "../scenario/raw.js";
import { TargetUnavailable } from "../targets/target.js";
import type { LiveCluster } from "../live/cluster.js";
import { runScenario, startLiveCluster, type RunConfig, type ScenarioResult, type StepRecord } from "./scenario-run.js";

export interface CampaignOptions extends RunConfig {
  /** Most scenarios to run (the time limit may stop earlier). */
  runs: number;
  /** Stop starting new scenarios after this long (shrinking a found divergence still completes). */
  timeLimitMs?: number;
  /** Replay: fast-check's seed and path of a reported counterexample. */
  seed?: number;
  path?: string;
  /** Most raw steps per scenario. */
  maxSteps: number;
  /** The user's interrupt (SIGINT/SIGTERM): no scenario starts after it, the running one stops between steps. */
  signal?: AbortSignal;
  onProgress?(progress: CampaignProgress): void;
}

export interface RuleStats {
  checked: number;
  failed: number;
}

export interface CampaignProgress {
  runs: number;
  steps: number;
  failures: number;
  inconclusive: number;
  shrinking: boolean;
  elapsedMs: number;
}

export interface CampaignResult extends CampaignProgress {
  seed: number;
  /** The fast-check path of the shrunk counterexample (for --seed S --path P). */
  path?: string;
  rules: Map<string, RuleStats>;
  /** The shrunk counterexample, re-checked: every step with predictions and observations. */
  counterexample?: ScenarioResult;
  counterexampleRaws?: RawStep[];
  /** A scenario that failed with an exception (a harness or model error), if any. */
  error?: string;
  /** Scenarios stopped by an unknown outcome (a command without reply in time), with the reason. */
  inconclusiveReasons: string[];
  profile?: string;
  target?: string;
  /** The run was stopped by its signal (SIGINT/SIGTERM) before it ended. */
  interrupted: boolean;
  /** How often the counterexample diverged again when replayed from its scenario file. */
  reproduced?: { diverged: number; of: number };
  /** Shrinking of the counterexample: shrinks done, and whether its budget cut it short. */
  shrink?: { numShrinks: number; stopped: boolean };
}

export class Divergence extends Error {}

function tally(rules: Map<string, RuleStats>, record: StepRecord): void {
  for (const c of record.checks) {
    const s = rules.get(c.rule) ?? { checked: 0, failed: 0 };
    s.checked++;
    if (!c.ok) s.failed++;
    rules.set(c.rule, s);
  }
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const started = Date.now();
  const rules = new Map<string, RuleStats>();
  const progress: CampaignProgress = { runs: 0, steps: 0, failures: 0, inconclusive: 0, shrinking: false, elapsedMs: 0 };
  const inconclusiveReasons: string[] = [];
  let lastFailure: { result: ScenarioResult; raws: RawStep[] } | undefined;
  let unavailable: TargetUnavailable | undefined;
  let profile: string | undefined;
  let target: string | undefined;

  const report = () => options.onProgress?.({ ...progress, elapsedMs: Date.now() - started });
  // The next scenario's nodes start while the current scenario runs (process start-up overlaps).
  let next: Promise<LiveCluster> | undefined;
  const prefetch = (): Promise<LiveCluster> => {
    const p = startLiveCluster(options);
    p.catch(() => {}); // its error surfaces when the next scenario awaits it
    return p;
  };
  const property = fc.asyncProperty(scenarioArbitrary(options.replicas + 1, options.maxSteps), async (raws) => {
    if (unavailable !== undefined) return true;
    let result: ScenarioResult;
    const cluster = next ?? prefetch();
    next = prefetch();
    try {
      result = await runScenario(
        {
          ...options,
          onStep: (record) => {
            progress.steps++;
            tally(rules, record);
            options.onStep?.(record);
          },
        },
        raws,
        undefined,
        cluster,
      );
    } catch (e) {
      if (e instanceof TargetUnavailable) {
        unavailable = e;
        return true;
      }
      throw e;
    }
    profile ??= result.profile;
    target ??= result.target;
    if (!progress.shrinking) progress.runs++;
    if (result.status === "inconclusive") {
      progress.inconclusive++;
      inconclusiveReasons.push(result.reason ?? "unknown outcome");
    }
    if (result.status === "diverged") {
      if (!progress.shrinking) progress.failures++;
      progress.shrinking = true;
      lastFailure = { result, raws: [...raws] };
      report();
      throw new Divergence(result.reason);
    }
    report();
    return true;
  });

  const details = await fc.check(property, {
    numRuns: options.runs,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
    ...(options.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: options.timeLimitMs }),
    markInterruptAsFailure: false,
    // Every scenario starts fresh servers; no need for fast-check's own timeouts.
    endOnFailure: false,
  });
  if (next !== undefined) await next.then((c) => c.close(), () => {});
  if (unavailable !== undefined) throw unavailable;

  const result: CampaignResult = {
    ...progress,
    shrinking: false,
    elapsedMs: Date.now() - started,
    seed: details.seed,
    rules,
    inconclusiveReasons,
    profile,
    target,
    interrupted: options.signal?.aborted ?? false,
  };
  if (details.failed) {
    result.path = details.counterexamplePath ?? undefined;
    if (details.errorInstance instanceof Divergence && lastFailure !== undefined) {
      result.counterexample = lastFailure.result;
      result.counterexampleRaws = lastFailure.raws;
    } else {
      const e = details.errorInstance as Error | undefined;
      result.error = e?.stack ?? e?.message ?? "the property failed without an error";
      result.failures = Math.max(result.failures, 1);
      if (details.counterexample !== null) result.counterexampleRaws = details.counterexample[0];
    }
  }
  return result;
}
