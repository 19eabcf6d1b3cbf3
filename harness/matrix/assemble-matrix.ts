// The matrix from its columns' runs: header, verdict, columns and the rule rows, in one object.

import type { InterruptSignal } from "../cli/exit-codes.js";
import { replcheckVersion } from "../version.js";
import { type ColumnRun, type Matrix, MATRIX_FORMAT, type MatrixOptions, matrixAreas } from "./matrix.js";
import { matrixVerdict } from "./matrix-verdict.js";

/** matrix.json's content for these runs (in column order); `signal` is the interrupt that stopped the matrix, if any. */
export function assembleMatrix(
  runs: readonly ColumnRun[],
  options: MatrixOptions,
  startedAt: Date,
  signal?: InterruptSignal,
): Matrix {
  const columns = runs.map((r) => r.column);
  const verdict = matrixVerdict(columns, signal);
  return {
    format: MATRIX_FORMAT,
    replcheck: replcheckVersion(),
    startedAt: startedAt.toISOString(),
    options,
    exitCode: verdict.code,
    verdict: verdict.why,
    columns,
    areas: matrixAreas(runs),
  };
}
