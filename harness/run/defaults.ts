// The run defaults, in one place: the CLI's option defaults, the vitest entry, the benchmarks and
// the tests all take them from here (node start-up config: targets/defaults.ts).

import { availableParallelism } from "node:os";
import { deterministicConfig } from "../targets/defaults.js";
import { parseTarget } from "../targets/parse.js";
import type { Target } from "../targets/target.js";
import type { CampaignOptions } from "./campaign.js";
import type { RunConfig } from "./scenario-run.js";

export const RUN_DEFAULTS = {
  /** `--target`. */
  target: "builtin",
  /** Per-command timeout: a command without a reply by then is an unknown outcome. */
  commandTimeoutMs: 5000,
  /** How long a step may go without visible progress before the settle deadline passes. */
  settleDeadlineMs: 5000,
  /** Compare dataset digests every N steps (and always at the end). */
  checkpointEvery: 5,
  /** Replicas next to the first master in generated scenarios. */
  replicas: 2,
  /** Most generated steps per scenario. */
  steps: 30,
  /** Most scenarios in a campaign (the time limit usually ends it first). */
  runs: 100_000,
  /** The whole run's time limit, shrinking and reproduction included. */
  timeLimitMs: 60_000,
  /** `--html-all`: how many of the last generated scenarios keep their steps for report.html. */
  htmlAllScenarios: 50,
} as const;

/**
 * `--concurrency`'s default: one cluster per core but one, at least 1. The spare core serves the
 * main thread, which checks every process target's clusters and merges the lanes' events; a loaded
 * step that misses its settle deadline costs a verdict, an idle core only time.
 */
export function defaultConcurrency(cores: number = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/**
 * The vitest entry's own defaults (`replicationConformanceSuite`): a smaller campaign inside a test
 * run, and targeted scenarios that compare datasets after every step.
 */
export const SUITE_DEFAULTS = {
  runs: 30,
  steps: 25,
  /** Targeted scenarios are short: a digest after every step. */
  targetedCheckpointEvery: 1,
  /** Per-test timeout. */
  timeoutMs: 600_000,
} as const;

/** A target: a `--target` value, or a function that makes one. */
export type TargetSource = string | RunConfig["makeTarget"];

function makeTarget(target: TargetSource): () => Promise<Target> {
  if (typeof target !== "string") return target;
  const choice = parseTarget(target);
  return () => choice.make({});
}

/** The fields of `overrides` that are set: an undefined one keeps the default. */
function given<T extends object>(overrides: T): Partial<T> {
  return Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A scenario run's configuration: RUN_DEFAULTS and the deterministic node config, with each field
 * of `overrides` that is not undefined replacing the default (a `nodeConfig` replaces the whole
 * config: spread `deterministicConfig()` into it to add options).
 */
export function runConfig(target: TargetSource, overrides: Partial<Omit<RunConfig, "makeTarget">> = {}): RunConfig {
  return {
    makeTarget: makeTarget(target),
    replicas: RUN_DEFAULTS.replicas,
    nodeConfig: deterministicConfig(),
    commandTimeoutMs: RUN_DEFAULTS.commandTimeoutMs,
    settleDeadlineMs: RUN_DEFAULTS.settleDeadlineMs,
    checkpointEvery: RUN_DEFAULTS.checkpointEvery,
    ...given(overrides),
  };
}

/**
 * A campaign's configuration: runConfig plus RUN_DEFAULTS' runs and steps. No time limit unless
 * `overrides` gives one (the CLI's `--time-limit` defaults to RUN_DEFAULTS.timeLimitMs).
 */
export function campaignConfig(
  target: TargetSource,
  overrides: Partial<Omit<CampaignOptions, "makeTarget">> = {},
): CampaignOptions {
  return {
    ...runConfig(target),
    runs: RUN_DEFAULTS.runs,
    maxSteps: RUN_DEFAULTS.steps,
    ...given(overrides),
  };
}
