// The targeted phase of a run: the hand-written scenarios of scenario/targeted.ts (the seed
// behaviours) run before the generated campaign. They take seconds and reach at once what random
// steps reach rarely, so a server that gets a seed behaviour wrong fails in the first seconds, with
// a counterexample that is already short (it is not shrunk), and the rest of the time limit is not
// spent on generated scenarios that would most likely find the same thing.
//
// With --shard i/n, targeted scenario k runs in shard (k mod n) + 1, like generated scenario k.
// A scenario whose steps use a step family the run leaves out, or need a capability the target
// lacks, is reported as skipped with the reason, never run half.

import type { RuleId } from "../../model/rule-ids.js";
import type { Coverage } from "../report/coverage.js";
import { TARGETED_SCENARIOS, type TargetedScenario } from "../scenario/targeted.js";
import { familyOf, unmetNeeds } from "../steps/actions.js";
import { UnsupportedLiveAction } from "../steps/kind.js";
import { chosenFamilies, type Family, type FamilyChoice } from "../steps/families.js";
import type { Step } from "../steps/step.js";
import { CAPABILITY_MEANING, type Capability, TargetUnavailable } from "../targets/target.js";
import {
  type CampaignOptions,
  type CampaignResult,
  noteProfiles,
  phaseSignal,
  reproduce,
  type RuleStats,
  tally,
} from "./campaign.js";
import { SUITE_DEFAULTS } from "./defaults.js";
import { runScenario, type ScenarioResult } from "./scenario-run.js";
import { inShard, type Shard, WHOLE } from "./shard.js";
import type { TargetedOutcome } from "./targeted-outcome.js";
import { timeBudget } from "./time-budget.js";

/** What the phase hands to the campaign and to the report. */
export interface TargetedPhase {
  outcomes: TargetedOutcome[];
  rules: Map<RuleId, RuleStats>;
  coverage: Coverage;
  steps: number;
  elapsedMs: number;
  /** The first scenario that diverged, with its result (the run's counterexample). */
  diverged?: { outcome: TargetedOutcome; result: ScenarioResult };
  /** A scenario that failed with an exception (a harness or model error). */
  error?: string;
  profile?: string;
  target?: string;
  interrupted: boolean;
}

/** The families a scenario's steps use that the choice leaves out. */
export function familiesLeftOut(steps: readonly Step[], chosen: readonly Family[]): Family[] {
  const used = new Set(steps.map((s) => familyOf(s.action)).filter((f): f is Family => f !== undefined));
  return [...used].filter((f) => !chosen.includes(f));
}

/** Why a targeted scenario cannot run under this family choice and target, or undefined when it can. */
export function targetedSkipReason(scenario: TargetedScenario, choice: FamilyChoice): string | undefined {
  const leftOut = familiesLeftOut(scenario.steps, chosenFamilies(choice));
  if (leftOut.length > 0) return `uses ${leftOut.join(", ")}, which this run leaves out`;
  if (choice.capabilities === undefined) return undefined;
  const capabilities = { ...choice.capabilities } as Record<Capability, boolean>;
  const needs = [...new Set(unmetNeeds(scenario.steps, capabilities).flatMap((u) => u.needs))];
  if (needs.length > 0) return `needs ${needs.map((c) => CAPABILITY_MEANING[c]).join(" and ")}`;
  return undefined;
}

/** Why the scenarios after a divergence did not run. */
const NOT_AFTER_DIVERGENCE = "not run: an earlier targeted scenario diverged";

/**
 * Runs the targeted scenarios of `shard` one after another on fresh clusters, within the options'
 * time limit and signal. The first divergence ends the phase (the later scenarios are listed as
 * skipped): on a server with a bug each scenario can wait out settle deadlines, and the time left
 * goes to replaying the counterexample. A TargetUnavailable ends the phase by propagating.
 */
