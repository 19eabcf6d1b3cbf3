// replcheck's public API: the package's main export (`import { runCampaign } from "replcheck"`).
// It covers what a user composes: run a campaign, replay a scenario file, make targets, and turn
// results into reports (text, JUnit, exit codes). Everything here is documented where it is
// exported (test/package/api-docs.test.ts checks it); the modules behind it are not part of the
// API and may change. The vitest suite is `replcheck/vitest`, the built-in server
// `replcheck/server`, the reference model `replcheck/model`.

import {
  campaignVerdict as campaignVerdictOf,
  EXIT_CANNOT_START,
  EXIT_DIVERGED,
  EXIT_INCONCLUSIVE,
  EXIT_OK,
  EXIT_SIGINT,
  EXIT_SIGTERM,
  scenarioVerdict as scenarioVerdictOf,
} from "./cli/exit-codes.js";
import type { Check as CheckRecord } from "./check/compare.js";
import { junitXml as junitXmlOf, type JunitOptions as JunitOptionsOf } from "./report/junit.js";
import {
  parseScenario as parseScenarioOf,
  readScenarioFile as readScenarioFileOf,
  replayHint as replayHintOf,
  saveCounterexample as saveCounterexampleOf,
  ScenarioFileError as ScenarioFileErrorOf,
  type RunOrigin as RunOriginOf,
  type SavedCounterexample as SavedCounterexampleOf,
  type ScenarioFile as ScenarioFileOf,
} from "./report/scenario-file.js";
import {
  RUN_REPORT_FORMAT as RUN_REPORT_FORMAT_OF,
  type RunReport as RunReportOf,
  type ScenarioRecord as ScenarioRecordOf,
} from "./report/run-report.js";
import { MATRIX_SCHEMA as MATRIX_SCHEMA_OF } from "./matrix/matrix-schema.js";
import { matrixErrors as matrixErrorsOf } from "./matrix/matrix-validation.js";
import { runReportErrors as runReportErrorsOf } from "./report/report-validation.js";
import { RUN_REPORT_SCHEMA as RUN_REPORT_SCHEMA_OF } from "./report/run-report-schema.js";
import {
  counterexampleText as counterexampleTextOf,
  progressLine as progressLineOf,
  ruleTable as ruleTableOf,
  stepBlock,
} from "./report/text.js";
import type {
  CampaignProgress as CampaignProgressOf,
  CampaignResult as CampaignResultOf,
  RuleStats as RuleStatsOf,
} from "./run/campaign.js";
import { campaignConfig, RUN_DEFAULTS as RUN_DEFAULTS_OF, runConfig } from "./run/defaults.js";
import { runSplitCampaign as runSplitCampaignOf, type SplitPlan } from "./run/parallel-campaign.js";
import { parseShard as parseShardOf } from "./run/shard.js";
import {
  runScenario,
  type ScenarioResult as ScenarioResultOf,
  type StepRecord as StepRecordOf,
} from "./run/scenario-run.js";
import type { NodeSummary as NodeSummaryOf } from "./run/summary.js";
import type { Step as StepOf } from "./steps/step.js";
import {
  createBinaryTarget as createBinaryTargetOf,
  type BinaryTarget as BinaryTargetOf,
  type BinaryTargetOptions as BinaryTargetOptionsOf,
} from "./targets/binary.js";
import { createBuiltinTarget as createBuiltinTargetOf } from "./targets/builtin.js";
import { deterministicConfig as deterministicConfigOf } from "./targets/defaults.js";
import { createImageTarget as createImageTargetOf } from "./targets/image.js";
import { parseTarget as parseTargetOf, type TargetChoice as TargetChoiceOf } from "./targets/parse.js";
import { targetSynopsis } from "./targets/registry.js";
import {
  TargetUnavailable as TargetUnavailableOf,
  type NodeHandle as NodeHandleOf,
  type ServerConfig as ServerConfigOf,
  type Target as TargetOf,
  type TargetCapabilities as TargetCapabilitiesOf,
  type TargetMakeOptions as TargetMakeOptionsOf,
} from "./targets/target.js";
import { replcheckVersion } from "./version.js";
import { MATRIX_FORMAT as MATRIX_FORMAT_OF, type Matrix as MatrixOf } from "./matrix/matrix.js";
import {
  runMatrix as runMatrixOf,
  type MatrixRun as MatrixRunOf,
  type MatrixRunOptions as MatrixRunOptionsOf,
} from "./matrix/run-matrix.js";

// ---- targets ----

/**
 * A live target: starts Redis-compatible nodes, restarts and stops them. Made from a `--target`
 * value by {@link parseTarget}, or directly by {@link createBuiltinTarget},
 * {@link createBinaryTarget} and {@link createImageTarget}.
 */
