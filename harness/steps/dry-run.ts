// The generator run against the model alone, no server: how often generated scenarios reach a
// situation (a resize before a backlog is created, a promotion with sub-replicas, ...). It answers
// "is it never generated, or generated and not seen?" for a bug a campaign misses, in seconds.

import fc from "fast-check";
import {
  type ClusterState,
  createCluster,
  getProfile,
  ModelUnsupported,
  type ProfileId,
  type StepOutcome,
  step as modelStep,
} from "../../model/index.js";
import { modelConfig } from "../run/model-config.js";
import { deterministicConfig } from "../targets/defaults.js";
import { chosenFamilies, type FamilyChoice } from "./families.js";
import { resolve, scenarioArbitrary } from "./generators.js";
import type { RawStep } from "./raw-step.js";
import type { Step } from "./step.js";

export interface DryRunOptions {
  /** Replicas next to the first master (RUN_DEFAULTS.replicas). */
  replicas: number;
  /** Most raw steps per scenario (RUN_DEFAULTS.steps). */
  maxSteps: number;
  runs: number;
  seed: number;
  /** Families and capabilities (default: every family, the builtin target's capabilities). */
  choice?: FamilyChoice;
  profile?: ProfileId;
  /** Raw step kinds removed from each drawn scenario (about the generator without them). */
  drop?: readonly RawStep["t"][];
}

/** One concrete step of a dry run: the model's state before it and the outcome taken. */
export interface DryStep {
  before: ClusterState;
  step: Step;
  outcome: StepOutcome;
}

const BUILTIN_CHOICE: FamilyChoice = { capabilities: { clock: true, pause: true } };

/**
 * Each generated scenario's concrete steps (the initial REPLICAOFs included), as the model runs
 * them taking its first outcome where a step has several; steps the model does not cover are left
 * out, as a live run skips them. Commands are stamped 10 ms apart, and a WAIT's timeout later.
 */
export function* dryRun(options: DryRunOptions): Generator<DryStep[]> {
  const choice = options.choice ?? BUILTIN_CHOICE;
  const names = Array.from({ length: options.replicas + 1 }, (_, i) => `n${i}`);
  const profile = options.profile ?? "builtin";
  const config = modelConfig(getProfile(profile), deterministicConfig());
  const arbitrary = scenarioArbitrary(names.length, options.maxSteps, {
    ...choice,
    only: choice.only ?? chosenFamilies(choice),
  });
  const scenarios = fc.sample(arbitrary, { seed: options.seed, numRuns: options.runs });
  for (const raws of scenarios) {
    let state = createCluster(names.map((name) => ({ name, profile, config })));
    let now = 1_800_000_000_000;
    const steps: DryStep[] = [];
    const apply = (s: Step) => {
      const a = s.action;
      const stamped: Step = a.kind === "command" || a.kind === "transaction" ? { ...s, action: { ...a, now } } : s;
      // A WAIT may take its whole timeout (the silent-replica situation relies on it).
      now += a.kind === "wait" ? a.timeoutMs : 10;
      let outcome: StepOutcome;
      try {
        outcome = modelStep(state, stamped.action)[0];
      } catch (e) {
        if (e instanceof ModelUnsupported) return;
        throw e;
      }
      steps.push({ before: state, step: stamped, outcome });
      state = outcome.state;
    };
    for (const n of names.slice(1)) apply({ action: { kind: "replicaof", node: n, master: names[0] } });
    for (const raw of raws) {
      if (options.drop?.includes(raw.t) === true) continue;
      for (const s of resolve(raw, { state, names, now })) apply(s);
    }
    yield steps;
  }
}

/** How many of the dry run's scenarios `reaches` holds for. */
export function countReaching(options: DryRunOptions, reaches: (steps: readonly DryStep[]) => boolean): number {
  let n = 0;
  for (const steps of dryRun(options)) if (reaches(steps)) n++;
  return n;
}
