// `replcheck run` and `replcheck replay`: campaigns and saved scenarios, with reports and the exit
// codes of exit-codes.ts. Options arrive parsed and checked (options.ts); what can only be checked
// on disk (--out, --junit, the scenario file) is checked here before any node starts.

import { accessSync, constants, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { coverageJson, coverageTable } from "../report/coverage.js";
import { writeHtmlReport } from "../report/html/write-report.js";
import { junitXml } from "../report/junit.js";
import { runReport, ScenarioRecorder, type RunReportOptions } from "../report/run-report.js";
import {
  readScenarioFile,
  replayHint,
  saveCounterexample,
  ScenarioFileError,
  shellQuote,
} from "../report/scenario-file.js";
import { targetedCounterexample, targetedText } from "../report/targeted-text.js";
import { counterexampleText, progressLine, ruleTable, stepBlock } from "../report/text.js";
import type { CampaignProgress, CampaignResult } from "../run/campaign.js";
import { CampaignHistory } from "../run/campaign-history.js";
import { campaignConfig, RUN_DEFAULTS, runConfig } from "../run/defaults.js";
import { numberScenarios, runSplitCampaign, ScenarioNumbering } from "../run/parallel-campaign.js";
import { runScenario } from "../run/scenario-run.js";
import { type Shard, shardText } from "../run/shard.js";
import { deterministicConfig } from "../targets/defaults.js";
import { parseTarget } from "../targets/parse.js";
import { TargetUnavailable } from "../targets/target.js";
import {
  campaignVerdict,
  EXIT_CANNOT_START,
  EXIT_DIVERGED,
  EXIT_INCONCLUSIVE,
  EXIT_OK,
  scenarioVerdict,
  signalExitCode,
  UsageError,
  type InterruptSignal,
  type Verdict,
} from "./exit-codes.js";
import { applyConfig, configArgs, type ConfigOverride } from "./config-option.js";
import { handleInterrupts, type Interrupts } from "./interrupt.js";
import { createRunOutput, newSeed, type RunOutput } from "./run-output.js";
import { unmetNeeds } from "../steps/actions.js";
import type { Family } from "../steps/families.js";
import { CAPABILITY_MEANING, CAPABILITY_WHERE } from "../targets/target.js";
import { replcheckVersion } from "../version.js";
import { isFolder, scenarioFilesIn } from "../report/scenario-folder.js";

/** The run's options (report.json records the same shape) and how the CLI prints. */
export interface RunCliOptions extends RunReportOptions {
  /** Only the verdict (and a counterexample) on stdout, nothing on stderr. */
  quiet?: boolean;
  /** Every step on stderr as it runs. */
  verbose?: boolean;
  /** --config name=value (set) and name= (drop a default), in order. */
  config?: ConfigOverride[];
  /** NDJSON events on stdout instead of the report. */
  json?: boolean;
  /** --skip: step families not generated. */
  skip?: Family[];
  /** --only: the only step families generated. */
  only?: Family[];
  /** --timers: real servers run timer steps by waiting for real time (targets/real-time-timers.ts). */
  timers?: boolean;
  /** --shard i/n: this run's part of the seed's scenarios (run/shard.ts). */
  shard?: Shard;
  /** --concurrency: clusters at once. */
  concurrency?: number;
  /** report.html shows every kept scenario's timeline (the last RUN_DEFAULTS.htmlAllScenarios), not only the counterexample's. */
  htmlAll?: boolean;
  /** --no-targeted (false): no targeted scenarios before the generated ones. Default true. */
  targeted?: boolean;
}

export interface ReplayCliOptions {
  target: string;
  profile?: string;
  /** --timers, as for run. */
  timers?: boolean;
  /** Only what did not pass (its steps) and the verdict on stdout. */
  quiet?: boolean;
  /** NDJSON events on stdout (start, scenario, divergence, summary, error) instead of the steps. */
  json?: boolean;
}

/** A directory we can write into, created now: never discover after a campaign that a report cannot be written. */
function writableDir(dir: string, option: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UsageError(
      `cannot create or write the ${option} directory ${dir}: ${(e as Error).message}`,
      `choose a ${option} location you can write to`,
    );
  }
}

export interface Outputs {
  outDir?: string;
  junit?: string;
}

