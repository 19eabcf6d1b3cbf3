// `replcheck run` and `replcheck replay`: campaigns and saved scenarios, with reports and the exit
// codes of exit-codes.ts. Options arrive parsed and checked (options.ts); what can only be checked
// on disk (--out, --junit, the scenario file) is checked here before any node starts.

import { accessSync, constants, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { coverageJson, coverageTable } from "../report/coverage.js";
import { writeHtmlReport } from "../report/html/write-report.js";
import { junitXml } from "../report/junit.js";
import { readScenarioFile, replayHint, saveCounterexample, ScenarioFileError } from "../report/scenario-file.js";
import { counterexampleText, progressLine, ruleTable, stepBlock } from "../report/text.js";
import { runCampaign, type CampaignProgress, type CampaignResult, type RuleStats } from "../run/campaign.js";
import { campaignConfig, runConfig } from "../run/defaults.js";
import { runScenario } from "../run/scenario-run.js";
import { deterministicConfig } from "../targets/defaults.js";
import { parseTarget } from "../targets/parse.js";
import { TargetUnavailable } from "../targets/target.js";
import { campaignVerdict, EXIT_CANNOT_START, EXIT_INCONCLUSIVE, scenarioVerdict, signalExitCode, UsageError, type InterruptSignal, type Verdict } from "./exit-codes.js";
import { handleInterrupts, type Interrupts } from "./interrupt.js";

export interface RunCliOptions {
  target: string;
  runs: number;
  /** Milliseconds. */
  timeLimit: number;
  seed?: number;
  path?: string;
  replicas: number;
  steps: number;
  out?: string;
  junit?: string;
  profile?: string;
}

export interface ReplayCliOptions {
  target: string;
  profile?: string;
}

function progressPrinter(): { update(line: string): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return {
    update(line) {
      if (tty) process.stderr.write(`\r\x1b[K${line}`);
      else if (Date.now() - last > 5000) {
        process.stderr.write(`${line}\n`);
        last = Date.now();
      }
    },
    done() {
      if (tty) process.stderr.write("\n");
    },
  };
}

/** A directory we can write into, created now: never discover after a campaign that a report cannot be written. */
function writableDir(dir: string, option: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UsageError(`cannot create or write the ${option} directory ${dir}: ${(e as Error).message}`, `choose a ${option} location you can write to`);
  }
}

export interface Outputs {
  outDir?: string;
  junit?: string;
}

function prepareOutputs(opts: RunCliOptions): Outputs {
  const outputs: Outputs = {};
  if (opts.out !== undefined) {
    outputs.outDir = resolve(opts.out);
    writableDir(outputs.outDir, "--out");
  }
  if (opts.junit !== undefined) {
    outputs.junit = resolve(opts.junit);
    writableDir(dirname(outputs.junit), "--junit");
    if (statSync(outputs.junit, { throwIfNoEntry: false })?.isDirectory() === true) {
      throw new UsageError(`--junit ${outputs.junit} is a directory`, "give --junit a file name, e.g. --junit reports/replcheck.xml");
    }
  }
  return outputs;
}

/** Why a command ended without a result: interrupted, cannot start (2), or a replcheck bug (3). */
function failure(e: unknown, command: string, interrupts: Interrupts, where: string): number {
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
    console.error(`replcheck ${command}: ${e.message}${e instanceof UsageError && e.hint !== undefined ? `\n  what to do: ${e.hint}` : ""}`);
    return EXIT_CANNOT_START;
  }
  console.error(`replcheck ${command}: internal error, no verdict (a bug in replcheck; please report it with this output):\n${(e as Error)?.stack ?? String(e)}`);
  return EXIT_INCONCLUSIVE;
}

export async function runCommand(opts: RunCliOptions): Promise<number> {
  let progress: CampaignProgress | undefined;
  const interrupts = handleInterrupts(() => `after ${progress?.runs ?? 0} scenarios`);
  let result: CampaignResult;
  let outputs: Outputs;
  let targetSpec: string;
  try {
    outputs = prepareOutputs(opts);
    const target = parseTarget(opts.target);
    targetSpec = target.spec;
    const outDir = outputs.outDir;
    const make = () => target.make(outDir === undefined ? {} : { workRoot: join(outDir, "nodes"), keepLogs: true });
    // Fail fast, before fast-check starts, when the target cannot start at all.
    await (await make()).stopAll();
    const printer = progressPrinter();
    result = await runCampaign(
      campaignConfig(make, {
        replicas: opts.replicas,
        profile: opts.profile,
        signal: interrupts.signal,
        runs: opts.runs,
        maxSteps: opts.steps,
        timeLimitMs: opts.timeLimit,
        seed: opts.seed,
        path: opts.path,
        onProgress: (p) => {
          progress = p;
          printer.update(progressLine(p));
        },
      }),
    );
    printer.done();
  } catch (e) {
    return failure(e, "run", interrupts, `after ${progress?.runs ?? 0} scenarios`);
  }
  return report(result, opts, targetSpec, outputs, interrupts.received());
}

