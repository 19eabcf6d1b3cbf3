// Reports for people: the live progress line, the per-rule summary, and the counterexample as a
// numbered step table of predicted vs observed state per node.

import { describeRequest, type SyncEvent } from "../../model/index.js";
import type { Check } from "../check/compare.js";
import type { CampaignProgress, RuleStats } from "../run/campaign.js";
import type { ScenarioResult, StepRecord } from "../run/scenario-run.js";
import type { NodeSummary } from "../run/summary.js";
import { compareRuleIds } from "./rule-order.js";

export function progressLine(p: CampaignProgress): string {
  const secs = (p.elapsedMs / 1000).toFixed(1);
  const shrinking = p.shrinking ? ", shrinking a divergence" : "";
  const inconclusive = p.inconclusive > 0 ? `, ${p.inconclusive} inconclusive` : "";
  return `runs ${p.runs}, steps checked ${p.steps}, failures ${p.failures}${inconclusive}${shrinking}, ${secs}s`;
}

export function ruleTable(rules: ReadonlyMap<string, RuleStats>): string {
  const rows = [...rules].sort(([a], [b]) => compareRuleIds(a, b));
  const lines = ["rule         checked   failed"];
  for (const [rule, s] of rows)
    lines.push(
      `${rule.padEnd(12)} ${String(s.checked).padStart(7)}   ${String(s.failed).padStart(6)}${s.failed > 0 ? "  ✗" : ""}`,
    );
  return lines.join("\n");
}

const FIELDS: (keyof NodeSummary)[] = ["role", "link", "offset", "replid", "replid2", "backlog", "syncs"];

function summaryText(s: NodeSummary | undefined): string {
  if (s === undefined) return "";
  return `${s.role}${s.link === "-" ? "" : ` link ${s.link}`}, offset ${s.offset}, replid ${s.replid}${s.replid2 === "-" ? "" : `, replid2 ${s.replid2}`}, backlog ${s.backlog}, ${s.syncs}`;
}

/** The fields where the observation differs from the prediction, as "field: predicted → observed". */
function differences(p: NodeSummary | undefined, o: NodeSummary | undefined): string[] {
  if (p === undefined || o === undefined) return [];
  return FIELDS.filter((f) => p[f] !== o[f]).map((f) => `${f}: ${p[f]} → ${o[f]}`);
}

/** A PSYNC the model decided in a step: the request, the outcome, the rule and clause, and why. */
export function syncLine(e: SyncEvent): string {
  const v = e.verdict;
  const also = v.also === undefined ? "" : ` (also at its boundary: ${v.also.join(", ")})`;
  const failed = e.failed === undefined ? "" : `; the load fails: ${e.failed}`;
  return `${e.replica} → ${e.master}: ${describeRequest(e.request)} → ${e.outcome === "continue" ? "+CONTINUE" : "+FULLRESYNC"} by ${v.rule}${also}: ${v.clause}; ${v.reason}${failed}`;
}

/** The rule a failed check names, with the rules that explain it as well. */
const rulesOf = (f: Check): string =>
  f.also === undefined || f.also.length === 0 ? f.rule : `${f.rule} (or ${f.also.join(", ")})`;

/** One failed check: rule, node, field, predicted and observed, and the clause that set the prediction. */
export function failureLine(f: Check): string {
  return `✗ ${rulesOf(f)} ${f.node} ${f.field}: predicted ${f.predicted}, observed ${f.observed}${f.clause === undefined ? "" : ` — ${f.clause}`}`;
}

/** One step: the action, the reply, and per node the predicted state and what differed. */
export function stepBlock(r: StepRecord): string {
  const out: string[] = [];
  const mark =
    r.failures.length > 0
      ? "  ✗"
      : r.skipped !== undefined
        ? "  (skipped)"
        : r.unknown !== undefined
          ? "  (unknown outcome)"
          : "";
  out.push(`${String(r.index).padStart(3)}. ${r.description}${mark}`);
  if (r.skipped !== undefined) out.push(`       outside the model: ${r.skipped}`);
  if (r.unknown !== undefined) out.push(`       ${r.unknown}`);
  if (r.reply !== undefined) {
    const same = r.reply.predicted === r.reply.observed;
    out.push(
      `       reply: ${same ? r.reply.observed : `predicted ${r.reply.predicted}, observed ${r.reply.observed}`}`,
    );
  }
  if (r.outcomes > 1)
    out.push(`       model allowed ${r.outcomes} outcomes; observed: ${r.path.join(", ") || "the first"}`);
  for (const e of r.syncs) out.push(`       sync ${syncLine(e)}`);
  for (const node of Object.keys(r.predicted)) {
    const diffs = differences(r.predicted[node], r.observed[node]);
    out.push(`       ${node}: ${summaryText(r.predicted[node])}`);
    for (const d of diffs) out.push(`           ≠ ${d}`);
  }
  for (const f of r.failures) out.push(`       ${failureLine(f)}`);
  for (const n of r.notes) out.push(`       · ${n}`);
  return out.join("\n");
}

export function counterexampleText(result: ScenarioResult): string {
  const lines = [`Counterexample (${result.steps.length} steps) on ${result.target}, profile ${result.profile}:`];
  for (const r of result.steps) lines.push(stepBlock(r));
  const failed = result.steps.find((s) => s.failures.length > 0);
  if (failed !== undefined) {
    const rules = [...new Set(failed.failures.map(rulesOf))];
    lines.push(
      "",
      `Diverged at step ${failed.index}, breaking ${rules.join(", ")} (see spec/README.md for each rule).`,
    );
  }
  return lines.join("\n");
}