function prepareOutputs(opts: RunCliOptions): Outputs {
  const outputs: Outputs = {};
  if (opts.htmlAll === true && opts.out === undefined)
    throw new UsageError(
      "--html-all needs --out DIR: it is about DIR/report.html",
      "add --out DIR, or drop --html-all",
    );
  if (opts.out !== undefined) {
    outputs.outDir = resolve(opts.out);
    writableDir(outputs.outDir, "--out");
  }
  if (opts.junit !== undefined) {
    outputs.junit = resolve(opts.junit);
    writableDir(dirname(outputs.junit), "--junit");
    if (statSync(outputs.junit, { throwIfNoEntry: false })?.isDirectory() === true) {
      throw new UsageError(
        `--junit ${outputs.junit} is a directory`,
        "give --junit a file name, e.g. --junit reports/replcheck.xml",
      );
    }
  }
  return outputs;
}

/** Why a command ended without a result: interrupted, cannot start (2), or a replcheck bug (3). */
function failure(e: unknown, command: string, interrupts: Interrupts, where: string, output?: RunOutput): number {
  const code = failureCode(e, command, interrupts, where);
  output?.event({ event: "error", exitCode: code, message: e instanceof Error ? e.message : String(e) });
  return code;
}

function failureCode(e: unknown, command: string, interrupts: Interrupts, where: string): number {
  const signal = interrupts.received();
  if (signal !== undefined) {
    // Whatever broke while stopping is a consequence of the interrupt, not a verdict or a bug.
    console.log(`interrupted ${where}`);
    return signalExitCode(signal);
  }
  if (e instanceof TargetUnavailable) {
    console.error(`replcheck ${command}: cannot start: ${e.message}\n  what to do: ${e.hint}`);
    return EXIT_CANNOT_START;
  }
  if (e instanceof UsageError || e instanceof ScenarioFileError) {
    console.error(
      `replcheck ${command}: ${e.message}${e instanceof UsageError && e.hint !== undefined ? `\n  what to do: ${e.hint}` : ""}`,
    );
    return EXIT_CANNOT_START;
  }
  console.error(
    `replcheck ${command}: internal error, no verdict (a bug in replcheck; please report it with this output):\n${(e as Error)?.stack ?? String(e)}`,
  );
  return EXIT_INCONCLUSIVE;
}

/** What a run's report needs besides its result: where it prints, its scenarios, when it started. */
export interface RunContext {
  output: RunOutput;
  recorder: ScenarioRecorder;
  startedAt: Date;
  /** The run index of each reported scenario (--shard and --concurrency change it). */
  numbering?: ScenarioNumbering;
  /** Every scenario run's times for report.html, and with --html-all the scenarios kept. */
  history?: CampaignHistory;
}

/**
 * `replcheck run`. `output` is given when the start line was already printed (main.ts prints it
 * before this module loads, with the seed it chose); otherwise the seed is chosen and the start
 * line printed here.
 */
export async function runCommand(cliOpts: RunCliOptions, output?: RunOutput): Promise<number> {
  const opts = { ...cliOpts, seed: cliOpts.seed ?? newSeed() };
  const out = output ?? createRunOutput(opts);
  if (output === undefined) out.start(opts);
  const context: RunContext = {
    output: out,
    recorder: new ScenarioRecorder(opts.path),
    startedAt: new Date(),
    numbering: new ScenarioNumbering(),
  };
  context.history = new CampaignHistory(opts.htmlAll === true ? RUN_DEFAULTS.htmlAllScenarios : 0);
  let progress: CampaignProgress | undefined;
  const interrupts = handleInterrupts(() => `after ${progress?.runs ?? 0} scenarios`);
  let result: CampaignResult;
  let outputs: Outputs;
  let targetSpec: string;
  try {
    outputs = prepareOutputs(opts);
    const target = parseTarget(opts.target, { timers: opts.timers });
    targetSpec = target.spec;
    const outDir = outputs.outDir;
    const makeOptions = outDir === undefined ? {} : { workRoot: join(outDir, "nodes"), keepLogs: true };
    const make = () => target.make(makeOptions);
    // Fail fast, before fast-check starts, when the target cannot start at all.
    await (await make()).stopAll();
    // Then one target per scenario, reported in scenario order: the recorder pairs them with the scenarios.
    result = await runSplitCampaign(
      campaignConfig(make, {
        nodeConfig: applyConfig(deterministicConfig(), opts.config),
        replicas: opts.replicas,
        profile: opts.profile,
        signal: interrupts.signal,
        runs: opts.runs,
        maxSteps: opts.steps,
        families: { skip: opts.skip, only: opts.only, capabilities: target.capabilities },
        timeLimitMs: opts.timeLimit,
        seed: opts.seed,
        path: opts.path,
        targeted: opts.targeted !== false,
        history: context.history,
        onProgress: (p) => {
          progress = p;
          out.progress(progressLine(p));
          const ended = context.recorder.progress(p);
          if (ended !== undefined && opts.path === undefined) numberScenarios([ended], context.numbering!);
          if (ended !== undefined) out.event({ event: "scenario", ...ended });
          // Worker lanes cannot record into the history: it learns their scenarios from these events.
          if (ended !== undefined)
            context.history?.scenarioSeen({
              index: opts.path === undefined ? Number(ended.path ?? ended.index) : 0,
              status: ended.status,
              steps: ended.steps,
            });
        },
        onStep: (r) => {
          if (out.verbose && r.index === 1)
            out.step(
              `scenario ${context.recorder.records.length} (--seed ${opts.seed} --path ${opts.path ?? context.numbering?.indexOf(context.recorder.records.length)}):`,
            );
          context.recorder.step(r);
          context.history?.stepSeen(r);
          out.step(stepBlock(r));
        },
      }),
      {
        shard: opts.shard,
        concurrency: opts.concurrency,
        // The built-in target's nodes share their thread: each cluster gets a worker thread of its own.
        ...(target.kind === "builtin" ? { workers: { target: target.spec, make: makeOptions } } : {}),
        targetMade: (t) => context.recorder.targetMade(t),
      },
      context.numbering,
    );
    out.done();
  } catch (e) {
    out.done();
    return failure(e, "run", interrupts, `after ${progress?.runs ?? 0} scenarios`, out);
  }
  return report(result, opts, targetSpec, outputs, interrupts.received(), context);
}

