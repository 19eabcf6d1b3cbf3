// With `--html-all`: one collapsed entry per kept scenario (the last generated ones, oldest first),
// each with its own timeline, step panels and step list, opened by a click on its summary line.
// Each entry is a selection scope of the page's script, so its steps are chosen independently.

import type { CampaignHistory, KeptScenario } from "../../run/campaign-history.js";
import { esc } from "./escape.js";
import { TIMELINE_LEGEND } from "./legend.js";
import { ruleLink } from "./rule-text.js";
import { stepDetail } from "./step-details.js";
import { stepList } from "./step-list.js";
import { timeline } from "./timeline-data.js";
import { timelineSvg } from "./timeline-svg.js";

/** A kept scenario's selection scope (and the prefix of its ids): `s0`, `s1`, … by scenario index. */
export const keptScope = (index: number): string => `s${index}`;

const STATUS_BADGE: Record<string, string> = {
  passed: "badge-ok",
  diverged: "badge-diverged",
  inconclusive: "badge-unknown",
  interrupted: "badge-skipped",
};

function keptEntry({ index, result }: KeptScenario, pathGiven: string | undefined): string {
  const scope = keptScope(index);
  const t = timeline(result);
  const rules = [...new Set(result.steps.flatMap((s) => s.failures.map((f) => f.rule)))];
  const path = pathGiven ?? String(index);
  const summary =
    `<summary><b>scenario ${index}</b> <span class="badge ${STATUS_BADGE[result.status] ?? "badge-skipped"}">${esc(result.status)}</span> ` +
    `${result.steps.length} steps${rules.length === 0 ? "" : `, breaking ${rules.map(ruleLink).join(", ")}`}` +
    `${result.reason === undefined || result.status === "passed" ? "" : ` <span class="meta">${esc(result.reason)}</span>`}` +
    ` <span class="meta">--path ${esc(path)}</span></summary>`;
  const initial = t.divergent ?? result.steps[result.steps.length - 1]?.index;
  return (
    `<details class="scenario" id="${scope}" data-scope="${scope}" data-scenario="${index}" data-status="${esc(result.status)}"${initial === undefined ? "" : ` data-initial-step="${initial}"`}>` +
    summary +
    `<div class="timeline-scroll">${timelineSvg(t, { key: scope })}</div>` +
    `<div class="step-panels">${result.steps.map((r) => stepDetail(r, `${scope}-`)).join("")}</div>` +
    stepList(result) +
    `</details>`
  );
}

/**
 * The kept scenarios' card, saying how many were kept and how many dropped; undefined when the run
 * kept none (without `--html-all` only the counterexample is kept).
 */
export function keptScenariosSection(
  history: CampaignHistory,
  pathGiven: string | undefined,
  /** The counterexample's card above already shows the legend. */
  withLegend: boolean,
  /** The generated scenarios the result counts (more than the history saw when lanes ran elsewhere). */
  runs: number,
): string | undefined {
  if (history.keep === 0) return undefined;
  const kept = history.kept();
  const total = kept.length + history.dropped;
  const unseen =
    runs > total
      ? ` <b class="dropped">${runs - total} of the run's ${runs} scenarios were not reported to this process</b> (they ran where the campaign's history could not record them, and no one passed their steps on).`
      : "";
  const dropped =
    history.dropped === 0
      ? `all ${total} generated scenario${total === 1 ? "" : "s"} of the run`
      : `the last ${kept.length} of ${total} generated scenarios; <b class="dropped">${history.dropped} older scenario${history.dropped === 1 ? " was" : "s were"} dropped</b> (--html-all keeps the last ${history.keep})`;
  return (
    `<section class="card" id="scenarios" data-kept="${kept.length}" data-dropped="${history.dropped}"><h2>Scenarios (--html-all)</h2>` +
    `<p>${dropped}.${unseen} Shrink attempts are not kept. Open a scenario to see its timeline; click a step (or use ← →) to see it.</p>` +
    (withLegend ? TIMELINE_LEGEND : "") +
    kept.map((k) => keptEntry(k, pathGiven)).join("") +
    `</section>`
  );
}
