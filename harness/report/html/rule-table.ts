// The rule table: every rule of the catalogue (model/rule-ids.ts) with how often this run checked
// it and how often it failed; a rule no step checked is listed as skipped, with its layer.

import { RULE_IDS, RULES, type RuleId } from "../../../model/rule-ids.js";
import type { RuleStats } from "../../run/campaign.js";
import { esc } from "./escape.js";
import { ruleAnchor, withRuleLinks } from "./rule-text.js";

/** A rule in this run: some check of it failed, every check held, or no step checked it. */
export type RuleStatus = "failed" | "held" | "skipped";

/** One row of the rule table: the catalogue's entry with this run's counts. */
export interface RuleRow {
  id: RuleId;
  area: string;
  title: string;
  summary: string;
  layer: string;
  checked: number;
  failed: number;
  status: RuleStatus;
}

/** Every rule of the catalogue, in catalogue order, with `stats` (a rule absent from it is skipped). */
export function ruleRows(stats: ReadonlyMap<RuleId, RuleStats>): RuleRow[] {
  return RULE_IDS.map((id) => {
    const r = RULES[id];
    const s = stats.get(id) ?? { checked: 0, failed: 0 };
    const status: RuleStatus = s.failed > 0 ? "failed" : s.checked > 0 ? "held" : "skipped";
    return {
      id,
      area: r.area,
      title: r.title,
      summary: r.summary,
      layer: r.layer,
      checked: s.checked,
      failed: s.failed,
      status,
    };
  });
}

const STATUS_TEXT: Record<RuleStatus, string> = { failed: "✗ failed", held: "✓ held", skipped: "skipped" };

/** The rule table card's content: counts by status, then one row per rule grouped by spec area. */
export function ruleTableHtml(stats: ReadonlyMap<RuleId, RuleStats>): string {
  const rows = ruleRows(stats);
  const count = (s: RuleStatus) => rows.filter((r) => r.status === s).length;
  const body: string[] = [];
  let area = "";
  for (const r of rows) {
    if (r.area !== area) {
      area = r.area;
      body.push(`<tr class="area"><th colspan="6">spec/${esc(area)}</th></tr>`);
    }
    const why =
      r.status === "skipped"
        ? "no step of this run checked it"
        : r.status === "failed"
          ? `failed ${r.failed} of ${r.checked} checks`
          : `held in ${r.checked} checks`;
    body.push(
      `<tr id="${ruleAnchor(r.id)}" class="rule-row rule-${r.status}" data-rule="${esc(r.id)}">` +
        `<td class="id">${esc(r.id)}</td><td><div class="rule-title">${withRuleLinks(r.title)}</div><div class="rule-summary">${withRuleLinks(r.summary)}</div></td>` +
        `<td class="layer">${esc(r.layer)}</td><td class="num">${r.checked}</td><td class="num">${r.failed}</td><td class="status" title="${why}">${STATUS_TEXT[r.status]}</td></tr>`,
    );
  }
  return (
    `<p class="rule-counts"><span class="badge ${count("failed") > 0 ? "badge-diverged" : "badge-skipped"}">${count("failed")} failed</span> <span class="badge badge-ok">${count("held")} held</span> <span class="badge badge-skipped">${count("skipped")} skipped</span> of ${rows.length} rules in the catalogue</p>` +
    `<table class="rules"><thead><tr><th>rule</th><th>title and statement</th><th>layer</th><th>checked</th><th>failed</th><th>status</th></tr></thead><tbody>${body.join("")}</tbody></table>`
  );
}
