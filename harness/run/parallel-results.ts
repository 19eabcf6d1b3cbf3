// The result of a campaign run as lanes: counts, rule statistics and clause coverage summed over
// the lanes; the counterexample, its path, shrinking and replays of the lane that found it first.

import type { RuleId } from "../../model/rule-ids.js";
import type { Coverage } from "../report/coverage.js";
import type { CampaignResult, RuleStats } from "./campaign.js";

export interface LaneMergeContext {
  seed: number;
  /** The lane that found the first divergence or error (it alone shrank), if any. */
  winner: number | undefined;
  /** Epoch milliseconds when the lanes started. */
  startedAt: number;
  /** The user interrupted the run (a lane stopped by another lane is not interrupted). */
  interrupted: boolean;
  /** The lane of each inconclusive scenario, in the order they were reported. */
  inconclusiveOrder: readonly number[];
}

/** One campaign result from the lanes' results. */
export function mergeLaneResults(results: readonly CampaignResult[], ctx: LaneMergeContext): CampaignResult {
  const rules = new Map<RuleId, RuleStats>();
  const coverage: Coverage = { counts: new Map() };
  for (const r of results) {
    for (const [rule, s] of r.rules) {
      const t = rules.get(rule) ?? { checked: 0, failed: 0 };
      rules.set(rule, { checked: t.checked + s.checked, failed: t.failed + s.failed });
    }
    for (const [rule, clauses] of r.coverage?.counts ?? []) {
      const perRule = coverage.counts.get(rule) ?? new Map<string, number>();
      for (const [clause, n] of clauses) perRule.set(clause, (perRule.get(clause) ?? 0) + n);
      coverage.counts.set(rule, perRule);
    }
    coverage.profile ??= r.coverage?.profile;
  }
  const sum = (f: (r: CampaignResult) => number) => results.reduce((a, r) => a + f(r), 0);
  const found = ctx.winner === undefined ? undefined : results[ctx.winner];
  // Reasons in the order their scenarios were reported, each lane's in its own order.
  const reasons = results.map((r) => [...r.inconclusiveReasons]);
  const inconclusiveReasons = ctx.inconclusiveOrder.map((lane) => reasons[lane].shift() ?? "unknown outcome");
  for (const rest of reasons) inconclusiveReasons.push(...rest);
  const merged: CampaignResult = {
    runs: sum((r) => r.runs),
    steps: sum((r) => r.steps),
    failures: sum((r) => r.failures),
    inconclusive: sum((r) => r.inconclusive),
    shrinking: false,
    elapsedMs: Date.now() - ctx.startedAt,
    seed: ctx.seed,
    rules,
    coverage,
    inconclusiveReasons,
    profile: results.find((r) => r.profile !== undefined)?.profile,
    target: results.find((r) => r.target !== undefined)?.target,
    interrupted: ctx.interrupted,
  };
  const source = found ?? results.find((r) => r.error !== undefined || r.counterexample !== undefined);
  if (source !== undefined) {
    for (const key of ["path", "counterexample", "counterexampleRaws", "error", "reproduced", "shrink"] as const) {
      if (source[key] !== undefined) Object.assign(merged, { [key]: source[key] });
    }
  }
  return merged;
}
