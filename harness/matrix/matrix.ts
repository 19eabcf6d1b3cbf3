// The conformance matrix as data: one column per target (what it is and how its campaign ended),
// one row per catalogue rule grouped by spec area, one cell per rule and target. matrix.json is
// this object; the Markdown and HTML renderings read nothing else.

import { RULE_IDS, RULES, type RuleId } from "../../model/rule-ids.js";
import { counterexampleFailures } from "../report/junit.js";
import type { CampaignResult } from "../run/campaign.js";

/** The `format` of matrix.json: a reader checks it before reading anything else. */
export const MATRIX_FORMAT = "replcheck-matrix/1";

/**
 * How one target's campaign ended: `passed` (exit 0), `diverged` (1), `no-verdict` (3: nothing
 * checked, every scenario inconclusive, or an error), `unavailable` (the target could not start, 2),
 * `interrupted` (130/143).
 */
export type ColumnStatus = "passed" | "diverged" | "no-verdict" | "unavailable" | "interrupted";

/** One target of the matrix. Paths are relative to the folder holding matrix.json. */
export interface MatrixColumn {
  /** The `--target` value. */
  target: string;
  /** What ran, as the target describes itself ("redis-server 7.0.15 (/usr/bin/redis-server)"); "" if it never started. */
  name: string;
  /** The server version INFO server reported; "" if it never started. */
  version: string;
  /** The model profile checked against ("redis-7.0"); "" if it never started. */
  profile: string;
  status: ColumnStatus;
  /** The exit code `replcheck run` would give for this target alone, and why. */
  exitCode: number;
  verdict: string;
  /** For `unavailable`: what to do about it. */
  hint?: string;
  /** Generated scenarios run. */
  scenarios: number;
  /** Steps checked, in the targeted scenarios (run first) and the generated ones. */
  steps: number;
  elapsedMs: number;
  /** The target's own run folder (report.json, report.html, node logs), when the matrix was written to disk. */
  folder?: string;
  /** Its report.html. */
  report?: string;
  /** The counterexample's scenario file (`replcheck replay FILE`), when the campaign diverged. */
  counterexample?: string;
  /** The rules the shrunk counterexample breaks. */
  brokenRules: RuleId[];
}

/** `checked`: held in every check; `failed`; `not-exercised`: the campaign ran, no check of it did; `not-run`: the target gave no run. */
export type CellState = "checked" | "failed" | "not-exercised" | "not-run";

/** One rule on one target. */
export interface MatrixCell {
  state: CellState;
  /** Checks of the rule during the campaign (shrinking excluded). */
  checked: number;
  failed: number;
  /** For `failed`: the counterexample (scenario file, else the target's report at the rule), relative. */
  link?: string;
}

/** One rule: its id, title and a cell per column, in column order. */
export interface MatrixRow {
  rule: RuleId;
  title: string;
  cells: MatrixCell[];
}

/** The rules of one spec area file (`psync` for spec/psync.md), in catalogue order. */
export interface MatrixArea {
  area: string;
  rules: MatrixRow[];
}

/** The options every target's campaign ran with: the same seed, limits and shape for each. */
export interface MatrixOptions {
  targets: string[];
  seed: number;
  runs: number;
  /** Per target, milliseconds. */
  timeLimit: number;
  replicas: number;
  steps: number;
}

/** matrix.json. */
export interface Matrix {
  format: typeof MATRIX_FORMAT;
  /** The replcheck version that ran it. */
  replcheck: string;
  /** ISO 8601: when the first campaign started. */
  startedAt: string;
  options: MatrixOptions;
  /** The matrix's exit code (see matrix-verdict.ts) and why. */
  exitCode: number;
  verdict: string;
  columns: MatrixColumn[];
  areas: MatrixArea[];
}

/** A column with the result its campaign gave (none for a target that never ran). */
export interface ColumnRun {
  column: MatrixColumn;
  result?: CampaignResult;
}

/** The link a failed cell gets: the scenario file, else the rule's row in the target's report. */
function failureLink(column: MatrixColumn, rule: RuleId): string | undefined {
  if (column.counterexample !== undefined) return column.counterexample;
  return column.report === undefined ? undefined : `${column.report}#rule-${rule}`;
}

function cellOf(run: ColumnRun, rule: RuleId, broken: ReadonlySet<RuleId>): MatrixCell {
  const { column, result } = run;
  if (result === undefined) return { state: "not-run", checked: 0, failed: 0 };
  const s = result.rules.get(rule) ?? { checked: 0, failed: 0 };
  // Failed as the report's rule table and the JUnit file say: a failed check, or broken by the counterexample.
  if (s.failed > 0 || broken.has(rule)) {
    const link = failureLink(column, rule);
    return { state: "failed", checked: s.checked, failed: s.failed, ...(link === undefined ? {} : { link }) };
  }
  return { state: s.checked > 0 ? "checked" : "not-exercised", checked: s.checked, failed: 0 };
}

/** The rows of the matrix: every catalogue rule, grouped by its spec area, a cell per column. */
export function matrixAreas(runs: readonly ColumnRun[]): MatrixArea[] {
  const broken = runs.map((r) => new Set(r.result === undefined ? [] : counterexampleFailures(r.result).keys()));
  const areas: MatrixArea[] = [];
  for (const rule of RULE_IDS) {
    const area = RULES[rule].area.replace(/\.md$/, "");
    if (areas.at(-1)?.area !== area) areas.push({ area, rules: [] });
    areas.at(-1)!.rules.push({ rule, title: RULES[rule].title, cells: runs.map((r, i) => cellOf(r, rule, broken[i])) });
  }
  return areas;
}
