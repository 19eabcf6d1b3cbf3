// The counterexample's part of the report: what broke where, the legend, the timeline, the panel
// of the selected step (the divergent one at first) and the numbered list of steps. Its three
// cards form one selection scope (`data-scope`) of the page's script.

import type { ScenarioResult } from "../../run/scenario-run.js";
import { esc } from "./escape.js";
import { TIMELINE_LEGEND } from "./legend.js";
import { ruleLink } from "./rule-text.js";
import { stepDetail } from "./step-details.js";
import { stepList } from "./step-list.js";
import { timeline } from "./timeline-data.js";
import { timelineSvg } from "./timeline-svg.js";

/** The counterexample's selection scope on the page (the kept scenarios have their own). */
export const COUNTEREXAMPLE_SCOPE = "counterexample";

/** The counterexample's cards, and which step the page opens on. */
export interface CounterexampleSection {
  html: string;
  /** The step selected when the page opens: the divergent one, else the last. */
  initialStep?: number;
}

/** The counterexample's cards: summary line, legend and timeline; the selected step's panel; the step list. */
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
  const scope = `data-scope="${COUNTEREXAMPLE_SCOPE}"`;
  const html =
    `<section class="card counterexample" id="counterexample" ${scope}><h2>${esc(heading)}</h2>` +
    `<p>${what} <span class="meta">on ${esc(ce.target)}, profile ${esc(ce.profile)}. Click a step (or use ← →) to see it.</span></p>` +
    TIMELINE_LEGEND +
    `<div class="timeline-scroll">${timelineSvg(t, { id: "timeline", key: COUNTEREXAMPLE_SCOPE })}</div></section>` +
    `<section class="card" id="step-panel" ${scope}><h2>Selected step</h2>${ce.steps.map((r) => stepDetail(r)).join("")}</section>` +
    `<section class="card" id="steps" ${scope}><h2>Steps</h2>${stepList(ce)}</section>`;
  return { html, initialStep: t.divergent ?? ce.steps[ce.steps.length - 1]?.index };
}