export type Target = TargetOf;

/** One node a {@link Target} started: its address, log file, restart and stop. */
export type NodeHandle = NodeHandleOf;

/** What a target can do beyond starting and stopping nodes; checks that need more are skipped with the reason. */
export type TargetCapabilities = TargetCapabilitiesOf;

/** Redis-style start-up options, `--name value` on a command line; a list gives an option several arguments. */
export type ServerConfig = ServerConfigOf;

/** Where a target keeps each node's directory (log, RDB), and whether it stays after the run. */
export type TargetMakeOptions = TargetMakeOptionsOf;

/** A parsed `--target` value: its kind, capabilities, and how to make the target. */
export type TargetChoice = TargetChoiceOf;

/** Options of {@link createBinaryTarget}: the executable and its start and stop deadlines. */
export type BinaryTargetOptions = BinaryTargetOptionsOf;

/** A target whose nodes are processes of one Redis-compatible executable. */
export type BinaryTarget = BinaryTargetOf;

/**
 * A target could not start (missing binary, taken port, no container engine, testcontainers not
 * installed, an unknown `--target` value). `message` says what, `hint` what to do; the CLI exits 2.
 */
export const TargetUnavailable = TargetUnavailableOf;
/** A target could not start; see the constant of the same name. */
export type TargetUnavailable = TargetUnavailableOf;

/**
 * The target a `--target` value names: `builtin`, `redis-server`, `binary:PATH` or
 * `image:NAME[:TAG]`. Throws {@link TargetUnavailable} for a value of no known form; nothing starts
 * until `make()` is called.
 */
export function parseTarget(spec: string): TargetChoice {
  return parseTargetOf(spec);
}

/** The `--target` forms, as usage text: `builtin|redis-server|binary:PATH|image:NAME[:TAG]`. */
export function targetForms(): string {
  return targetSynopsis();
}

/** replcheck's own server, in process (`--target builtin`). */
export function createBuiltinTarget(options: TargetMakeOptions = {}): Promise<Target> {
  return createBuiltinTargetOf(options);
}

/**
 * Any Redis-compatible executable, one process per node (`--target binary:PATH`; `redis-server`
 * is `{ binary: "redis-server" }`, looked up in PATH). Throws {@link TargetUnavailable} if it
 * cannot run at all.
 */
export function createBinaryTarget(options: BinaryTargetOptions): Promise<BinaryTarget> {
  return createBinaryTargetOf(options);
}

/** Options of {@link createImageTarget}. */
export interface ImageTargetOptions extends TargetMakeOptions {
  /** NAME[:TAG], e.g. `redis:7.4`, `valkey/valkey:8`, or an image from `replcheck image build`. */
  image: string;
  /** How long a node may take to answer PING after its container starts (default 30 s). */
  readyDeadlineMs?: number;
  /** How long a SHUTDOWN before a restart may take before the container is removed by force (default 5 s). */
  stopDeadlineMs?: number;
}

/**
 * Containers of one image, one per node (`--target image:NAME[:TAG]`). Needs the optional peer
 * dependency `testcontainers` (`npm install testcontainers@~11.14`) and a local container engine;
 * without either it throws {@link TargetUnavailable} saying so.
 */
export function createImageTarget(options: ImageTargetOptions): Promise<Target> {
  return createImageTargetOf(options);
}

/**
 * The deterministic start-up options every node gets (no cron PINGs, no saves, no AOF, fixed
 * timeouts): spread it into a `nodeConfig` to add options of your own.
 */
export function deterministicConfig(): ServerConfig {
  return deterministicConfigOf();
}

// ---- running ----

/** The CLI's defaults for `replcheck run` (runs, steps, replicas, time limit, deadlines). */
export const RUN_DEFAULTS = RUN_DEFAULTS_OF;

/** A target: a `--target` value, or a function that makes a fresh {@link Target} (called once per scenario). */
export type TargetSource = string | (() => Promise<Target>);

