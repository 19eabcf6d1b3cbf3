// `replcheck matrix` without the command line: the same seeded campaign against each target, one
// after the other, then the matrix of rules × targets (written as matrix.html, matrix.md and
// matrix.json when there is a folder for it).

import { accessSync, constants, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { type InterruptSignal, signalExitCode, UsageError } from "../cli/exit-codes.js";
import { RUN_DEFAULTS } from "../run/defaults.js";
import type { CampaignProgress } from "../run/campaign.js";
import { parseTarget } from "../targets/parse.js";
import { emptyColumn } from "./column.js";
import { assembleMatrix } from "./assemble-matrix.js";
import type { ColumnRun, Matrix, MatrixColumn } from "./matrix.js";
import { splitTargetList } from "./target-list.js";
import { runTarget } from "./target-run.js";
import { writeMatrixFiles, type MatrixFiles } from "./write-matrix.js";

/** Options of {@link runMatrix}; every field but `targets` has `replcheck run`'s default. */
export interface MatrixRunOptions {
  /** The targets, in column order: `--target` values, or one `--targets` list (`"builtin,redis-server"`). */
  targets: string | readonly string[];
  /** fast-check seed every target's campaign uses (default: a new one, the same for every target). */
  seed?: number;
  /** Most scenarios per target. */
  runs?: number;
  /** Each target's time limit in ms, shrinking and reproduction included (default 60 s). */
  timeLimitMs?: number;
  /** Replicas next to the first master. */
  replicas?: number;
  /** Most generated steps per scenario. */
  steps?: number;
  /** Where matrix.html, matrix.md, matrix.json and one folder per target's run go; nothing is written without it. */
  out?: string;
  /** Stops the matrix: the running campaign stops between steps, no further target starts. */
  signal?: AbortSignal;
  /** Called when a target's campaign starts (`progress` undefined) and after each of its scenarios. */
  onProgress?: (target: string, progress?: CampaignProgress) => void;
  /** Called with each target's column as soon as its campaign ends. */
  onColumn?: (column: MatrixColumn) => void;
  /** `--timers`: timer steps on every target, real servers waiting for real time. */
  timers?: boolean;
}

/** What {@link runMatrix} returns. */
export interface MatrixRun {
  /** The matrix (matrix.json's content), its exit code and verdict included. */
  matrix: Matrix;
  /** The files written, with `out`. */
  files?: MatrixFiles;
}

/** The interrupt a matrix was stopped by: the CLI aborts with the signal's name, anything else counts as SIGINT. */
function interruptOf(signal: AbortSignal | undefined): InterruptSignal | undefined {
  if (signal?.aborted !== true) return undefined;
  return signal.reason === "SIGTERM" ? "SIGTERM" : "SIGINT";
}

/** The target list, checked whole before anything starts: a bad value throws naming it. */
export function matrixTargets(targets: string | readonly string[]): string[] {
  const specs = typeof targets === "string" ? splitTargetList(targets) : [...targets];
  if (specs.length === 0) throw new UsageError("no targets given", "name at least one, e.g. --targets builtin");
  for (const spec of specs) parseTarget(spec);
  return specs;
}

/**
 * Runs the same seeded campaign against each target, one after the other, and returns the matrix
 * (and writes it, with `out`). Throws before anything starts for an unknown target
 * (`TargetUnavailable`) or an `out` that cannot be written (`UsageError`); a target that cannot
 * start becomes a column saying why. `matrix.exitCode`: 1 if any target diverged, else 3 if no
 * target gave a verdict, else 0 (130/143 when interrupted).
 */
export async function runMatrix(options: MatrixRunOptions): Promise<MatrixRun> {
  const targets = matrixTargets(options.targets);
  const outDir = options.out === undefined ? undefined : resolve(options.out);
  if (outDir !== undefined) {
    try {
      mkdirSync(outDir, { recursive: true });
      accessSync(outDir, constants.W_OK);
    } catch (e) {
      throw new UsageError(
        `cannot create or write the --out directory ${outDir}: ${(e as Error).message}`,
        "choose an --out location you can write to",
      );
    }
  }
  const settings = {
    targets,
    seed: options.seed ?? Date.now() ^ (Math.random() * 0x100000000),
    runs: options.runs ?? RUN_DEFAULTS.runs,
    timeLimit: options.timeLimitMs ?? RUN_DEFAULTS.timeLimitMs,
    replicas: options.replicas ?? RUN_DEFAULTS.replicas,
    steps: options.steps ?? RUN_DEFAULTS.steps,
  };
  const startedAt = new Date();
  const runs: ColumnRun[] = [];
  for (const [index, target] of targets.entries()) {
    const stopped = interruptOf(options.signal);
    if (stopped !== undefined) {
      runs.push({
        column: emptyColumn(target, signalExitCode(stopped), `not run: interrupted by ${stopped}`, undefined, {}),
      });
      continue;
    }
    options.onProgress?.(target);
    const run = await runTarget(index, target, {
      options: settings,
      outDir,
      signal: options.signal,
      interrupted: () => interruptOf(options.signal),
      onProgress: (t, p) => options.onProgress?.(t, p),
      ...(options.timers === true ? { timers: true } : {}),
    });
    options.onColumn?.(run.column);
    runs.push(run);
  }
  const matrix = assembleMatrix(runs, settings, startedAt, interruptOf(options.signal));
  return outDir === undefined ? { matrix } : { matrix, files: writeMatrixFiles(matrix, outDir) };
}
