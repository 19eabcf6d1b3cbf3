// "Scenarios over time": an inline SVG chart of the generated scenarios finished over the run's
// elapsed time, one point per scenario run where it ended, by how it ended (passed, inconclusive,
// diverged, interrupted, an error), with the shrink attempts after a divergence drawn apart (they
// re-run smaller variants and do not add scenarios), over a band that marks the shrinking phase.

import type { ScenarioTiming } from "../../run/campaign-history.js";
import { esc } from "./escape.js";

/** How a point is drawn: a generated scenario's status, or a shrink attempt. */
export type PointKind = "passed" | "inconclusive" | "diverged" | "interrupted" | "error" | "shrinking";

const KIND_TEXT: Record<PointKind, string> = {
  passed: "passed",
  inconclusive: "inconclusive",
  diverged: "diverged",
  interrupted: "interrupted (time limit or signal)",
  error: "error (harness, model or target)",
  shrinking: "shrink attempt",
};

/** Above this many points, passed scenarios are thinned evenly (every other kind is always drawn). */
export const MAX_CHART_POINTS = 3000;

const W = 760;
const H = 230;
const M = { left: 52, right: 18, top: 14, bottom: 38 };

/** How a run is drawn: a shrink attempt apart, else by its status. */
export const pointKind = (t: ScenarioTiming): PointKind => (t.phase === "shrink" ? "shrinking" : t.status);