/** Options of {@link runCampaign}; every field but `target` has the CLI's default. */
export interface CampaignRunOptions {
  /** What to check: a `--target` value (`"redis-server"`, `"binary:./build/my-server"`, ...) or a function that makes a target. */
  target: TargetSource;
  /** Most scenarios to run (`--runs`); the time limit usually ends the run first. */
  runs?: number;
  /** Most generated steps per scenario (`--steps`, default 30). */
  steps?: number;
  /** Replicas next to the first master (`--replicas`, default 2). */
  replicas?: number;
  /** The whole run's time limit in ms, shrinking and reproduction included (`--time-limit`; default: none). */
  timeLimitMs?: number;
  /** fast-check seed (`--seed`), for a reproducible campaign. */
  seed?: number;
  /** fast-check path of a counterexample (`--path`, with `seed`): runs exactly that scenario. */
  path?: string;
  /** A model profile id (`--profile`, e.g. `"redis-7.2"`) instead of the one INFO server's version picks. */
  profile?: string;
  /** Start-up options of every node (default {@link deterministicConfig}; this replaces it, spread it to add options). */
  nodeConfig?: ServerConfig;
  /** With a `--target` value: keep every node's directory (log, RDB) under this folder, as `--out DIR` does in `DIR/nodes`. */
  nodeDirectory?: string;
  /** `--shard`: `"i/n"` runs the seed's scenarios k with k mod n = i-1 (give every shard the same `seed`). */
  shard?: string;
  /**
   * `--concurrency`: clusters checked at once (default 1 here). A `"builtin"` target runs each in
   * a worker thread; other targets, and a target function, run them side by side in this thread.
   */
  concurrency?: number;
  /** Stops the run between steps: no new scenario starts, the result says `interrupted`. */
  signal?: AbortSignal;
  /**
   * Run the targeted scenarios (hand-written seed behaviours, a few seconds) before the generated
   * ones, as `replcheck run` does unless `--no-targeted` (default true; never with `path`).
   */
  targeted?: boolean;
  /** Called after every scenario (and when shrinking starts) with the counts so far. */
  onProgress?: (progress: CampaignProgress) => void;
  /** Called after every checked step of a generated scenario (not during shrinking). */
  onStep?: (record: StepRecord) => void;
}

/** What {@link runCampaign} returns: the result and the verdict `replcheck run` would exit with. */
export interface CampaignRun {
  /** Counts, per-rule statistics, the shrunk counterexample if any, seed and path. */
  result: CampaignResult;
  /** The exit code `replcheck run` would return for this result, and why. */
  verdict: Verdict;
}

function targetMaker(target: TargetSource, nodeDirectory: string | undefined): () => Promise<Target> {
  if (typeof target !== "string") return target;
  const choice = parseTargetOf(target);
  return () => choice.make(nodeDirectory === undefined ? {} : { workRoot: nodeDirectory, keepLogs: true });
}

/**
 * Runs a campaign, as `replcheck run` does: generated scenarios against live nodes, every step
 * compared with the model, the first divergence shrunk and replayed. Throws
 * {@link TargetUnavailable} when the target cannot start; every other outcome is in the result
 * (`verdict.code` 0 passed, 1 diverged, 3 no verdict, 130/143 interrupted).
 */
export async function runCampaign(options: CampaignRunOptions): Promise<CampaignRun> {
  const { target, steps, nodeDirectory, shard, concurrency, ...rest } = options;
  const config = campaignConfig(targetMaker(target, nodeDirectory), {
    ...rest,
    maxSteps: steps,
    targeted: rest.targeted ?? true,
    // What a named target can do decides which step kinds are drawn, as for `replcheck run`; a
    // function target's is known only once made (steps needing a capability are then left out).
    ...(typeof target === "string" ? { families: { capabilities: parseTargetOf(target).capabilities } } : {}),
  });
  const plan: SplitPlan = {
    ...(shard === undefined ? {} : { shard: parseShardOf(shard) }),
    ...(concurrency === undefined ? {} : { concurrency }),
  };
  if (typeof target === "string" && parseTargetOf(target).kind === "builtin")
    plan.workers = { target, make: nodeDirectory === undefined ? {} : { workRoot: nodeDirectory, keepLogs: true } };
  const result = await runSplitCampaignOf(config, plan);
  return { result, verdict: campaignVerdictOf(result, result.interrupted ? "SIGINT" : undefined) };
}

/** Options of {@link replayScenario}. */
export interface ReplayOptions {
  /** What to replay on: a `--target` value or a function that makes a target. */
  target: TargetSource;
  /** A model profile id instead of the one INFO server's version picks. */
  profile?: string;
  /** Stops the replay between steps. */
  signal?: AbortSignal;
  /** Called after every step with its predictions, observations and checks. */
  onStep?: (record: StepRecord) => void;
}

/** What {@link replayScenario} returns. */
export interface Replay {
  /** The scenario file as read and validated. */
  scenario: ScenarioFile;
  /** Every step's record and the scenario's status (passed, diverged, inconclusive, interrupted). */
  result: ScenarioResult;
  /** The exit code `replcheck replay` would return, and why. */
  verdict: Verdict;
}