/** Prints the campaign's report, writes --out/--junit files and the counterexample's scenario file; returns the exit code. */
export function report(
  result: CampaignResult,
  opts: RunCliOptions,
  targetSpec: string,
  outputs: Outputs,
  signal: InterruptSignal | undefined,
  context: RunContext = {
    output: createRunOutput(opts),
    recorder: new ScenarioRecorder(opts.path),
    startedAt: new Date(Date.now() - result.elapsedMs),
  },
): number {
  const verdict = campaignVerdict(result, signal);
  const out = context.output;
  const scenarios = context.recorder.finish(result);
  if (context.numbering !== undefined && opts.path === undefined) numberScenarios(scenarios, context.numbering);
  out.report(
    `replcheck run: ${result.target ?? targetSpec}, profile ${result.profile ?? "?"}, seed ${result.seed}${opts.shard === undefined ? "" : `, shard ${shardText(opts.shard)}`}`,
  );
  const elapsed = `${(result.elapsedMs / 1000).toFixed(1)}s`;
  if (result.targeted === undefined)
    out.report(`${result.runs} scenarios, ${result.steps} steps checked in ${elapsed}\n`);
  else
    out.report(
      `${targetedText(result.targeted)}\n${result.runs} generated scenarios, ${result.steps} steps checked (${elapsed} in all)\n`,
    );
  out.report(ruleTable(result.rules));
  if (result.coverage !== undefined) out.report(`\n${coverageTable(result.coverage)}`);
  for (const reason of new Set(result.inconclusiveReasons))
    out.report(`\ninconclusive (unknown outcome, not counted as a failure): ${reason}`);
  let text: string | undefined;
  if (result.counterexample !== undefined) {
    const targeted = targetedCounterexample(result);
    text = `${targeted === undefined ? "" : `${targeted}:\n`}${counterexampleText(result.counterexample)}`;
    out.essential(`\n${text}`);
    if (result.shrink?.stopped === true)
      out.essential(
        `\nshrinking stopped after ${result.shrink.numShrinks} shrinks (time limit): this is the smallest counterexample found so far`,
      );
    if (result.reproduced !== undefined) out.essential(`\n${reproducedLine(result.reproduced)}`);
    const saved = saveCounterexample(
      result,
      {
        target: targetSpec,
        replicas: opts.replicas,
        steps: opts.steps,
        nodeConfig: applyConfig(deterministicConfig(), opts.config),
        ...(opts.profile === undefined ? {} : { profile: opts.profile }),
        ...(opts.timers === true ? { timers: true } : {}),
      },
      outputs.outDir ?? process.cwd(),
    );
    // The same fast-check case needs the same node settings (the scenario file holds them).
    if (saved !== undefined && opts.config !== undefined)
      saved.rerun = [saved.rerun, ...configArgs(opts.config).map(shellQuote)].join(" ");
    if (saved !== undefined) out.essential(`\n${replayHint(saved)}`);
    const failed = result.counterexample.steps.find((s) => s.failures.length > 0);
    out.event({
      event: "divergence",
      reason: result.counterexample.reason ?? null,
      rules: [...new Set(failed?.failures.map((f) => f.rule) ?? [])],
      step: failed?.index ?? null,
      steps: result.counterexample.steps.length,
      seed: result.seed,
      path: result.path ?? null,
      reproduced: result.reproduced ?? null,
      rerun: saved?.rerun ?? null,
      replay: saved?.replay ?? null,
      file: saved?.file ?? null,
    });
  }
  if (result.error !== undefined && signal === undefined)
    out.essential(
      `\nA scenario failed with an error (a bug in the harness or the model, or a broken target):\n${result.error}`,
    );
  if (signal !== undefined) out.essential(`\ninterrupted after ${result.runs} scenarios`);
  writeReports(result, text, outputs, verdict, opts, context, scenarios);
  writeHtmlReport(outputs.outDir, result, verdict, { ...opts, target: targetSpec }, context.history);
  out.event({
    event: "summary",
    exitCode: verdict.code,
    verdict: verdict.why,
    target: result.target ?? targetSpec,
    profile: result.profile ?? null,
    seed: result.seed,
    scenarios: result.runs,
    steps: result.steps,
    failures: result.failures,
    inconclusive: result.inconclusive,
    interrupted: result.interrupted,
    elapsedMs: result.elapsedMs,
    rules: Object.fromEntries(result.rules),
  });
  out.essential(`\nreplcheck: ${verdict.why} (exit ${verdict.code})`);
  return verdict.code;
}

