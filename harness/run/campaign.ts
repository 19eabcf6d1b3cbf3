// A campaign: many generated scenarios through fast-check, shrinking the first divergence to a
// short counterexample and replaying it to see whether it reproduces, all inside one time limit,
// with per-rule statistics over every step checked outside shrinking.

import fc from "fast-check";
import type { RuleId } from "../../model/rule-ids.js";
import { getProfile } from "../../model/profile.js";
import { tallyCoverage, type Coverage } from "../report/coverage.js";
import type { FamilyChoice } from "../steps/families.js";
import { scenarioArbitrary } from "../steps/generators.js";
import type { RawStep } from "../steps/raw-step.js";
import { TargetUnavailable } from "../targets/target.js";
import type { CampaignHistory, ScenarioRun } from "./campaign-history.js";
import type { LiveCluster } from "../live/cluster.js";
import { runScenario, startLiveCluster, type RunConfig, type ScenarioResult, type StepRecord } from "./scenario-run.js";
import type { TargetedOutcome } from "./targeted-outcome.js";
import { timeBudget, type TimeBudget } from "./time-budget.js";

export interface CampaignOptions extends RunConfig {
  /** Most scenarios to run (the time limit may stop earlier). */
  runs: number;
  /** Bounds the whole run: exploration, shrinking and reproduction (see run/time-budget.ts). */
  timeLimitMs?: number;
  /** Replay: fast-check's seed and path of a reported counterexample. */
  seed?: number;
  path?: string;
  /** Most raw steps per scenario. */
  maxSteps: number;
  /** Which step families scenarios draw from (--skip/--only; default all: steps/families.ts). */
  families?: FamilyChoice;
  /** Replays of the shrunk counterexample from its steps, to tell a deterministic divergence from a timing one (default 3). */
  reproductions?: number;
  /** The user's interrupt (SIGINT/SIGTERM): no scenario starts after it, the running one stops between steps. */
  signal?: AbortSignal;
  /**
   * Which of the seed's generated scenarios (fast-check's run index, 0-based) this campaign runs:
   * the others pass without starting anything (--shard, --concurrency: run/shard.ts). Default: all.
   */
  select?(index: number): boolean;
  onProgress?(progress: CampaignProgress): void;
  /** Records every scenario run's timing, and the steps of as many generated scenarios as it keeps (report.html). */
  history?: CampaignHistory;
  /**
   * Run the targeted scenarios (scenario/targeted.ts) before the generated ones, within the same
   * time limit (run/targeted-phase.ts; runSplitCampaign does it). Never with `path`.
   */
  targeted?: boolean;
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
  /** Per rule, over the scenarios generated (shrinking and reproduction re-runs excluded). */
  rules: Map<RuleId, RuleStats>;
  /**
   * Per rule and clause, the checked steps that took it, over the same steps as `rules`
   * (harness/report/coverage.ts). runCampaign always sets it; results built by hand may omit it.
   */
  coverage?: Coverage;
  /** The shrunk counterexample, re-checked: every step with predictions and observations. */
  counterexample?: ScenarioResult;
  counterexampleRaws?: RawStep[];
  /** A scenario that failed with an exception (a harness or model error), if any. */
  error?: string;
  /** Scenarios stopped by an unknown outcome (a command without reply in time, a settle deadline), with the reason. */
  inconclusiveReasons: string[];
  profile?: string;
  target?: string;
  /** The run was stopped by its signal (SIGINT/SIGTERM) before it ended. */
  interrupted: boolean;
  /** How often the counterexample diverged again when replayed from its steps (`of` < requested when time ran out). */
  reproduced?: { diverged: number; of: number; requested: number };
  /** Shrinking of the counterexample: shrinks done, and whether its budget cut it short. */
  shrink?: { numShrinks: number; stopped: boolean };
  /** The targeted scenarios run before the campaign (run/targeted-phase.ts), when the run had them. */
  targeted?: { outcomes: TargetedOutcome[]; steps: number; elapsedMs: number };
}

export class Divergence extends Error {}

/** The run's profile(s) for the coverage's "possible" clauses, from the first scenario that names them. */
export function noteProfiles(coverage: Coverage, result: ScenarioResult): void {
  if (coverage.profile !== undefined || coverage.mixed !== undefined) return;
  if (result.profileId !== undefined) coverage.profile = getProfile(result.profileId);
  else if (result.mixedProfileIds !== undefined) coverage.mixed = result.mixedProfileIds.map(getProfile);
}

/** Adds one checked step to the per-rule statistics and the clause coverage. */
export function tally(rules: Map<RuleId, RuleStats>, coverage: Coverage, record: StepRecord): void {
  if (record.unknown === undefined) tallyCoverage(coverage, record.clauses ?? []);
  for (const c of record.checks) {
    const s = rules.get(c.rule) ?? { checked: 0, failed: 0 };
    s.checked++;
    if (!c.ok) s.failed++;
    rules.set(c.rule, s);
  }
}