/** Prints the campaign's report, writes --out/--junit files and the counterexample's scenario file; returns the exit code. */
export function report(result: CampaignResult, opts: RunCliOptions, targetSpec: string, outputs: Outputs, signal: InterruptSignal | undefined): number {
  const verdict = campaignVerdict(result, signal);
  console.log(`replcheck run: ${result.target ?? targetSpec}, profile ${result.profile ?? "?"}, seed ${result.seed}`);
  console.log(`${result.runs} scenarios, ${result.steps} steps checked in ${(result.elapsedMs / 1000).toFixed(1)}s\n`);
  console.log(ruleTable(result.rules));
  if (result.coverage !== undefined) console.log(`\n${coverageTable(result.coverage)}`);
  for (const reason of new Set(result.inconclusiveReasons)) console.log(`\ninconclusive (unknown outcome, not counted as a failure): ${reason}`);
  let text: string | undefined;
  if (result.counterexample !== undefined) {
    text = counterexampleText(result.counterexample);
    console.log(`\n${text}`);
    if (result.shrink?.stopped === true) console.log(`\nshrinking stopped after ${result.shrink.numShrinks} shrinks (time limit): this is the smallest counterexample found so far`);
    if (result.reproduced !== undefined) console.log(`\n${reproducedLine(result.reproduced)}`);
    const saved = saveCounterexample(
      result,
      { target: targetSpec, replicas: opts.replicas, steps: opts.steps, nodeConfig: deterministicConfig(), ...(opts.profile === undefined ? {} : { profile: opts.profile }) },
      outputs.outDir ?? process.cwd(),
    );
    if (saved !== undefined) console.log(`\n${replayHint(saved)}`);
  }
  if (result.error !== undefined && signal === undefined) console.log(`\nA scenario failed with an error (a bug in the harness or the model, or a broken target):\n${result.error}`);
  if (signal !== undefined) console.log(`\ninterrupted after ${result.runs} scenarios`);
  writeReports(result, text, outputs, verdict);
  writeHtmlReport(outputs.outDir, result, verdict, { ...opts, target: targetSpec });
  console.log(`\nreplcheck: ${verdict.why} (exit ${verdict.code})`);
  return verdict.code;
}

/** "reproduced 3/3 ..." or "reproduced 1/3 ...": a user must see whether the divergence depends on timing. */
function reproducedLine(r: NonNullable<CampaignResult["reproduced"]>): string {
  const kind = r.of === 0 ? "not replayed: no time left" : r.diverged === r.of ? "it diverges every time" : r.diverged === 0 ? "it did not diverge again: it depends on timing" : "it depends on timing";
  const cut = r.of < r.requested ? `; the time limit stopped ${r.requested - r.of} of ${r.requested} replays` : "";
  return `reproduced ${r.diverged}/${r.of} when replayed from its steps (${kind}${cut})`;
}

function writeReports(result: CampaignResult, counterexample: string | undefined, outputs: Outputs, verdict: Verdict): void {
  const writes: [string | undefined, () => string][] = [
    [outputs.junit, () => junitXml(result, counterexample)],
    [outputs.outDir === undefined ? undefined : join(outputs.outDir, "report.json"), () => JSON.stringify(jsonReport(result, verdict), null, 2) + "\n"],
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

function jsonReport(result: CampaignResult, verdict: Verdict): unknown {
  const rules: Record<string, RuleStats> = Object.fromEntries(result.rules);
  return { ...result, rules, ...(result.coverage === undefined ? {} : { coverage: coverageJson(result.coverage) }), exitCode: verdict.code, verdict: verdict.why };
}

export async function replayCommand(file: string, opts: ReplayCliOptions): Promise<number> {
  let checked = 0;
  const interrupts = handleInterrupts(() => `after ${checked} checked steps`);
  try {
    // The whole file is validated before any node starts.
    const scenario = readScenarioFile(file);
    const result = await runScenario(
      runConfig(opts.target, {
        replicas: scenario.replicas,
        nodeConfig: scenario.nodeConfig,
        profile: opts.profile,
        signal: interrupts.signal,
        onStep: (r) => {
          if (r.skipped === undefined && r.unknown === undefined) checked++;
          console.log(stepBlock(r));
        },
      }),
      null,
      scenario.steps,
    );
    const verdict: Verdict = scenarioVerdict(result, interrupts.received());
    console.log(`\nreplay of ${file} on ${result.target} (${result.profile}): ${result.status}${result.reason === undefined ? "" : ` — ${result.reason}`}`);
    if (interrupts.received() !== undefined) console.log(`interrupted after ${checked} checked steps`);
    console.log(`replcheck: ${verdict.why} (exit ${verdict.code})`);
    return verdict.code;
  } catch (e) {
    return failure(e, "replay", interrupts, `after ${checked} checked steps`);
  }
}
