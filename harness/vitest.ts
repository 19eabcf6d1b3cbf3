// `replcheck/vitest`: the conformance suite as vitest tests, for another project's own test run:
//
//   import { replicationConformanceSuite } from "replcheck/vitest";
//   replicationConformanceSuite({ target: "binary:./build/my-server" });
//
// It registers one test per targeted scenario (the seed behaviours), the special checks (each skipped
// with the reason on a target without a capability it needs), one generated campaign, and with
// `scenarios: "dir"` one test per scenario file of that folder (a project's kept counterexamples).
// A target that cannot start fails the suite. Only what a machine may legitimately lack is skipped
// with the reason: the default `redis-server` when it is not installed, and a container engine for
// image targets; `strict` (or the environment variable REPLCHECK_STRICT=1) makes those fail too.

import { basename, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { campaignVerdict, EXIT_DIVERGED, EXIT_OK } from "./cli/exit-codes.js";
import { readScenarioFile, replayHint, saveCounterexample } from "./report/scenario-file.js";
import { scenarioFilesIn } from "./report/scenario-folder.js";
import { counterexampleText, stepBlock } from "./report/text.js";
import { runCampaign } from "./run/campaign.js";
import { RUN_DEFAULTS, runConfig, SUITE_DEFAULTS } from "./run/defaults.js";
import { runScenario, type RunConfig, type ScenarioResult } from "./run/scenario-run.js";
import { missingCapabilities, SPECIAL_CHECKS } from "./run/special-checks.js";
import { targetedSkipReason } from "./run/targeted-phase.js";
import { TARGETED_SCENARIOS } from "./scenario/targeted.js";
import { type Family, familyChoiceProblem } from "./steps/families.js";
import { deterministicConfig } from "./targets/defaults.js";
import { parseTarget, type TargetChoice } from "./targets/parse.js";
import { TargetUnavailable, type ServerConfig } from "./targets/target.js";

/** Options of {@link replicationConformanceSuite}. */
export interface ConformanceSuiteOptions {
  /** A `--target` value: builtin | redis-server | binary:PATH | image:NAME[:TAG] (targets/registry.ts). */
  target: string;
  /** Generated scenarios in the campaign (default SUITE_DEFAULTS.runs, 30; 0 skips the campaign). */
  runs?: number;
  /** Most generated steps per scenario (default SUITE_DEFAULTS.steps, 25). */
  steps?: number;
  /** Replicas next to the first master in generated scenarios (default RUN_DEFAULTS.replicas, 2). */
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
  /** Per-test timeout in ms (default SUITE_DEFAULTS.timeoutMs, 600000). */
  timeoutMs?: number;
  /**
   * A folder of scenario files (saved counterexamples, `replcheck-counterexample-*.json`), relative
   * to the working directory: one test per *.json file, in name order, replaying it against the
   * target like `replcheck replay`; a failure's message is the counterexample. An empty or
   * missing folder fails the suite.
   */
  scenarios?: string;
  /** Step families not to generate, like `--skip` (steps/families.ts); targeted scenarios using one are skipped. */
  skip?: Family[];
  /** The only step families to generate, like `--only`; targeted scenarios using another are skipped. */
  only?: Family[];
  /**
   * Like `--timers`: redis-server, binary:PATH and image targets run timer steps by waiting for
   * their real timers (targets/real-time-timers.ts); the builtin target always runs them.
   */
  timers?: boolean;
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
  let choice: TargetChoice | undefined;
  try {
    choice = parseTarget(target);
    await (await choice.make({})).stopAll();
    return { kind: "run" };
  } catch (e) {
    if (!(e instanceof TargetUnavailable)) throw e;
    const reason = `${e.message} (${e.hint})`;
    const mayBeAbsent = e.mayBeAbsent ?? choice?.mayBeAbsent === true;
    return { kind: mayBeAbsent && !strict ? "skip" : "fail", reason };
  }
}

/** A failed test's message: the steps with what the model predicted and the target showed. */
export function scenarioFailure(result: ScenarioResult): string {
  return `${result.reason ?? result.status}\n\n${result.steps.map(stepBlock).join("\n")}`;
}

/**
 * One test per scenario file of `dir`, replayed against the target with the file's replicas and
 * node settings. A file that cannot be read or is not a valid scenario file is a failing test
 * naming it; a folder without scenario files is one failing test.
 */
function registerScenarioFiles(
  dir: string,
  target: TargetChoice,
  options: ConformanceSuiteOptions,
  timeout: number,
): void {
  let files: string[];
  try {
    files = scenarioFilesIn(resolve(dir));
  } catch (e) {
    it(`scenario files in ${dir}`, () => expect.fail((e as Error).message));
    return;
  }
  describe(`scenario files in ${dir}`, () => {
    for (const file of files) {
      it(basename(file), { timeout }, async () => {
        const scenario = readScenarioFile(file);
        const result = await runScenario(
          runConfig(() => target.make({}), {
            replicas: scenario.replicas,
            nodeConfig: scenario.nodeConfig,
            profile: options.profile,
          }),
          null,
          scenario.steps,
        );
        if (result.status === "passed") return;
        const why = result.reason === undefined ? result.status : `${result.status}: ${result.reason}`;
        expect.fail(`${file} ${why}\n\n${counterexampleText(result)}`);
      });
    }
  });
}

/**
 * Registers the conformance suite for `options.target` as vitest tests (call it at the top level of
 * a test file, awaited): targeted scenarios, special checks, a generated campaign and, with
 * `scenarios`, one test per scenario file. A target that cannot start fails; one a machine may
 * lack is skipped with the reason unless `strict`.
 */
export async function replicationConformanceSuite(options: ConformanceSuiteOptions): Promise<void> {
  const strict = options.strict ?? process.env.REPLCHECK_STRICT === "1";
  const timeout = options.timeoutMs ?? SUITE_DEFAULTS.timeoutMs;
  const plan = await suitePlan(options.target, strict);
  const title = `replcheck conformance: ${options.target}`;
  if (plan.kind === "fail") {
    describe(title, () =>
      it("has a target that can start", () => expect.fail(`cannot start ${options.target}: ${plan.reason}`)),
    );
    return;
  }
  if (plan.kind === "skip") {
    console.warn(
      `[replcheck] skipping the ${options.target} conformance suite: ${plan.reason}; set REPLCHECK_STRICT=1 to fail instead`,
    );
    describe.skip(`${title} (skipped: ${plan.reason})`, () => it("conformance", () => {}));
    return;
  }
  const problem = familyChoiceProblem(options);
  if (problem !== undefined) {
    describe(title, () => it("has a usable step family choice", () => expect.fail(problem)));
    return;
  }
  const target = parseTarget(options.target, { timers: options.timers });
  const nodeConfig: ServerConfig = { ...deterministicConfig(), ...options.nodeConfig };
  const config = (replicas: number, checkpointEvery: number): RunConfig =>
    runConfig(() => target.make({}), { replicas, nodeConfig, checkpointEvery, profile: options.profile });

  describe(title, () => {
    for (const scenario of TARGETED_SCENARIOS) {
      // A family left out, or a capability the target lacks (a timer step without --timers).
      const skip = targetedSkipReason(scenario, {
        skip: options.skip,
        only: options.only,
        capabilities: target.capabilities,
      });
      if (skip !== undefined) {
        it.skip(`${scenario.rules.join(" / ")}: ${scenario.name} (skipped: ${skip})`, () => {});
        continue;
      }
      it(`${scenario.rules.join(" / ")}: ${scenario.name}`, { timeout }, async () => {
        const result = await runScenario(
          config(scenario.replicas, SUITE_DEFAULTS.targetedCheckpointEvery),
          null,
          scenario.steps,
        );
        if (result.status !== "passed") expect.fail(scenarioFailure(result));
        expect(result.steps.filter((s) => s.skipped === undefined)).toHaveLength(scenario.steps.length);
      });
    }
    // Checks on live nodes that need more than starting and stopping them: one a target cannot
    // support (a capability it lacks) is registered as skipped, with the reason.
    for (const check of SPECIAL_CHECKS) {
      const missing = missingCapabilities(check, target.capabilities);
      if (missing !== undefined) {
        it.skip(`${check.title} (skipped: ${missing})`, () => {});
        continue;
      }
      it(check.title, { timeout }, async () => {
        const r = await check.run(await target.make({}), nodeConfig);
        if (!r.ok) expect.fail(r.details.join("\n"));
      });
    }
    if (options.scenarios !== undefined) registerScenarioFiles(options.scenarios, target, options, timeout);
    const runs = options.runs ?? SUITE_DEFAULTS.runs;
    if (runs > 0) {
      it(`generated scenarios (${runs} runs) conform to the model`, { timeout }, async () => {
        const replicas = options.replicas ?? RUN_DEFAULTS.replicas;
        const steps = options.steps ?? SUITE_DEFAULTS.steps;
        const result = await runCampaign({
          ...config(replicas, RUN_DEFAULTS.checkpointEvery),
          runs,
          maxSteps: steps,
          families: { skip: options.skip, only: options.only, capabilities: target.capabilities },
          ...(options.seed === undefined ? {} : { seed: options.seed }),
        });
        // The same verdict as `replcheck run`: the test passes exactly when the CLI would exit 0.
        const verdict = campaignVerdict(result);
        if (verdict.code === EXIT_OK) return;
        if (verdict.code === EXIT_DIVERGED && result.counterexample !== undefined) {
          const saved = saveCounterexample(
            result,
            {
              target: options.target,
              replicas,
              steps,
              nodeConfig,
              ...(options.profile === undefined ? {} : { profile: options.profile }),
              ...(options.timers === true ? { timers: true } : {}),
            },
            process.cwd(),
          );
          expect.fail(
            `divergence (seed ${result.seed}):\n${counterexampleText(result.counterexample)}\n\n${saved === undefined ? "" : replayHint(saved)}`,
          );
        }
        expect.fail(
          `${verdict.why} (seed ${result.seed})${result.error === undefined ? "" : `:\n${result.error}`}${result.inconclusiveReasons.length === 0 ? "" : `\ninconclusive: ${[...new Set(result.inconclusiveReasons)].join("; ")}`}`,
        );
      });
    }
  });
}