export async function runTargetedPhase(
  options: CampaignOptions,
  shard: Shard = WHOLE,
  scenarios: readonly TargetedScenario[] = TARGETED_SCENARIOS,
): Promise<TargetedPhase> {
  const budget = timeBudget(Date.now(), options.timeLimitMs);
  const phase: TargetedPhase = {
    outcomes: [],
    rules: new Map(),
    coverage: { counts: new Map() },
    steps: 0,
    elapsedMs: 0,
    interrupted: false,
  };
  const userStopped = () => options.signal?.aborted === true;
  for (const [index, scenario] of scenarios.entries()) {
    if (!inShard(shard, index)) continue;
    const base = { index, name: scenario.name, rules: scenario.rules };
    const skip = targetedSkipReason(scenario, options.families ?? {});
    if (skip !== undefined) {
      phase.outcomes.push({ ...base, status: "skipped", reason: skip, steps: 0, elapsedMs: 0 });
      continue;
    }
    if (userStopped()) {
      phase.interrupted = true;
      break;
    }
    if (phase.diverged !== undefined) {
      phase.outcomes.push({ ...base, status: "skipped", reason: NOT_AFTER_DIVERGENCE, steps: 0, elapsedMs: 0 });
      continue;
    }
    if (Date.now() >= budget.exploreEnd) {
      phase.outcomes.push({ ...base, status: "skipped", reason: "the time limit ended first", steps: 0, elapsedMs: 0 });
      continue;
    }
    const started = Date.now();
    const signal = phaseSignal(options.signal, budget.exploreEnd);
    let steps = 0;
    let result: ScenarioResult;
    try {
      result = await runScenario(
        {
          ...options,
          replicas: scenario.replicas,
          checkpointEvery: SUITE_DEFAULTS.targetedCheckpointEvery,
          ...(signal === undefined ? {} : { signal }),
          onStep: (record) => {
            if (record.skipped !== undefined || record.unknown !== undefined) return;
            steps++;
            tally(phase.rules, phase.coverage, record);
          },
        },
        null,
        scenario.steps,
      );
    } catch (e) {
      if (e instanceof TargetUnavailable) throw e;
      // A step the made target cannot carry out (a timer without the clock), when the caller
      // could not say what the target can do before making it (a function target of the API).
      if (e instanceof UnsupportedLiveAction) {
        const elapsedMs = Date.now() - started;
        phase.outcomes.push({ ...base, status: "skipped", reason: e.message, steps, elapsedMs });
        continue;
      }
      phase.error = `targeted scenario "${scenario.name}": ${(e as Error)?.stack ?? String(e)}`;
      phase.outcomes.push({ ...base, status: "inconclusive", reason: "failed with an error", steps, elapsedMs: 0 });
      break;
    }
    phase.steps += steps;
    phase.profile ??= result.profile;
    phase.target ??= result.target;
    noteProfiles(phase.coverage, result);
    const outcome: TargetedOutcome = {
      ...base,
      ...outcomeOf(result, scenario),
      steps,
      elapsedMs: Date.now() - started,
    };
    phase.outcomes.push(outcome);
    if (outcome.status === "diverged") phase.diverged ??= { outcome, result };
    if (outcome.status === "interrupted") {
      // The user's signal stops the phase; the time limit only this scenario (the rest are skipped).
      if (userStopped()) {
        phase.interrupted = true;
        break;
      }
      outcome.status = "skipped";
      outcome.reason = "the time limit ended first";
    }
  }
  phase.elapsedMs = Date.now() - budget.start;
  return phase;
}

/** A passed scenario that skipped steps (the model could not predict one) did not run as written. */
function outcomeOf(result: ScenarioResult, scenario: TargetedScenario): Pick<TargetedOutcome, "status" | "reason"> {
  const run = result.steps.filter((s) => s.skipped === undefined).length;
  if (result.status === "passed" && run < scenario.steps.length)
    return {
      status: "inconclusive",
      reason: `${scenario.steps.length - run} of its ${scenario.steps.length} steps were not applied`,
    };
  return { status: result.status, ...(result.reason === undefined ? {} : { reason: result.reason }) };
}

