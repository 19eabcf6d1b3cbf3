// Clause coverage (issue 10 §1): how often each clause of the catalogue (model/clauses.ts) was
// taken by the model outcome that explained a checked step, and which clauses never were.

import {
  allClauses,
  type ClauseRule,
  clauseApplies,
  clauseAppliesToCluster,
  clauseUnreachable,
  type Profile,
  type RuleClause,
} from "../../model/index.js";
import { RULES, type RuleId } from "../../model/rule-ids.js";
import { compareRuleIds } from "./rule-order.js";

/**
 * Per rule, per clause id: the checked steps whose chosen outcome took that clause; `profile`, the
 * model profile of the run, tells which clauses it could not take at all.
 */
export interface Coverage {
  counts: Map<RuleId, Map<string, number>>;
  profile?: Profile;
  /** A mixed target's profiles, when its nodes differ (no single `profile`). */
  mixed?: Profile[];
}

/** Whether the run's profile(s) can take the clause; without any known profile, every clause can. */
function applies(coverage: Coverage, rule: RuleId, clauseId: string): boolean {
  if (coverage.profile !== undefined) return clauseApplies(coverage.profile, rule as ClauseRule, clauseId);
  if (coverage.mixed !== undefined) return clauseAppliesToCluster(coverage.mixed, rule as ClauseRule, clauseId);
  return true;
}

/** The profile(s) the "possible" counts are of: "redis-7.0", or "builtin+redis-7.0" for a mixed run. */
function profileLabel(coverage: Coverage): string | undefined {
  return coverage.profile?.id ?? coverage.mixed?.map((p) => p.id).join("+");
}

/** Count each clause of one step once. */
export function tallyCoverage(coverage: Coverage, clauses: readonly RuleClause[]): void {
  for (const { rule, clauseId } of clauses) {
    const perRule = coverage.counts.get(rule) ?? new Map<string, number>();
    perRule.set(clauseId, (perRule.get(clauseId) ?? 0) + 1);
    coverage.counts.set(rule, perRule);
  }
}

export interface CoverageRow {
  rule: RuleId;
  clause: string;
  description: string;
  /** Model-layer rule (spec/README.md's catalogue): the default run aims to exercise all of these. */
  model: boolean;
  /** The run's profile can take this clause (false: another version's behaviour, or FULLSYNC-7's mixed versions). */
  applies: boolean;
  times: number;
  /** Why no step sequence of the model reaches it (listed apart from the misses), when none does. */
  unreachable?: string;
}

/** Every clause of the catalogue with its count (0 when never exercised), by rule then catalogue order. */
export function coverageRows(coverage: Coverage): CoverageRow[] {
  const rows = allClauses().map((c) => ({
    rule: c.rule as RuleId,
    clause: c.clauseId,
    description: c.description,
    model: RULES[c.rule].layer.includes("model"),
    applies: applies(coverage, c.rule as RuleId, c.clauseId),
    times: coverage.counts.get(c.rule)?.get(c.clauseId) ?? 0,
    ...unreachableField(c.rule as ClauseRule, c.clauseId),
  }));
  return rows.sort((a, b) => compareRuleIds(a.rule, b.rule));
}

const unreachableField = (rule: ClauseRule, clauseId: string): { unreachable?: string } => {
  const why = clauseUnreachable(rule, clauseId);
  return why === undefined ? {} : { unreachable: why };
};

/** A clause a run could have taken and did not: possible on its profile(s) and reachable. */
const missedRow = (r: CoverageRow): boolean => r.times === 0 && r.applies && r.unreachable === undefined;

/** The table people read: rule, clause, times exercised, then the clauses never exercised. */
export function coverageTable(coverage: Coverage): string {
  const rows = coverageRows(coverage);
  const hit = rows.filter((r) => r.times > 0);
  const missed = rows.filter(missedRow);
  const unreachable = rows.filter((r) => r.times === 0 && r.applies && r.unreachable !== undefined);
  const elsewhere = rows.filter((r) => r.times === 0 && !r.applies);
  // Possible: the profile(s) can take it and some step sequence reaches it.
  const reachable = rows.filter((r) => r.applies && r.unreachable === undefined).length;
  const label = profileLabel(coverage);
  const of = label === undefined ? "" : ` (${reachable} possible on ${label})`;
  const width = Math.max(6, ...rows.map((r) => r.clause.length));
  const lines = [
    `clause coverage: ${hit.length} of ${rows.length} clauses exercised${of}`,
    `${"rule".padEnd(12)} ${"clause".padEnd(width)}   times`,
  ];
  for (const r of hit) lines.push(`${r.rule.padEnd(12)} ${r.clause.padEnd(width)} ${String(r.times).padStart(7)}`);
  if (missed.length > 0) {
    lines.push(`never exercised (${missed.length}):`);
    for (const r of missed) lines.push(`  ${r.rule.padEnd(12)} ${r.clause.padEnd(width)}  ${r.description}`);
  }
  if (unreachable.length > 0)
    lines.push(
      `kept in the model for states no step sequence reaches (${unreachable.length}): ${unreachable.map((r) => `${r.rule} ${r.clause}`).join(", ")}`,
    );
  if (elsewhere.length > 0) {
    lines.push(
      `not possible on ${label} (${elsewhere.length}): ${elsewhere.map((r) => `${r.rule} ${r.clause}`).join(", ")}`,
    );
  }
  return lines.join("\n");
}

/** What report.json carries: every clause with its count, the ones never exercised and the ones the profile cannot take. */
export function coverageJson(coverage: Coverage): {
  profile?: string;
  exercised: number;
  clauses: number;
  possible: number;
  rows: CoverageRow[];
  missed: { rule: RuleId; clause: string }[];
  notPossible: { rule: RuleId; clause: string }[];
  unreachable?: { rule: RuleId; clause: string }[];
} {
  const rows = coverageRows(coverage);
  const pick = (r: CoverageRow) => ({ rule: r.rule, clause: r.clause });
  return {
    ...(profileLabel(coverage) === undefined ? {} : { profile: profileLabel(coverage) }),
    exercised: rows.filter((r) => r.times > 0).length,
    clauses: rows.length,
    possible: rows.filter((r) => r.applies && r.unreachable === undefined).length,
    rows,
    missed: rows.filter(missedRow).map(pick),
    notPossible: rows.filter((r) => r.times === 0 && !r.applies).map(pick),
    unreachable: rows.filter((r) => r.times === 0 && r.applies && r.unreachable !== undefined).map(pick),
  };
}
