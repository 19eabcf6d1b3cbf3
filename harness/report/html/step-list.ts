// A scenario's steps as a numbered table: the command, the reply (the predicted one beside it where
// they differ) and the result with the rules a failure broke. A click on a row selects the step.

import type { ScenarioResult } from "../../run/scenario-run.js";
import { esc } from "./escape.js";
import { ruleLink } from "./rule-text.js";
import { stepState } from "./timeline-data.js";

/** The step table of `scenario`. */
export function stepList(scenario: Pick<ScenarioResult, "steps">): string {
  const rows = scenario.steps.map((r) => {
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
