// Clause coverage (issue 10 §1): how often each clause of the catalogue (model/clauses.ts) was
// taken by the model outcome that explained a checked step, and which clauses never were.

import { allClauses, type RuleClause } from "../../model/index.js";
import { RULES, type RuleId } from "../../model/rule-ids.js";
import { compareRuleIds } from "./text.js";

/** Per rule, per clause id: the checked steps whose chosen outcome took that clause. */
export type Coverage = Map<RuleId, Map<string, number>>;

/** Count each clause of one step once. */
export function tallyCoverage(coverage: Coverage, clauses: readonly RuleClause[]): void {
  for (const { rule, clauseId } of clauses) {
    const perRule = coverage.get(rule) ?? new Map<string, number>();
    perRule.set(clauseId, (perRule.get(clauseId) ?? 0) + 1);
    coverage.set(rule, perRule);
  }
}

export interface CoverageRow {
  rule: RuleId;
  clause: string;
  description: string;
  /** Model-layer rule (spec/README.md's catalogue): the default run aims to exercise all of these. */
  model: boolean;
  times: number;
}

/** Every clause of the catalogue with its count (0 when never exercised), by rule then catalogue order. */
export function coverageRows(coverage: Coverage): CoverageRow[] {
  const rows = allClauses().map((c) => ({
    rule: c.rule as RuleId,
    clause: c.clauseId,
    description: c.description,
    model: RULES[c.rule].layer.includes("model"),
    times: coverage.get(c.rule)?.get(c.clauseId) ?? 0,
  }));
  return rows.sort((a, b) => compareRuleIds(a.rule, b.rule));
}

/** The table people read: rule, clause, times exercised, then the clauses never exercised. */
export function coverageTable(coverage: Coverage): string {
  const rows = coverageRows(coverage);
  const hit = rows.filter((r) => r.times > 0);
  const missed = rows.filter((r) => r.times === 0);
  const width = Math.max(6, ...rows.map((r) => r.clause.length));
  const lines = [`clause coverage: ${hit.length} of ${rows.length} clauses exercised`, `${"rule".padEnd(12)} ${"clause".padEnd(width)}   times`];
  for (const r of hit) lines.push(`${r.rule.padEnd(12)} ${r.clause.padEnd(width)} ${String(r.times).padStart(7)}`);
  if (missed.length > 0) {
    lines.push(`never exercised (${missed.length}):`);
    for (const r of missed) lines.push(`  ${r.rule.padEnd(12)} ${r.clause.padEnd(width)}  ${r.description}`);
  }
  return lines.join("\n");
}

/** What report.json carries: every clause with its count, and the ones never exercised. */
export function coverageJson(coverage: Coverage): { exercised: number; clauses: number; rows: CoverageRow[]; missed: { rule: RuleId; clause: string }[] } {
  const rows = coverageRows(coverage);
  const missed = rows.filter((r) => r.times === 0).map((r) => ({ rule: r.rule, clause: r.clause }));
  return { exercised: rows.length - missed.length, clauses: rows.length, rows, missed };
}
