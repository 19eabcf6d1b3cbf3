// One column of the matrix: the seeded campaign against one target, as `replcheck run --out` would
// run it, with that run's report.json, report.html, counterexample scenario file and node logs in
// the target's own folder. A target that cannot start, or a run that breaks outside any scenario,
// becomes a column saying why: the matrix goes on with the next target.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  campaignVerdict,
  EXIT_CANNOT_START,
  EXIT_INCONCLUSIVE,
  signalExitCode,
  type InterruptSignal,
} from "../cli/exit-codes.js";
import { coverageJson } from "../report/coverage.js";
import { HTML_REPORT_FILE, writeHtmlReport } from "../report/html/write-report.js";
import { runReport, ScenarioRecorder, type RunReportOptions } from "../report/run-report.js";
import { saveCounterexample } from "../report/scenario-file.js";
import type { CampaignProgress } from "../run/campaign.js";
import { CampaignHistory } from "../run/campaign-history.js";
import { campaignConfig } from "../run/defaults.js";
import { runSplitCampaign } from "../run/parallel-campaign.js";
import { deterministicConfig } from "../targets/defaults.js";
import { parseTarget } from "../targets/parse.js";
import { TargetUnavailable } from "../targets/target.js";
import { emptyColumn, ranColumn, type ColumnFiles } from "./column.js";
import type { ColumnRun, MatrixOptions } from "./matrix.js";
import { targetFolderName } from "./target-folder.js";

/** What one target's run needs besides the matrix's options. */
export interface TargetRunContext {
  options: MatrixOptions;
  /** The matrix's folder; without one nothing is written and no cell links anywhere. */
  outDir?: string;
  signal?: AbortSignal;
  /** The interrupt received, if any (its exit code goes into the verdict). */
  interrupted(): InterruptSignal | undefined;
  onProgress?(target: string, progress: CampaignProgress): void;
  /** --timers: every column draws timer steps, which real servers run by waiting for real time. */
  timers?: boolean;
}

const REPORT_JSON = "report.json";

function writeOrSay(file: string, content: string): boolean {
  try {
    writeFileSync(file, content);
    return true;
  } catch (e) {
    console.error(`replcheck matrix: could not write ${file}: ${(e as Error).message}`);
    return false;
  }
}

/** Runs the campaign of target number `index` (0-based) and returns its column. */
export async function runTarget(index: number, target: string, context: TargetRunContext): Promise<ColumnRun> {
  const { options, outDir } = context;
  const folder = outDir === undefined ? undefined : join(outDir, targetFolderName(index, target));
  const rel = (file: string): string => relative(outDir ?? "", file);
  const startedAt = new Date();
  let run: ColumnRun;
  try {
    if (folder !== undefined) mkdirSync(folder, { recursive: true });
    const choice = parseTarget(target, { timers: context.timers });
    const make = () => choice.make(folder === undefined ? {} : { workRoot: join(folder, "nodes"), keepLogs: true });
    // As `replcheck run` does: find out before fast-check starts whether the target starts at all.
    await (await make()).stopAll();
    const recorder = new ScenarioRecorder(undefined);
    // Scenario times for the report's "scenarios over time" chart; no scenario's steps are kept.
    const history = new CampaignHistory(0);
    // As `replcheck run`: the targeted scenarios first, then the generated ones, in one time limit.
    const result = await runSplitCampaign(
      campaignConfig(
        () => {
          const made = make();
          made.then(
            (t) => recorder.targetMade(t),
            () => {},
          );
          return made;
        },
        {
          nodeConfig: deterministicConfig(),
          replicas: options.replicas,
          signal: context.signal,
          runs: options.runs,
          maxSteps: options.steps,
          timeLimitMs: options.timeLimit,
          seed: options.seed,
          history,
          onProgress: (p) => {
            recorder.progress(p);
            context.onProgress?.(target, p);
          },
          onStep: (r) => recorder.step(r),
          targeted: true,
          // Only the clock: every column must draw the same steps, and with --timers each has it.
          ...(context.timers === true ? { families: { capabilities: { clock: choice.capabilities.clock } } } : {}),
        },
      ),
      {},
    );
    const verdict = campaignVerdict(result, context.interrupted());
    const files: ColumnFiles = {};
    if (folder !== undefined) {
      files.folder = rel(folder);
      const runOptions: RunReportOptions = {
        target,
        runs: options.runs,
        timeLimit: options.timeLimit,
        seed: options.seed,
        replicas: options.replicas,
        steps: options.steps,
        out: folder,
      };
      const saved = saveCounterexample(
        result,
        {
          target,
          replicas: options.replicas,
          steps: options.steps,
          nodeConfig: deterministicConfig(),
          ...(context.timers === true ? { timers: true } : {}),
        },
        folder,
      );
      if (saved?.file !== undefined) files.counterexample = rel(saved.file);
      if (saved?.writeError !== undefined) console.error(`replcheck matrix: ${saved.writeError}`);
      const coverage = result.coverage === undefined ? {} : { coverage: coverageJson(result.coverage) };
      const scenarios = recorder.finish(result);
      writeOrSay(
        join(folder, REPORT_JSON),
        `${JSON.stringify(runReport(result, verdict, runOptions, startedAt, scenarios, coverage), null, 2)}\n`,
      );
      const { out: _out, ...htmlOptions } = runOptions;
      if (writeHtmlReport(folder, result, verdict, htmlOptions, history) !== undefined)
        files.report = rel(join(folder, HTML_REPORT_FILE));
    }
    run = { column: ranColumn(target, result, verdict, files), result };
  } catch (e) {
    const files: ColumnFiles = folder === undefined ? {} : { folder: rel(folder) };
    const signal = context.interrupted();
    if (signal !== undefined)
      run = { column: emptyColumn(target, signalExitCode(signal), `interrupted by ${signal}`, undefined, files) };
    else if (e instanceof TargetUnavailable)
      run = { column: emptyColumn(target, EXIT_CANNOT_START, `cannot start: ${e.message}`, e.hint, files) };
    else {
      // Not a verdict on the target: a broken environment or a bug in replcheck, said as such.
      const message = e instanceof Error ? e.message : String(e);
      run = {
        column: emptyColumn(target, EXIT_INCONCLUSIVE, `no verdict: the run failed: ${message}`, undefined, files),
      };
    }
  }
  return run;
}
