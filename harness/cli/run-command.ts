// `replcheck run` and `replcheck replay`: campaigns and saved scenarios, with reports and exit codes
// (0 every check held, 1 a divergence was found, 2 the run could not start).

import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { junitXml } from "../report/junit.js";
import { readScenarioFile, writeScenarioFile } from "../report/scenario-file.js";
import { counterexampleText, progressLine, ruleTable, stepBlock } from "../report/text.js";
import { runCampaign, type CampaignResult, type RuleStats } from "../run/campaign.js";
import { runScenario, type RunConfig } from "../run/scenario-run.js";
import { deterministicConfig } from "../targets/defaults.js";
import { parseTarget } from "../targets/parse.js";
import { TargetUnavailable } from "../targets/target.js";

export const EXIT_OK = 0;
export const EXIT_DIVERGED = 1;
export const EXIT_CANNOT_START = 2;

export interface RunCliOptions {
  target: string;
  runs: number;
  timeLimit?: string;
  seed?: string;
  path?: string;
  replicas: number;
  steps: number;
  out?: string;
  junit?: string;
}

/** "60s", "2m", "500ms", "90" (seconds) → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (m === null) throw new Error(`invalid duration "${text}": use e.g. 60s, 2m, 500ms`);
  const n = Number(m[1]);
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
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

function baseConfig(opts: { replicas: number }, make: RunConfig["makeTarget"]): RunConfig {
  return {
    makeTarget: make,
    replicas: opts.replicas,
    nodeConfig: deterministicConfig(),
    commandTimeoutMs: 5000,
    settleDeadlineMs: 5000,
    checkpointEvery: 5,
  };
}

export async function runCommand(opts: RunCliOptions): Promise<number> {
  try {
    const target = parseTarget(opts.target);
    const outDir = opts.out === undefined ? undefined : resolve(opts.out);
    if (outDir !== undefined) mkdirSync(outDir, { recursive: true });
    const make = () => target.make(outDir === undefined ? {} : { workRoot: join(outDir, "nodes"), keepLogs: true });
    // Fail fast, before fast-check starts, when the target cannot start at all.
    await (await make()).stopAll();
    const printer = progressPrinter();
    const result = await runCampaign({
      ...baseConfig(opts, make),
      runs: opts.runs,
      maxSteps: opts.steps,
      ...(opts.timeLimit === undefined ? {} : { timeLimitMs: parseDuration(opts.timeLimit) }),
      ...(opts.seed === undefined ? {} : { seed: Number(opts.seed) }),
      ...(opts.path === undefined ? {} : { path: opts.path }),
      onProgress: (p) => printer.update(progressLine(p)),
    });
    printer.done();
    return report(result, opts, target.spec, outDir);
  } catch (e) {
    return cannotStart(e);
  }
}

function cannotStart(e: unknown): number {
  if (e instanceof TargetUnavailable) {
    console.error(`replcheck: cannot start: ${e.message}\n  what to do: ${e.hint}`);
    return EXIT_CANNOT_START;
  }
  throw e;
}

function report(result: CampaignResult, opts: RunCliOptions, targetSpec: string, outDir: string | undefined): number {
  console.log(`replcheck run: ${result.target ?? targetSpec}, profile ${result.profile ?? "?"}, seed ${result.seed}`);
  console.log(`${result.runs} scenarios, ${result.steps} steps checked in ${(result.elapsedMs / 1000).toFixed(1)}s\n`);
  console.log(ruleTable(result.rules));
  for (const reason of new Set(result.inconclusiveReasons)) console.log(`\ninconclusive (unknown outcome, not counted as a failure): ${reason}`);
  let text: string | undefined;
  if (result.counterexample !== undefined) {
    text = counterexampleText(result.counterexample);
    console.log(`\n${text}`);
    const file = join(outDir ?? process.cwd(), `replcheck-counterexample-${result.seed}.json`);
    writeScenarioFile(file, {
      replicas: opts.replicas,
      nodeConfig: deterministicConfig(),
      origin: { target: result.target ?? targetSpec, profile: result.profile ?? "", seed: String(result.seed), path: result.path ?? "", diverged: result.counterexample.reason ?? "" },
      steps: result.counterexample.executed,
    });
    const replay = `replcheck run --target ${targetSpec} --replicas ${opts.replicas} --steps ${opts.steps} --seed ${result.seed} --path ${result.path}`;
    console.log(`\nReplay this counterexample:\n  ${replay}\nor step by step, against any target:\n  replcheck replay ${file} --target ${targetSpec}`);
  }
  if (result.error !== undefined) console.log(`\nA scenario failed with an error (a bug in the harness or the model, or a broken target):\n${result.error}`);
  if (opts.junit !== undefined) writeFileSync(opts.junit, junitXml(result, text));
  if (outDir !== undefined) writeFileSync(join(outDir, "report.json"), JSON.stringify(jsonReport(result), null, 2) + "\n");
  return result.failures > 0 ? EXIT_DIVERGED : EXIT_OK;
}

function jsonReport(result: CampaignResult): unknown {
  const rules: Record<string, RuleStats> = Object.fromEntries(result.rules);
  return { ...result, rules };
}

export async function replayCommand(file: string, opts: { target: string }): Promise<number> {
  try {
    const scenario = readScenarioFile(file);
    const target = parseTarget(opts.target);
    const result = await runScenario({ ...baseConfig(scenario, () => target.make({})), nodeConfig: scenario.nodeConfig, onStep: (r) => console.log(stepBlock(r)) }, null, scenario.steps);
    console.log(`\nreplay of ${file} on ${result.target} (${result.profile}): ${result.status}${result.reason === undefined ? "" : ` — ${result.reason}`}`);
    return result.status === "diverged" ? EXIT_DIVERGED : EXIT_OK;
  } catch (e) {
    if (e instanceof TargetUnavailable) return cannotStart(e);
    console.error(`replcheck replay: ${(e as Error).message}`);
    return EXIT_CANNOT_START;
  }
}
