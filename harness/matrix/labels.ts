// The words both renderings of the matrix use for a column's status and a cell, so that
// matrix.md and matrix.html say the same thing.

import { durationText } from "../cli/run-output.js";
import type { CellState, ColumnStatus, Matrix, MatrixCell } from "./matrix.js";

/** A column's status as a short label. */
export const STATUS_LABEL: Record<ColumnStatus, string> = {
  passed: "✓ passed",
  diverged: "✗ diverged",
  "no-verdict": "? no verdict",
  unavailable: "✗ unavailable",
  interrupted: "? interrupted",
};

/** The mark before a column's verdict text, which says the rest ("cannot start: ...", "no verdict: ..."). */
export const STATUS_MARK: Record<ColumnStatus, string> = {
  passed: "✓",
  diverged: "✗",
  "no-verdict": "?",
  unavailable: "✗",
  interrupted: "?",
};

/** A cell's text without its link: `✓ 120`, `✗ 3 of 98`, `–`, `not run`. */
export function cellText(cell: MatrixCell): string {
  switch (cell.state) {
    case "checked":
      return `✓ ${cell.checked}`;
    case "failed":
      // A rule the shrunk counterexample breaks at its boundary with another (`also`) counted no failed check.
      return cell.failed > 0 ? `✗ ${cell.failed} of ${cell.checked}` : "✗ counterexample";
    case "not-exercised":
      return "–";
    case "not-run":
      return "not run";
  }
}

/** What each cell text means, one entry per state. */
export const CELL_LEGEND: Record<CellState, string> = {
  checked: "✓ N: checked N times, every check held",
  failed: "✗ F of N: F of its N checks failed, ✗ counterexample: broken by the shrunk counterexample (both link to it)",
  "not-exercised": "–: no check of the rule ran in this campaign",
  "not-run": "not run: the target gave no campaign",
};

/** "seed 1234, time limit 60s per target, up to 100 scenarios of 30 steps with 2 replicas". */
export function optionsText(matrix: Matrix): string {
  const o = matrix.options;
  return `seed ${o.seed}, time limit ${durationText(o.timeLimit)} per target, up to ${o.runs} scenarios of ${o.steps} steps with ${o.replicas} replicas`;
}

/** "12.3 s". */
export const secondsText = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