/** "reproduced 3/3 ..." or "reproduced 1/3 ...": a user must see whether the divergence depends on timing. */
function reproducedLine(r: NonNullable<CampaignResult["reproduced"]>): string {
  const kind =
    r.of === 0
      ? "not replayed: no time left"
      : r.diverged === r.of
        ? "it diverges every time"
        : r.diverged === 0
          ? "it did not diverge again: it depends on timing"
          : "it depends on timing";
  const cut = r.of < r.requested ? `; the time limit stopped ${r.requested - r.of} of ${r.requested} replays` : "";
  return `reproduced ${r.diverged}/${r.of} when replayed from its steps (${kind}${cut})`;
}

function writeReports(
  result: CampaignResult,
  counterexample: string | undefined,
  outputs: Outputs,
  verdict: Verdict,
  opts: RunCliOptions,
  context: RunContext,
  scenarios: ReturnType<ScenarioRecorder["finish"]>,
): void {
  const { quiet: _quiet, verbose: _verbose, json: _json, htmlAll: _htmlAll, targeted: _targeted, ...options } = opts;
  const coverage = result.coverage === undefined ? {} : { coverage: coverageJson(result.coverage) };
  const writes: [string | undefined, () => string][] = [
    [outputs.junit, () => junitXml(result, counterexample)],
    [
      outputs.outDir === undefined ? undefined : join(outputs.outDir, "report.json"),
      () => `${JSON.stringify(runReport(result, verdict, options, context.startedAt, scenarios, coverage), null, 2)}\n`,
    ],
  ];
  for (const [file, content] of writes) {
    if (file === undefined) continue;
    try {
      writeFileSync(file, content());
    } catch (e) {
      // The directory was checked at start; keep the verdict, but say the report is missing.
      console.error(`replcheck run: could not write ${file}: ${(e as Error).message}`);
    }
  }
}

/** The scenario files a `replay` argument names: the file itself, or every *.json file of a folder, sorted. */
function scenarioPaths(path: string): string[] {
  return isFolder(path) ? scenarioFilesIn(path) : [path];
}

/**
 * The verdict of several replays: a divergence in any file is a divergence (1); otherwise any file
 * without a verdict makes none (3); every file passed is 0.
 */
function replaysVerdict(verdicts: { file: string; verdict: Verdict }[]): Verdict {
  const count = (code: number) => verdicts.filter((v) => v.verdict.code === code).length;
  const diverged = count(EXIT_DIVERGED);
  if (diverged > 0)
    return {
      code: EXIT_DIVERGED,
      why: `a divergence from the model was found in ${diverged} of ${verdicts.length} scenario files`,
    };
  const open = verdicts.length - count(EXIT_OK);
  if (open > 0) return { code: EXIT_INCONCLUSIVE, why: `no verdict for ${open} of ${verdicts.length} scenario files` };
  return { code: EXIT_OK, why: `every check held in ${verdicts.length} scenario files` };
}

/**
 * `replcheck replay FILE|DIR`: a folder replays every scenario file in it, one after another.
 * Prints every step; --quiet only the steps of a file that did not pass and the verdict; --json
 * NDJSON events instead (start, one scenario per file, divergence, summary, error).
 */