/**
 * Replays a scenario file (or one already read) step by step, without fast-check, as `replcheck
 * replay FILE` does. Throws {@link ScenarioFileError} for a file that cannot be replayed (before
 * any node starts) and {@link TargetUnavailable} when the target cannot start.
 */
export async function replayScenario(scenario: string | ScenarioFile, options: ReplayOptions): Promise<Replay> {
  const file = typeof scenario === "string" ? readScenarioFileOf(scenario) : parseScenarioOf(scenario);
  const result = await runScenario(
    runConfig(targetMaker(options.target, undefined), {
      replicas: file.replicas,
      nodeConfig: file.nodeConfig,
      profile: options.profile,
      signal: options.signal,
      onStep: options.onStep,
    }),
    null,
    file.steps,
  );
  return {
    scenario: file,
    result,
    verdict: scenarioVerdictOf(result, result.status === "interrupted" ? "SIGINT" : undefined),
  };
}

// ---- results ----

/** A campaign's outcome: counts, per-rule statistics, seed/path, the counterexample, errors. */
export type CampaignResult = CampaignResultOf;

/** A campaign's counts so far: scenarios, steps checked, failures, inconclusive, elapsed ms. */
export type CampaignProgress = CampaignProgressOf;

/** How often one rule was checked and failed. */
export type RuleStats = RuleStatsOf;

/** One scenario's outcome: status, reason, every step's record, the steps run. */
export type ScenarioResult = ScenarioResultOf;

/** One step: what was applied, the reply, every node's predicted and observed state, the checks. */
export type StepRecord = StepRecordOf;

/** One comparison of a step: node, field, the rule it enforces, predicted and observed values. */
export type Check = CheckRecord;

/** A node's state in one line per field (role, link, offset, replid, backlog, syncs), predicted or observed. */
export type NodeSummary = NodeSummaryOf;

/** One concrete step of a scenario (a model action with its node and arguments). */
export type Step = StepOf;

/** An exit code and the one line that explains it. */
export interface Verdict {
  /** See {@link EXIT_CODES}. */
  code: number;
  /** One line, e.g. `every check held (120 steps in 9 scenarios)`. */
  why: string;
}

/** The exit codes of every replcheck command, also the `code` of a {@link Verdict}. */
export const EXIT_CODES = {
  /** Every check held, and at least one step was checked. */
  ok: EXIT_OK,
  /** A divergence from the model was found. */
  diverged: EXIT_DIVERGED,
  /** Cannot start, or bad usage. */
  cannotStart: EXIT_CANNOT_START,
  /** No verdict: nothing checked, every scenario inconclusive, or an error in replcheck itself. */
  inconclusive: EXIT_INCONCLUSIVE,
  /** Interrupted by SIGINT. */
  sigint: EXIT_SIGINT,
  /** Interrupted by SIGTERM. */
  sigterm: EXIT_SIGTERM,
} as const;

/** The verdict of a campaign result; `signal` is the interrupt that stopped it, if any. */
export function campaignVerdict(result: CampaignResult, signal?: "SIGINT" | "SIGTERM"): Verdict {
  return campaignVerdictOf(result, signal);
}

/** The verdict of one replayed scenario; `signal` is the interrupt that stopped it, if any. */
export function scenarioVerdict(result: ScenarioResult, signal?: "SIGINT" | "SIGTERM"): Verdict {
  return scenarioVerdictOf(result, signal);
}

// ---- reports ----

/** The progress line `replcheck run` shows while it runs. */
export function progressLine(progress: CampaignProgress): string {
  return progressLineOf(progress);
}

/** The table of rules with how often each was checked and failed. */
export function ruleTable(rules: ReadonlyMap<string, RuleStats>): string {
  return ruleTableOf(rules);
}

/**
 * A counterexample as `replcheck run` prints it: the numbered steps, each with its reply and every
 * node's predicted → observed state, what differed and the rule broken.
 */
export function counterexampleText(result: ScenarioResult): string {
  return counterexampleTextOf(result);
}

/** One step as `replcheck replay` prints it. */
export function stepText(record: StepRecord): string {
  return stepBlock(record);
}

/** Options of {@link junitXml}. */
export type JunitOptions = JunitOptionsOf;

/**
 * JUnit XML for CI systems: one test case per rule, failed when the counterexample breaks it,
 * skipped when nothing checked it. `counterexample` is the text to attach ({@link counterexampleText}).
 */
export function junitXml(result: CampaignResult, counterexample?: string, options: JunitOptions = {}): string {
  return junitXmlOf(result, counterexample, options);
}

/** A saved scenario: replicas, node config, origin (target, seed, path, rule broken) and every step. */
export type ScenarioFile = ScenarioFileOf;

