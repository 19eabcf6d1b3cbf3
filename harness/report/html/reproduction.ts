// The command lines that reproduce what the report shows: for a counterexample the same lines the
// console printed (the fast-check case again, and its scenario file replayed step by step, both as
// run-command.ts's saveCounterexample writes them), and for any run the same campaign again.

import { existsSync } from "node:fs";
import type { CampaignResult } from "../../run/campaign.js";
import type { RunReportOptions } from "../run-report.js";
import {
  counterexampleFile,
  counterexampleLines,
  replayHint,
  shellQuote,
  type SavedCounterexample,
} from "../scenario-file.js";

/** The options of the run as the user gave them (one shape with report.json's options). */
export type ReportRunOptions = Omit<RunReportOptions, "out" | "junit">;

const line = (args: string[]): string => ["replcheck", ...args].map(shellQuote).join(" ");
const profileArgs = (o: ReportRunOptions): string[] => (o.profile === undefined ? [] : ["--profile", o.profile]);

/** "90s", "1500ms": a --time-limit value that means `ms`. */
export const timeLimitArg = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/**
 * The counterexample's command lines, as the console printed them (scenario-file.ts builds both);
 * the replay line only when its scenario file is in `outDir`. Undefined without a counterexample.
 */
export function counterexampleCommands(
  result: CampaignResult,
  options: ReportRunOptions,
  outDir: string,
): SavedCounterexample | undefined {
  if (result.counterexample === undefined) return undefined;
  const file = counterexampleFile(result, outDir);
  return counterexampleLines(result, options, existsSync(file) ? file : undefined);
}

/** The whole campaign again: same target, seed and options (the time limit may stop it at another scenario). */
export function campaignCommand(result: CampaignResult, options: ReportRunOptions): string {
  return line([
    "run",
    "--target",
    options.target,
    "--replicas",
    String(options.replicas),
    "--steps",
    String(options.steps),
    "--runs",
    String(options.runs),
    "--time-limit",
    timeLimitArg(options.timeLimit),
    "--seed",
    String(result.seed),
    ...profileArgs(options),
  ]);
}

/** The text the console printed under the counterexample. */
export const counterexampleHint = (saved: SavedCounterexample): string => replayHint(saved);