export async function replayCommand(path: string, opts: ReplayCliOptions): Promise<number> {
  let checked = 0;
  const interrupts = handleInterrupts(() => `after ${checked} checked steps`);
  const out = createRunOutput({ quiet: opts.quiet, json: opts.json });
  try {
    // Every file is read and validated before any node starts.
    const files = scenarioPaths(path).map((file) => ({ file, scenario: readScenarioFile(file) }));
    // And every step must be one the target can carry out (a timer step needs the clock capability).
    const choice = parseTarget(opts.target, { timers: opts.timers });
    const capabilities = choice.capabilities;
    for (const { file, scenario } of files) {
      const [unmet] = unmetNeeds(scenario.steps, capabilities);
      if (unmet !== undefined)
        throw new UsageError(
          `${file}: steps[${unmet.index}] (${unmet.kind}) needs ${unmet.needs.map((c) => CAPABILITY_MEANING[c]).join(" and ")}, which target ${opts.target} does not have`,
          `replay it on a target that has it: ${unmet.needs.map((c) => CAPABILITY_WHERE[c]).join("; ")}`,
        );
    }
    out.event({
      event: "start",
      command: "replay",
      replcheck: replcheckVersion(),
      time: new Date().toISOString(),
      target: opts.target,
      profile: opts.profile ?? null,
      files: files.map((f) => f.file),
    });
    const verdicts: { file: string; verdict: Verdict }[] = [];
    for (const [index, { file, scenario }] of files.entries()) {
      if (interrupts.received() !== undefined) break;
      if (files.length > 1) out.report(`\n== ${file}`);
      const checkedBefore = checked;
      const result = await runScenario(
        runConfig(() => choice.make({}), {
          replicas: scenario.replicas,
          nodeConfig: scenario.nodeConfig,
          profile: opts.profile,
          signal: interrupts.signal,
          onStep: (r) => {
            if (r.skipped === undefined && r.unknown === undefined) checked++;
            out.report(stepBlock(r));
          },
        }),
        null,
        scenario.steps,
      );
      const verdict: Verdict = scenarioVerdict(result, interrupts.received());
      verdicts.push({ file, verdict });
      const passed = result.status === "passed";
      // --quiet printed no steps: a file that did not pass shows them now, as a counterexample.
      if (out.quiet && !passed && result.steps.length > 0) out.essential(`\n${counterexampleText(result)}`);
      const line = `\nreplay of ${file} on ${result.target} (${result.profile}): ${result.status}${result.reason === undefined ? "" : ` — ${result.reason}`}`;
      if (passed) out.report(line);
      else out.essential(line);
      if (files.length > 1) {
        if (passed) out.report(`${file}: ${verdict.why} (exit ${verdict.code})`);
        else out.essential(`${file}: ${verdict.why} (exit ${verdict.code})`);
      }
      out.event({
        event: "scenario",
        index,
        file,
        status: result.status,
        reason: result.reason ?? null,
        steps: checked - checkedBefore,
        target: result.target,
        profile: result.profile,
        exitCode: verdict.code,
      });
      const failed = result.steps.find((s) => s.failures.length > 0);
      if (result.status === "diverged")
        out.event({
          event: "divergence",
          file,
          reason: result.reason ?? null,
          rules: [...new Set(failed?.failures.map((f) => f.rule) ?? [])],
          step: failed?.index ?? null,
          steps: result.steps.length,
        });
    }
    const signal = interrupts.received();
    let verdict: Verdict;
    if (signal !== undefined) {
      const code = signalExitCode(signal);
      const last = verdicts.at(-1)?.verdict;
      out.essential(`interrupted after ${checked} checked steps`);
      verdict = { code, why: last?.code === code ? last.why : `interrupted by ${signal}` };
    } else {
      verdict = files.length === 1 && verdicts[0] !== undefined ? verdicts[0].verdict : replaysVerdict(verdicts);
    }
    out.essential(`replcheck: ${verdict.why} (exit ${verdict.code})`);
    const count = (code: number) => verdicts.filter((v) => v.verdict.code === code).length;
    out.event({
      event: "summary",
      exitCode: verdict.code,
      verdict: verdict.why,
      files: files.length,
      replayed: verdicts.length,
      passed: count(EXIT_OK),
      diverged: count(EXIT_DIVERGED),
      steps: checked,
    });
    return verdict.code;
  } catch (e) {
    return failure(e, "replay", interrupts, `after ${checked} checked steps`, out);
  }
}