/** The campaign's options once the phase has run: its time limit is what the phase left. */
export function afterTargeted(options: CampaignOptions, phase: TargetedPhase): CampaignOptions {
  if (options.timeLimitMs === undefined) return options;
  return { ...options, timeLimitMs: Math.max(1000, options.timeLimitMs - phase.elapsedMs) };
}

/**
 * The run's result when a targeted scenario diverged: that scenario is the counterexample (already
 * short: it is not shrunk), replayed from its steps like a shrunk one, and no campaign runs.
 */
export async function targetedDivergence(
  options: CampaignOptions,
  phase: TargetedPhase,
  seed: number,
): Promise<CampaignResult> {
  const diverged = phase.diverged!;
  const started = Date.now() - phase.elapsedMs;
  const result: CampaignResult = {
    ...noCampaign(seed, phase),
    failures: 1,
    counterexample: diverged.result,
    profile: diverged.result.profile,
    target: diverged.result.target,
  };
  result.reproduced = await reproduce(options, diverged.result, timeBudget(started, options.timeLimitMs));
  result.interrupted = options.signal?.aborted === true;
  result.elapsedMs = Date.now() - started;
  return withTargeted(result, phase);
}

/** The run's result when the phase ended it (interrupted, or a scenario failed with an error): no campaign ran. */
export function noCampaign(seed: number, phase: TargetedPhase): CampaignResult {
  return {
    runs: 0,
    steps: 0,
    failures: 0,
    inconclusive: 0,
    shrinking: false,
    elapsedMs: phase.elapsedMs,
    seed,
    rules: new Map(),
    coverage: { counts: new Map() },
    inconclusiveReasons: [],
    interrupted: phase.interrupted,
  };
}

/** The campaign's result with the phase's outcomes, rule statistics and clause coverage added. */
export function withTargeted(result: CampaignResult, phase: TargetedPhase): CampaignResult {
  const rules = new Map(result.rules);
  for (const [rule, s] of phase.rules) {
    const r = rules.get(rule) ?? { checked: 0, failed: 0 };
    rules.set(rule, { checked: r.checked + s.checked, failed: r.failed + s.failed });
  }
  const coverage: Coverage = {
    counts: new Map([...(result.coverage?.counts ?? [])].map(([rule, m]) => [rule, new Map(m)])),
    ...(result.coverage?.profile === undefined ? {} : { profile: result.coverage.profile }),
    ...(result.coverage?.mixed === undefined ? {} : { mixed: result.coverage.mixed }),
  };
  for (const [rule, clauses] of phase.coverage.counts) {
    const m = coverage.counts.get(rule) ?? new Map<string, number>();
    for (const [clause, n] of clauses) m.set(clause, (m.get(clause) ?? 0) + n);
    coverage.counts.set(rule, m);
  }
  if (coverage.profile === undefined && coverage.mixed === undefined) {
    if (phase.coverage.profile !== undefined) coverage.profile = phase.coverage.profile;
    if (phase.coverage.mixed !== undefined) coverage.mixed = phase.coverage.mixed;
  }
  const inconclusive = phase.outcomes
    .filter((o) => o.status === "inconclusive")
    .map((o) => `targeted scenario "${o.name}": ${o.reason ?? "unknown outcome"}`);
  return {
    ...result,
    rules,
    coverage,
    profile: result.profile ?? phase.profile,
    target: result.target ?? phase.target,
    inconclusiveReasons: [...inconclusive, ...result.inconclusiveReasons],
    interrupted: result.interrupted || phase.interrupted,
    ...(phase.error === undefined || result.error !== undefined ? {} : { error: phase.error }),
    targeted: { outcomes: phase.outcomes, steps: phase.steps, elapsedMs: phase.elapsedMs },
  };
}