/** A round step for an axis of `span` with about `ticks` ticks (1, 2 or 5 times a power of ten). */
function tickStep(span: number, ticks: number): number {
  const raw = span / ticks;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

function pointShape(kind: PointKind, x: number, y: number): string {
  const c = (r: number) => `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}"/>`;
  switch (kind) {
    case "shrinking":
      return `<path d="M${x.toFixed(1)},${(y - 5).toFixed(1)}l5,5l-5,5l-5,-5z"/>`;
    case "diverged":
      return `<path d="M${(x - 5).toFixed(1)},${(y - 5).toFixed(1)}l10,10m0,-10l-10,10"/>${c(6.5)}`;
    case "error":
      return `<rect x="${(x - 4.5).toFixed(1)}" y="${(y - 4.5).toFixed(1)}" width="9" height="9"/>`;
    default:
      return c(kind === "passed" ? 3.5 : 4.5);
  }
}

/** Which timings get a point: all of them, or with too many, every non-passed one and an even share of the passed. */
function drawn(timings: readonly ScenarioTiming[]): boolean[] {
  if (timings.length <= MAX_CHART_POINTS) return timings.map(() => true);
  const passed = timings.filter((t) => pointKind(t) === "passed").length;
  const room = Math.max(1, MAX_CHART_POINTS - (timings.length - passed));
  const every = Math.ceil(passed / room);
  let seen = 0;
  return timings.map((t) => pointKind(t) !== "passed" || seen++ % every === 0);
}

/**
 * The chart for `timings` (CampaignHistory.timings, in the order the runs ended), with its legend;
 * a sentence instead when none were recorded. `runs`: the generated scenarios the result counts.
 */
export function scenariosChart(timings: readonly ScenarioTiming[], runs: number): string {
  if (timings.length === 0)
    return `<p class="meta" id="scenarios-chart-empty">${
      runs === 0
        ? "No scenario finished, so there is nothing to chart."
        : `The times of this run's ${runs} scenarios were not reported to this process (they ran where the campaign's history could not record them).`
    }</p>`;
  const endMs = Math.max(1000, ...timings.map((t) => t.endMs));
  const generated = timings.filter((t) => t.phase === "explore").length;
  const top = Math.max(1, generated);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (ms: number) => M.left + (ms / endMs) * plotW;
  const y = (n: number) => M.top + plotH - (n / top) * plotH;
  const parts: string[] = [];

  const shrinks = timings.filter((t) => t.phase === "shrink");
  if (shrinks.length > 0) {
    const from = Math.min(...shrinks.map((t) => t.startMs ?? t.endMs));
    const to = Math.max(...shrinks.map((t) => t.endMs));
    parts.push(
      `<rect class="shrink-band" x="${x(from).toFixed(1)}" y="${M.top}" width="${Math.max(2, x(to) - x(from)).toFixed(1)}" height="${plotH}"><title>shrinking: ${shrinks.length} attempts, ${secs(from)} to ${secs(to)}</title></rect>`,
    );
  }
  const xStep = tickStep(endMs, 6);
  for (let v = 0; v <= endMs + 1e-9; v += xStep)
    parts.push(
      `<line class="grid" x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${M.top}" y2="${M.top + plotH}"/><text class="tick" x="${x(v).toFixed(1)}" y="${M.top + plotH + 15}" text-anchor="middle">${secs(v)}</text>`,
    );
  const yStep = Math.max(1, tickStep(top, 4));
  for (let v = 0; v <= top; v += yStep)
    parts.push(
      `<line class="grid" x1="${M.left}" x2="${M.left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/><text class="tick" x="${M.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`,
    );
  parts.push(
    `<text class="axis-title" x="${M.left + plotW / 2}" y="${H - 4}" text-anchor="middle">elapsed time</text>`,
    `<text class="axis-title" x="12" y="${M.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 12 ${M.top + plotH / 2})">scenarios finished</text>`,
  );

  // The running count of generated scenarios, as a step line; shrink attempts sit on it without raising it.
  let count = 0;
  let line = `M${x(0).toFixed(1)},${y(0).toFixed(1)}`;
  const points: { t: ScenarioTiming; n: number }[] = [];
  for (const t of timings) {
    if (t.phase === "explore") {
      line += `H${x(t.endMs).toFixed(1)}V${y(count + 1).toFixed(1)}`;
      count++;
    }
    points.push({ t, n: count });
  }
  parts.push(`<path class="count-line" d="${line}"/>`);

  const show = drawn(timings);
  const tally = new Map<PointKind, number>();
  points.forEach(({ t, n }, i) => {
    const kind = pointKind(t);
    tally.set(kind, (tally.get(kind) ?? 0) + 1);
    if (!show[i]) return;
    const what =
      t.phase === "shrink"
        ? `shrink attempt: ${t.status === "diverged" ? "diverged again (a smaller counterexample)" : t.status}`
        : `scenario ${t.index}: ${t.status}`;
    const when = t.startMs === undefined ? `ended at ${secs(t.endMs)}` : `${secs(t.startMs)} to ${secs(t.endMs)}`;
    const tip = `${what}, ${t.steps} steps, ${when}`;
    parts.push(
      `<g class="point point-${kind}" data-kind="${kind}"${t.index === undefined ? "" : ` data-scenario="${t.index}"`}><title>${esc(tip)}</title>${pointShape(kind, x(t.endMs), y(n))}</g>`,
    );
  });
  const shown = show.filter(Boolean).length;
  const legend = (Object.keys(KIND_TEXT) as PointKind[])
    .filter((k) => tally.has(k))
    .map(
      (k) =>
        `<span class="chart-key" data-kind="${k}"><svg width="14" height="14" viewBox="-7 -7 14 14" class="point point-${k}">${pointShape(k, 0, 0)}</svg>${esc(KIND_TEXT[k])} <b>${tally.get(k)}</b></span>`,
    )
    .join("");
  const thinned =
    shown < timings.length
      ? `<p class="meta">${timings.length} runs: every one not passed is drawn, and ${shown - (timings.length - (tally.get("passed") ?? 0))} of the ${tally.get("passed")} passed, evenly spread.</p>`
      : "";
  return (
    `<svg id="scenarios-chart" class="chart" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="Scenarios finished over elapsed time: ${generated} scenarios, ${shrinks.length} shrink attempts" data-runs="${timings.length}" data-points="${shown}">` +
    `${parts.join("")}</svg><div class="chart-legend">${legend}</div>${thinned}`
  );
}