/** Stops fast-check's iteration (exploration or shrinking) and keeps the smallest failure found so far. */
const stopIterating = (): never => {
  throw new fc.PreconditionFailure(true);
};

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const budget = timeBudget(Date.now(), options.timeLimitMs);
  const started = budget.start;
  const rules = new Map<RuleId, RuleStats>();
  const coverage: Coverage = { counts: new Map() };
  const progress: CampaignProgress = {
    runs: 0,
    steps: 0,
    failures: 0,
    inconclusive: 0,
    shrinking: false,
    elapsedMs: 0,
  };
  const inconclusiveReasons: string[] = [];
  let lastFailure: { result: ScenarioResult; raws: RawStep[] } | undefined;
  let unavailable: TargetUnavailable | undefined;
  let profile: string | undefined;
  let target: string | undefined;
  const userStopped = () => options.signal?.aborted === true;

  const report = () => options.onProgress?.({ ...progress, elapsedMs: Date.now() - started });
  // The next scenario's nodes start while the current one runs (process start-up overlaps).
  let next: Promise<LiveCluster> | undefined;
  const prefetch = (): Promise<LiveCluster> => {
    const p = startLiveCluster(options);
    p.catch(() => {}); // its error surfaces when the next scenario awaits it
    return p;
  };
  // fast-check's run index of the scenario being explored (a --path starts at its first number).
  let explored = options.path === undefined ? -1 : Number(options.path.split(":")[0]) - 1;
  const property = fc.asyncProperty(
    scenarioArbitrary(options.replicas + 1, options.maxSteps, options.families),
    async (raws) => {
      const phaseEnd = progress.shrinking ? budget.shrinkEnd : budget.exploreEnd;
      if (unavailable !== undefined || userStopped() || Date.now() >= phaseEnd) stopIterating();
      if (!progress.shrinking && options.select !== undefined && !options.select(++explored)) return true;
      const cluster = next ?? prefetch();
      next = prefetch();
      const signal = phaseSignal(options.signal, phaseEnd);
      // Timed for report.html's "scenarios over time", with fast-check's run index (report.json's).
      const index = options.select === undefined ? progress.runs : explored;
      const run: Omit<ScenarioRun, "status" | "endedAt" | "steps"> = progress.shrinking
        ? { phase: "shrink", startedAt: Date.now() }
        : { phase: "explore", index, startedAt: Date.now() };
      const timed = (status: ScenarioRun["status"], steps: number): ScenarioRun => ({
        ...run,
        status,
        endedAt: Date.now(),
        steps,
      });
      let result: ScenarioResult;
      try {
        result = await runScenario(
          {
            ...options,
            ...(signal === undefined ? {} : { signal }),
            onStep: (record) => {
              if (progress.shrinking) return;
              progress.steps++;
              tally(rules, coverage, record);
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
          stopIterating();
        }
        options.history?.record(timed("error", 0));
        throw e;
      }
      options.history?.record(timed(result.status, result.steps.length), result);
      profile ??= result.profile;
      target ??= result.target;
      noteProfiles(coverage, result);
      if (result.status === "interrupted") stopIterating();
      if (!progress.shrinking) progress.runs++;
      if (result.status === "inconclusive" && !progress.shrinking) {
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
    },
  );

  const details = await fc.check(property, {
    numRuns: options.runs,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
    // Every scenario starts fresh servers; the budget above bounds time, not fast-check's own timers.
    endOnFailure: false,
  });
  if (next !== undefined)
    await next.then(
      (c) => c.close(),
      () => {},
    );
  if (unavailable !== undefined) throw unavailable;

  const result: CampaignResult = {
    ...progress,
    shrinking: false,
    elapsedMs: Date.now() - started,
    seed: details.seed,
    rules,
    coverage,
    inconclusiveReasons,
    profile,
    target,
    interrupted: userStopped(),
  };
  // An interruption before any failure is not one (fast-check reports it as failed with no counterexample).
  if (details.failed && details.counterexample !== null) {
    const divergedLast = details.errorInstance instanceof Divergence;
    if (!divergedLast) {
      const e = details.errorInstance as Error | undefined;
      result.error = e?.stack ?? e?.message ?? "the property failed without an error";
      result.failures = Math.max(result.failures, 1);
      result.counterexampleRaws = details.counterexample[0];
    }
    // fast-check's path leads to the last failure; when a shrink attempt ended in an error instead,
    // the divergence found before it is still the counterexample (replayable from its scenario file).
    if (divergedLast) result.path = details.counterexamplePath ?? undefined;
    if (lastFailure !== undefined) {
      result.counterexample = lastFailure.result;
      result.counterexampleRaws = lastFailure.raws;
      result.shrink = { numShrinks: details.numShrinks, stopped: details.interrupted };
      result.reproduced = await reproduce(options, lastFailure.result, budget);
    } else if (!divergedLast) {
      result.path = details.counterexamplePath ?? undefined;
    }
  }
  result.elapsedMs = Date.now() - started;
  return result;
}

/** Aborted by the user's signal or at the end of the current phase, whichever comes first. */
export function phaseSignal(user: AbortSignal | undefined, phaseEnd: number): AbortSignal | undefined {
  if (phaseEnd === Infinity) return user;
  // Whole milliseconds: a budget derived from an odd --time-limit can be fractional (RangeError).
  const timeout = AbortSignal.timeout(Math.max(1, Math.ceil(phaseEnd - Date.now())));
  return user === undefined ? timeout : AbortSignal.any([user, timeout]);
}

/**
 * Replay the counterexample's concrete steps (what its scenario file holds) on fresh nodes, as
 * `replcheck replay` would: a divergence that reproduces k of n times tells a deterministic bug
 * from one that depends on timing.
 */
export async function reproduce(
  options: CampaignOptions,
  counterexample: ScenarioResult,
  budget: TimeBudget,
): Promise<CampaignResult["reproduced"]> {
  const requested = options.reproductions ?? 3;
  let diverged = 0;
  let of = 0;
  for (let i = 0; i < requested; i++) {
    if (options.signal?.aborted === true || Date.now() >= budget.end) break;
    const signal = phaseSignal(options.signal, budget.end);
    const replay = await runScenario(
      { ...options, ...(signal === undefined ? {} : { signal }), onStep: undefined },
      null,
      counterexample.executed,
    );
    if (replay.status === "interrupted") break;
    of++;
    if (replay.status === "diverged") diverged++;
  }
  return { diverged, of, requested };
}
