// The counterexample's part of the report: what broke where, the legend, the timeline, the panel
// of the selected step (the divergent one at first) and the numbered list of steps.

import type { ScenarioResult } from "../../run/scenario-run.js";
import { esc } from "./escape.js";
import { ruleLink } from "./rule-text.js";
import { stepDetail } from "./step-details.js";
import { stepState, timeline } from "./timeline-data.js";
import { timelineSvg } from "./timeline-svg.js";

const LEGEND = [
  `<span><i class="sw role-master"></i>master</span>`,
  `<span><i class="sw role-replica"></i>replica of …</span>`,
  `<span><i class="sw link-up"></i>link up</span>`,
  `<span><i class="sw link-connecting"></i>link up, not connected</span>`,
  `<span><i class="sw link-throttle"></i>throttled</span>`,
  `<span><i class="sw link-cut"></i>cut</span>`,
  `<span><i class="sw link-blackhole"></i>blackhole</span>`,
  `<span><i class="sw line"></i>offset observed</span>`,
  `<span><i class="sw line dashed"></i>offset predicted</span>`,
  `<span><i class="sw backlog"></i>backlog window</span>`,
  `<span><i class="sw backlog-predicted"></i>backlog predicted, where it differs</span>`,
  `<span><i class="sw dot marker-full">F</i>full sync</span>`,
  `<span><i class="sw dot marker-partial">P</i>partial sync</span>`,
  `<span><i class="sw dot marker-promoted">▲</i>promoted (failover)</span>`,
  `<span><i class="sw dot marker-restart">↻</i>restart</span>`,
  `<span><b class="diff-mark">≠</b> differs from the model</span>`,
  `<span>R1, R2 … replication ids</span>`,
].join("");

function stepList(ce: ScenarioResult): string {
  const rows = ce.steps.map((r) => {
    const state = stepState(r);
    const rules = [...new Set(r.failures.map((f) => f.rule))].map(ruleLink).join(", ");
    const reply =
      r.reply === undefined
        ? ""
        : r.reply.predicted === r.reply.observed
          ? esc(r.reply.observed)
          : `<span class="diff">${esc(r.reply.observed)}</span> <span class="meta">(predicted ${esc(r.reply.predicted)})</span>`;
    return `<tr class="step-row step-${state}" data-step="${r.index}"><td>${r.index}</td><td><code>${esc(r.description)}</code></td><td><code>${reply}</code></td><td><span class="badge badge-${state}">${state === "ok" ? "✓" : state === "diverged" ? "✗ diverged" : state}</span> ${rules}</td></tr>`;
  });
  return `<table class="steps step-list"><thead><tr><th>#</th><th>step</th><th>reply</th><th>result</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

export interface CounterexampleSection {
  html: string;
  /** The step selected when the page opens: the divergent one, else the last. */
  initialStep?: number;
}

export function counterexampleSection(ce: ScenarioResult, heading: string): CounterexampleSection {
  const t = timeline(ce);
  const failed = ce.steps.find((s) => s.failures.length > 0);
  const rules =
    failed === undefined
      ? ""
      : [...new Set(failed.failures.flatMap((f) => [f.rule, ...(f.also ?? [])]))].map(ruleLink).join(", ");
  const what =
    failed === undefined
      ? `${ce.steps.length} steps, ${esc(ce.status)}${ce.reason === undefined ? "" : `: ${esc(ce.reason)}`}`
      : `${ce.steps.length} steps; diverged at <a href="#step-${failed.index}" class="divergent-link" data-step="${failed.index}">step ${failed.index}</a>, breaking ${rules}`;
  const html =
    `<section class="card counterexample" id="counterexample"><h2>${esc(heading)}</h2>` +
    `<p>${what} <span class="meta">on ${esc(ce.target)}, profile ${esc(ce.profile)}. Click a step (or use ← →) to see it.</span></p>` +
    `<div class="legend">${LEGEND}</div>` +
    `<div class="timeline-scroll">${timelineSvg(t)}</div></section>` +
    `<section class="card" id="step-panel"><h2>Selected step</h2>${ce.steps.map(stepDetail).join("")}</section>` +
    `<section class="card" id="steps"><h2>Steps</h2>${stepList(ce)}</section>`;
  return { html, initialStep: t.divergent ?? ce.steps[ce.steps.length - 1]?.index };
}
