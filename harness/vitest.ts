// `replcheck/vitest`: the conformance suite as vitest tests, for another project's own test run:
//
//   import { replicationConformanceSuite } from "replcheck/vitest";
//   replicationConformanceSuite({ target: "binary:./build/my-server" });
//
// It registers one test per targeted scenario (the seed behaviours) and one generated campaign.
// A target that cannot start fails the suite. Only what a machine may legitimately lack is skipped
// with the reason: the default `redis-server` when it is not installed, and a container engine for
// image targets; `strict` (or the environment variable REPLCHECK_STRICT=1) makes those fail too.

import { describe, expect, it } from "vitest";
import { campaignVerdict, EXIT_DIVERGED, EXIT_OK } from "./cli/exit-codes.js";
import { replayHint, saveCounterexample } from "./report/scenario-file.js";
import { counterexampleText, stepBlock } from "./report/text.js";
import { runCampaign } from "./run/campaign.js";
import { runScenario, type RunConfig, type ScenarioResult } from "./run/scenario-run.js";
import { unreachableMaster, waitBlocksUnderPartition } from "./run/special-checks.js";
import { TARGETED_SCENARIOS } from "./scenario/targeted.js";
import { deterministicConfig } from "./targets/defaults.js";
import { parseTarget } from "./targets/parse.js";
import { TargetUnavailable, type ServerConfig } from "./targets/target.js";

export interface ConformanceSuiteOptions {
  /** builtin | redis-server | binary:PATH | image:NAME */
  target: string;
  /** Generated scenarios in the campaign (default 30; 0 skips the campaign). */
  runs?: number;
  /** Most generated steps per scenario (default 25). */
  steps?: number;
  /** Replicas next to the first master in generated scenarios (default 2). */
  replicas?: number;
  /** fast-check seed, for a reproducible campaign. */
  seed?: number;
  /** A model profile id (like the CLI's --profile) instead of the one INFO server's version picks. */
  profile?: string;
  /** Start-up options added to the deterministic defaults (e.g. a module to load). */
  nodeConfig?: ServerConfig;
  /**
   * Fail instead of skipping when `redis-server` is not installed or no container engine runs.
   * Default: REPLCHECK_STRICT=1. (An explicit binary:PATH that cannot start always fails.)
   */
  strict?: boolean;
  /** Per-test timeout in ms (default 600000). */
  timeoutMs?: number;
}

/** What the suite does with a target: run it, skip it (with the reason) or fail at once. */
export type SuitePlan = { kind: "run" } | { kind: "skip" | "fail"; reason: string };

/**
 * Whether the target can start here, checked once before the tests are registered. A target that
 * cannot start fails, except what a machine may legitimately lack (the default `redis-server` not
 * installed, no container engine for an image), which is skipped unless `strict`: a path the user
 * named that does not exist is a mistake, and skipping it would pass CI without checking anything.
 */
export async function suitePlan(target: string, strict: boolean): Promise<SuitePlan> {
  try {
    await (await parseTarget(target).make({})).stopAll();
    return { kind: "run" };
  } catch (e) {
    if (!(e instanceof TargetUnavailable)) throw e;
    const reason = `${e.message} (${e.hint})`;
    const mayBeAbsent = target === "redis-server" || target.startsWith("image:");
    return { kind: mayBeAbsent && !strict ? "skip" : "fail", reason };
  }
}

export function scenarioFailure(result: ScenarioResult): string {
  return `${result.reason ?? result.status}\n\n${result.steps.map(stepBlock).join("\n")}`;
}

export async function replicationConformanceSuite(options: ConformanceSuiteOptions): Promise<void> {
  const strict = options.strict ?? process.env.REPLCHECK_STRICT === "1";
  const timeout = options.timeoutMs ?? 600_000;
  const plan = await suitePlan(options.target, strict);
  const title = `replcheck conformance: ${options.target}`;
  if (plan.kind === "fail") {
    describe(title, () => it("has a target that can start", () => expect.fail(`cannot start ${options.target}: ${plan.reason}`)));
    return;
  }
  if (plan.kind === "skip") {
    console.warn(`[replcheck] skipping the ${options.target} conformance suite: ${plan.reason}; set REPLCHECK_STRICT=1 to fail instead`);
    describe.skip(`${title} (skipped: ${plan.reason})`, () => it("conformance", () => {}));
    return;
  }
  const target = parseTarget(options.target);
  const config = (replicas: number): RunConfig => ({
    makeTarget: () => target.make({}),
    replicas,
    nodeConfig: { ...deterministicConfig(), ...options.nodeConfig },
    commandTimeoutMs: 5000,
    settleDeadlineMs: 5000,
    checkpointEvery: 1,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });

  describe(title, () => {
    for (const scenario of TARGETED_SCENARIOS) {
      it(`${scenario.rules.join(" / ")}: ${scenario.name}`, { timeout }, async () => {
        const result = await runScenario(config(scenario.replicas), null, scenario.steps);
        if (result.status !== "passed") expect.fail(scenarioFailure(result));
        expect(result.steps.filter((s) => s.skipped === undefined)).toHaveLength(scenario.steps.length);
      });
    }
    it("WAIT-4: WAIT 1 0 blocks while the only replica is partitioned and returns 1 after the heal", { timeout }, async () => {
      const r = await waitBlocksUnderPartition(await target.make({}), config(1).nodeConfig);
      if (!r.ok) expect.fail(r.details.join("\n"));
    });
    it("LINK-6: a replica cannot reach a master bound to 127.0.0.1: the link stays down, data is served, the error is logged", { timeout }, async () => {
      const r = await unreachableMaster(await target.make({}), config(1).nodeConfig);
      if (!r.ok) expect.fail(r.details.join("\n"));
    });
    const runs = options.runs ?? 30;
    if (runs > 0) {
      it(`generated scenarios (${runs} runs) conform to the model`, { timeout }, async () => {
        const replicas = options.replicas ?? 2;
        const steps = options.steps ?? 25;
        const run = config(replicas);
        const result = await runCampaign({ ...run, checkpointEvery: 5, runs, maxSteps: steps, ...(options.seed === undefined ? {} : { seed: options.seed }) });
        // The same verdict as `replcheck run`: the test passes exactly when the CLI would exit 0.
        const verdict = campaignVerdict(result);
        if (verdict.code === EXIT_OK) return;
        if (verdict.code === EXIT_DIVERGED && result.counterexample !== undefined) {
          const saved = saveCounterexample(result, { target: options.target, replicas, steps, nodeConfig: run.nodeConfig, ...(options.profile === undefined ? {} : { profile: options.profile }) }, process.cwd());
          expect.fail(`divergence (seed ${result.seed}):\n${counterexampleText(result.counterexample)}\n\n${saved === undefined ? "" : replayHint(saved)}`);
        }
        expect.fail(`${verdict.why} (seed ${result.seed})${result.error === undefined ? "" : `:\n${result.error}`}${result.inconclusiveReasons.length === 0 ? "" : `\ninconclusive: ${[...new Set(result.inconclusiveReasons)].join("; ")}`}`);
      });
    }
  });
}
