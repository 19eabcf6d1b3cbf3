// `replcheck/vitest`: the conformance suite as vitest tests, for another project's own test run:
//
//   import { replicationConformanceSuite } from "replcheck/vitest";
//   replicationConformanceSuite({ target: "binary:./build/my-server" });
//
// It registers one test per targeted scenario (the seed behaviours) and one generated campaign.
// Without the target (binary missing, no container runtime) the tests are skipped with the reason,
// unless `strict` (or the environment variable REPLCHECK_STRICT=1) turns that into a failure.

import { describe, expect, it } from "vitest";
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
  /** Start-up options added to the deterministic defaults (e.g. a module to load). */
  nodeConfig?: ServerConfig;
  /** Fail instead of skipping when the target cannot start. Default: REPLCHECK_STRICT=1. */
  strict?: boolean;
  /** Per-test timeout in ms (default 600000). */
  timeoutMs?: number;
}

/** Whether the target can start here, and why not. Checked once, before the tests are registered. */
async function availability(target: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await (await parseTarget(target).make({})).stopAll();
    return { ok: true };
  } catch (e) {
    if (e instanceof TargetUnavailable) return { ok: false, reason: `${e.message} (${e.hint})` };
    throw e;
  }
}

export function scenarioFailure(result: ScenarioResult): string {
  return `${result.reason ?? result.status}\n\n${result.steps.map(stepBlock).join("\n")}`;
}

export async function replicationConformanceSuite(options: ConformanceSuiteOptions): Promise<void> {
  const strict = options.strict ?? process.env.REPLCHECK_STRICT === "1";
  const timeout = options.timeoutMs ?? 600_000;
  const available = await availability(options.target);
  const title = `replcheck conformance: ${options.target}`;
  if (!available.ok) {
    if (strict) {
      describe(title, () => it("has a target that can start", () => expect.fail(`cannot start ${options.target}: ${available.reason}`)));
    } else {
      console.warn(`[replcheck] skipping the ${options.target} conformance suite: ${available.reason}`);
      describe.skip(`${title} (skipped: ${available.reason})`, () => it("conformance", () => {}));
    }
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
        const result = await runCampaign({ ...config(replicas), checkpointEvery: 5, runs, maxSteps: options.steps ?? 25, ...(options.seed === undefined ? {} : { seed: options.seed }) });
        if (result.error !== undefined) expect.fail(`the campaign failed with an error (seed ${result.seed}):\n${result.error}`);
        if (result.counterexample !== undefined) {
          expect.fail(`divergence (replay with --seed ${result.seed} --path ${result.path}):\n${counterexampleText(result.counterexample)}`);
        }
        expect(result.steps).toBeGreaterThan(0);
      });
    }
  });
}