/** How the run that found a counterexample was started: what a command line replaying it repeats. */
export type RunOrigin = RunOriginOf;

/** The scenario file written for a counterexample and the command lines that replay it. */
export type SavedCounterexample = SavedCounterexampleOf;

/** A scenario file that cannot be replayed; the message names the file and the field. */
export const ScenarioFileError = ScenarioFileErrorOf;
/** A scenario file that cannot be replayed; see the constant of the same name. */
export type ScenarioFileError = ScenarioFileErrorOf;

/** Reads and validates a scenario file completely; throws {@link ScenarioFileError} naming the first bad field. */
export function readScenarioFile(path: string): ScenarioFile {
  return readScenarioFileOf(path);
}

/** Validates parsed JSON as a scenario file; throws {@link ScenarioFileError} naming the first bad field. */
export function parseScenario(parsed: unknown): ScenarioFile {
  return parseScenarioOf(parsed);
}

/**
 * Writes a campaign's counterexample as `replcheck-counterexample-SEED.json` in `dir` and returns
 * the command lines that replay it; undefined when the result has no counterexample.
 */
export function saveCounterexample(
  result: CampaignResult,
  origin: RunOrigin,
  dir: string,
): SavedCounterexample | undefined {
  return saveCounterexampleOf(result, origin, dir);
}

/** The lines printed under a counterexample: how to rerun it and how to replay its file. */
export function replayHint(saved: SavedCounterexample): string {
  return replayHintOf(saved);
}

/** The `format` of the report.json that `replcheck run --out DIR` writes: check it before reading one. */
export const RUN_REPORT_FORMAT = RUN_REPORT_FORMAT_OF;

/**
 * report.json of `replcheck run --out DIR`: format, replcheck version, options, start and end
 * times, exit code and verdict, one {@link ScenarioRecord} per generated scenario, then the
 * campaign's result fields (counts, `rules`, `coverage`, the counterexample).
 */
export type RunReport = RunReportOf;

/** One generated scenario in report.json: index, path (with the run's seed), status, steps, failed rules, node directory. */
export type ScenarioRecord = ScenarioRecordOf;

/**
 * The JSON Schema (draft-07, with ajv's `nullable`) of report.json, format replcheck-report/1; the
 * package also ships it as the file schemas/report.schema.json (node_modules/replcheck/schemas/).
 */
export const RUN_REPORT_SCHEMA: object = RUN_REPORT_SCHEMA_OF;

/**
 * What is wrong with a parsed report.json (format replcheck-report/1), one line per problem, each
 * naming the field by its JSON path (`/scenarios/0/status: must be equal to one of ...`); empty
 * when it conforms to {@link RUN_REPORT_SCHEMA}.
 */
export function runReportErrors(value: unknown): string[] {
  return runReportErrorsOf(value);
}

/**
 * The JSON Schema of matrix.json (format replcheck-matrix/1, what `replcheck matrix --out DIR`
 * writes); the package also ships it as schemas/matrix.schema.json.
 */
export const MATRIX_SCHEMA: object = MATRIX_SCHEMA_OF;

/** What is wrong with a parsed matrix.json, one line per problem naming the field; empty when it conforms. */
export function matrixErrors(value: unknown): string[] {
  return matrixErrorsOf(value);
}

/** This replcheck's version (package.json). */
export const VERSION: string = replcheckVersion();

// ---- conformance matrix ----

/** Options of {@link runMatrix}: the targets in column order, and the seed, limits and `out` folder every target's campaign shares. */
export type MatrixRunOptions = MatrixRunOptionsOf;

/** What {@link runMatrix} returns: the matrix (matrix.json's content, exit code included) and the files written. */
export type MatrixRun = MatrixRunOf;

/** matrix.json: format, options, one column per target (name, version, profile, verdict, its run's files), the rules by spec area with a cell per target. */
export type Matrix = MatrixOf;

/** The `format` of matrix.json (`replcheck-matrix/1`): check it before reading one. */
export const MATRIX_FORMAT = MATRIX_FORMAT_OF;

/**
 * Runs the same seeded campaign against each target, one after the other, as `replcheck matrix`
 * does, and returns the matrix of rules × targets; with `out` it also writes matrix.html,
 * matrix.md, matrix.json and each target's run folder there. Throws {@link TargetUnavailable} for
 * an unknown target before anything starts; a target that cannot start becomes a column saying
 * why. `matrix.exitCode`: 1 if any target diverged, else 3 if no target gave a verdict, else 0.
 */
export function runMatrix(options: MatrixRunOptions): Promise<MatrixRun> {
  return runMatrixOf(options);
}
