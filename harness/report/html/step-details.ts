// One panel per step, shown when the step is selected: the command, the reply, the PSYNCs the model
// decided, every node's predicted and observed state with the differences marked, and for a
// divergence each failed check with the rule it breaks and that rule's text.

import type { RuleId } from "../../../model/rule-ids.js";
import type { Check } from "../../check/compare.js";
import type { StepRecord } from "../../run/scenario-run.js";
import type { NodeSummary } from "../../run/summary.js";
import { syncLine } from "../text.js";
import { esc } from "./escape.js";
import { ruleLink, ruleText, withRuleLinks } from "./rule-text.js";
import { agrees, SUMMARY_FIELDS } from "./summary-values.js";
import { stepState } from "./timeline-data.js";

const STATE_LABEL = {
  ok: "checked, as predicted",
  diverged: "diverged",
  skipped: "skipped: outside the model",
  unknown: "unknown outcome",
} as const;

function replyBlock(r: StepRecord): string {
  if (r.reply === undefined) return "";
  if (r.reply.predicted === r.reply.observed)
    return `<p class="reply">reply <code>${esc(r.reply.observed)}</code> <span class="meta">(as predicted)</span></p>`;
  return `<p class="reply">reply <code class="diff">${esc(r.reply.observed)}</code> <span class="diff-mark">≠</span> predicted <code>${esc(r.reply.predicted)}</code></p>`;
}

const checkLine = (f: Check): string =>
  `<li class="failure-check" data-node="${esc(f.node)}">✗ <b>${esc(f.node)}</b> <code>${esc(f.field)}</code>: predicted <code>${esc(f.predicted)}</code>, observed <code class="diff">${esc(f.observed)}</code></li>`;

/** The failed checks of a step by the rule they name: the rule's text once, then each clause applied with its checks. */
function failuresBlock(failures: readonly Check[]): string {
  const byRule = new Map<RuleId, Check[]>();
  for (const f of failures) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  return [...byRule]
    .map(([rule, checks]) => {
      const also = [...new Set(checks.flatMap((f) => f.also ?? []))];
      const byClause = new Map<string, Check[]>();
      for (const f of checks) byClause.set(f.clause ?? "", [...(byClause.get(f.clause ?? "") ?? []), f]);
      const clauses = [...byClause]
        .map(
          ([clause, cs]) =>
            `${clause === "" ? "" : `<div class="clause">clause applied: ${withRuleLinks(clause)}</div>`}<ul class="checks">${cs.map(checkLine).join("")}</ul>`,
        )
        .join("");
      return (
        `<li class="failure" data-rule="${esc(rule)}"><div class="failure-head">✗ ${ruleLink(rule)} ${ruleText(rule)}</div>` +
        (also.length === 0
          ? ""
          : `<div class="also">explained as well by ${also.map(ruleLink).join(", ")} (a clause exactly at its boundary)</div>`) +
        `${clauses}</li>`
      );
    })
    .join("");
}

/** Rows = fields, and per node a predicted and an observed column; observed values that differ are marked. */
function nodesTable(r: StepRecord): string {
  const nodes = Object.keys(r.predicted);
  if (nodes.length === 0) return "";
  const failedNodes = new Set(r.failures.map((f) => f.node));
  const head =
    `<tr><th rowspan="2">field</th>${nodes.map((n) => `<th colspan="2" class="node-head${failedNodes.has(n) ? " failed" : ""}">${esc(n)}</th>`).join("")}</tr>` +
    `<tr>${nodes.map(() => `<th class="sub">predicted</th><th class="sub">observed</th>`).join("")}</tr>`;
  const row = (field: keyof NodeSummary): string => {
    const cells = nodes.map((n) => {
      const p = r.predicted[n]?.[field] ?? "";
      const o = r.observed[n]?.[field] ?? "";
      const differs = r.observed[n] !== undefined && !agrees(p, o);
      return `<td class="pred">${esc(p)}</td><td class="obs${differs ? " diff" : ""}"${differs ? ` data-diff="${esc(field)}"` : ""}>${differs ? '<span class="diff-mark">≠</span> ' : ""}${esc(o)}</td>`;
    });
    return `<tr><th>${esc(field)}</th>${cells.join("")}</tr>`;
  };
  return `<table class="nodes">${head}${SUMMARY_FIELDS.map(row).join("")}</table>`;
}

/**
 * The panel of one step, hidden until the page's script selects it. `idPrefix` keeps ids unique when
 * several scenarios share the page (the counterexample's panels are `step-N`).
 */
export function stepDetail(r: StepRecord, idPrefix = ""): string {
  const state = stepState(r);
  const parts: string[] = [];
  parts.push(
    `<h3><span class="step-no">Step ${r.index}</span> <code class="command">${esc(r.description)}</code> <span class="badge badge-${state}">${STATE_LABEL[state]}</span></h3>`,
  );
  if (r.skipped !== undefined) parts.push(`<p class="note">Not applied: ${esc(r.skipped)}</p>`);
  if (r.unknown !== undefined)
    parts.push(`<p class="note">The run stopped here without a verdict: ${esc(r.unknown)}</p>`);
  parts.push(replyBlock(r));
  if (r.outcomes > 1)
    parts.push(
      `<p class="note">The model allowed ${r.outcomes} outcomes; the one observed: ${esc(r.path.join(", ") || "the first")}.</p>`,
    );
  if (r.failures.length > 0)
    parts.push(`<h4>Failed checks, by the rule broken</h4><ul class="failures">${failuresBlock(r.failures)}</ul>`);
  if (r.syncs.length > 0)
    parts.push(
      `<h4>PSYNC decided by the model</h4><ul class="syncs">${r.syncs.map((e) => `<li>${withRuleLinks(syncLine(e))}</li>`).join("")}</ul>`,
    );
  parts.push(nodesTable(r));
  if (r.notes.length > 0)
    parts.push(
      `<h4>What the model did</h4><ul class="notes">${r.notes.map((n) => `<li>${withRuleLinks(n)}</li>`).join("")}</ul>`,
    );
  if (r.checks.length > 0)
    parts.push(
      `<p class="meta">${r.checks.length} checks, ${r.failures.length} failed; settled in ${r.settleMs} ms.</p>`,
    );
  return `<section class="step-detail" id="${esc(idPrefix)}step-${r.index}" data-step="${r.index}" hidden>${parts.join("")}</section>`;
}
