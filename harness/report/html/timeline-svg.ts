// The timeline as plain SVG: one lane per node over the steps. Each lane has a role band (master,
// or replica of whom), a link band (up, cut, blackhole, throttle, or up but not connected), a chart
// of master_repl_offset (observed solid, predicted dashed) over the backlog window, markers for
// full and partial syncs, promotions and restarts, and the replication ids (R1, R2, …) where they
// change. Every element of a step carries data-step, which the page's script uses to select it.

import { esc } from "./escape.js";
import type { Lane, LaneCell, Marker, Timeline } from "./timeline-data.js";

const GUTTER = 132;
const HEADER = 30;
const LANE_HEIGHT = 140;
const LANE_GAP = 10;
const ROLE = { y: 0, h: 18 };
const LINK = { y: 21, h: 9 };
const MARKERS_Y = 42;
const CHART = { y: 54, h: 62 };
const IDS_Y = 131;

/** The timeline's size: a step column's width, and the whole drawing's. */
export interface TimelineGeometry {
  column: number;
  width: number;
  height: number;
}

/** Columns narrow as steps grow (40 to 150 px), so a long scenario scrolls instead of squeezing. */
export function geometry(t: Timeline): TimelineGeometry {
  const column = Math.max(40, Math.min(150, Math.floor(1000 / Math.max(1, t.steps.length))));
  return {
    column,
    width: GUTTER + column * t.steps.length + 12,
    height: HEADER + t.lanes.length * (LANE_HEIGHT + LANE_GAP),
  };
}

const title = (text: string): string => `<title>${esc(text)}</title>`;

function roleLabel(cell: LaneCell, width: number): string {
  if (cell.role.role === "master") return width >= 52 ? "master" : "M";
  if (cell.role.role === "unknown") return width >= 60 ? "no answer" : "?";
  const master = cell.role.master ?? "?";
  return width >= 14 + 7 * (11 + master.length)
    ? `replica of ${master}`
    : width >= 12 + 7 * (2 + master.length)
      ? `→ ${master}`
      : "→";
}

const roleName = (cell: LaneCell): string =>
  cell.role.role === "master"
    ? "master"
    : cell.role.role === "replica"
      ? `replica of ${cell.role.master}`
      : "did not answer";

/** Consecutive steps with the same role form one band, labelled once. */
function roleBands(lane: Lane, col: number): string {
  const out: string[] = [];
  let start = 0;
  for (let i = 1; i <= lane.cells.length; i++) {
    const a = lane.cells[start];
    const b = lane.cells[i];
    if (b !== undefined && roleName(a) === roleName(b)) continue;
    const x = GUTTER + start * col;
    const w = (i - start) * col;
    out.push(
      `<g class="role-band role-${a.role.role}"><rect x="${x + 1}" y="${ROLE.y}" width="${w - 2}" height="${ROLE.h}" rx="3">${title(`${lane.node}: ${roleName(a)} (steps ${start + 1}–${i})`)}</rect>` +
        `<text x="${x + 6}" y="${ROLE.y + 13}">${esc(roleLabel(a, w - 8))}</text></g>`,
    );
    start = i;
  }
  return out.join("");
}

const MARKER_GLYPH: Record<Marker["kind"], string> = { full: "F", partial: "P", promoted: "▲", restart: "↻" };

function markers(cell: LaneCell, x: number, col: number, step: number): string {
  const size = 15;
  const gap = 3;
  const total = cell.markers.length * size + (cell.markers.length - 1) * gap;
  let left = x + col / 2 - total / 2;
  return cell.markers
    .map((m) => {
      const cx = left + size / 2;
      left += size + gap;
      const cy = MARKERS_Y;
      const shape =
        m.kind === "promoted"
          ? `<rect x="${cx - 7}" y="${cy - 7}" width="14" height="14" rx="2"/>`
          : `<circle cx="${cx}" cy="${cy}" r="7.5"/>`;
      return `<g class="marker marker-${m.kind}${m.mismatch ? " mismatch" : ""}" data-step="${step}" data-marker="${m.kind}">${title(m.title)}${shape}<text x="${cx}" y="${cy + 4}">${MARKER_GLYPH[m.kind]}</text></g>`;
    })
    .join("");
}

/** A line through the points that exist, broken where a value is missing. */
function polyline(points: (readonly [number, number] | undefined)[], cls: string): string {
  let d = "";
  let pen = false;
  for (const p of points) {
    if (p === undefined) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${p[0].toFixed(1)},${p[1].toFixed(1)}`;
    pen = true;
  }
  return d === "" ? "" : `<path class="${cls}" d="${d}"/>`;
}

function laneSvg(t: Timeline, lane: Lane, index: number, g: TimelineGeometry): string {
  const col = g.column;
  const top = HEADER + index * (LANE_HEIGHT + LANE_GAP);
  const y = (v: number): number => CHART.y + CHART.h - (t.maxOffset === 0 ? 0 : (v / t.maxOffset) * (CHART.h - 6));
  const cx = (i: number): number => GUTTER + i * col + col / 2;
  const parts: string[] = [];
  const last = lane.cells[lane.cells.length - 1];
  // Translucent, so the divergent and selected columns behind it show through.
  parts.push(`<rect class="lane-bg" x="0" y="-4" width="${g.width}" height="${LANE_HEIGHT + 4}"/>`);
  parts.push(`<text class="lane-name" x="8" y="16">${esc(lane.node)}</text>`);
  if (last !== undefined) parts.push(`<text class="lane-now" x="8" y="32">${esc(roleName(last))}</text>`);
  if (t.maxOffset > 0) parts.push(`<text class="axis" x="${GUTTER - 6}" y="${CHART.y + 9}">${t.maxOffset}</text>`);
  parts.push(`<text class="axis" x="${GUTTER - 6}" y="${CHART.y + CHART.h}">0</text>`);
  parts.push(`<text class="axis axis-name" x="8" y="${CHART.y + CHART.h / 2 + 4}">offset</text>`);
  parts.push(
    `<line class="chart-base" x1="${GUTTER}" x2="${GUTTER + col * lane.cells.length}" y1="${CHART.y + CHART.h}" y2="${CHART.y + CHART.h}"/>`,
  );
  parts.push(roleBands(lane, col));
  lane.cells.forEach((cell, i) => {
    const step = t.steps[i].index;
    const x = GUTTER + i * col;
    const cell_: string[] = [];
    if (cell.link !== "none")
      cell_.push(
        `<rect class="link link-${cell.link}" x="${x + 1}" y="${LINK.y}" width="${col - 2}" height="${LINK.h}">${title(`step ${step}: ${cell.linkTitle}`)}</rect>`,
      );
    if (cell.backlog !== undefined) {
      const y1 = y(cell.backlog.last);
      const y0 = y(cell.backlog.first);
      cell_.push(
        `<rect class="backlog" x="${x + col * 0.2}" y="${y1.toFixed(1)}" width="${col * 0.6}" height="${Math.max(2, y0 - y1).toFixed(1)}">${title(`step ${step}: backlog ${cell.backlog.first}..${cell.backlog.last}`)}</rect>`,
      );
    }
    const pb = cell.predictedBacklog;
    if (
      pb !== undefined &&
      (cell.backlog === undefined || pb.first !== cell.backlog.first || pb.last !== cell.backlog.last)
    ) {
      const y1 = y(pb.last);
      cell_.push(
        `<rect class="backlog-predicted" x="${x + col * 0.2}" y="${y1.toFixed(1)}" width="${col * 0.6}" height="${Math.max(2, y(pb.first) - y1).toFixed(1)}">${title(`step ${step}: backlog predicted ${pb.first}..${pb.last}`)}</rect>`,
      );
    }
    if (cell.failures.length > 0)
      cell_.push(
        `<rect class="cell-failed" x="${x + 1.5}" y="-2.5" width="${col - 3}" height="${LANE_HEIGHT}" rx="4"/>`,
      );
    if (cell.differs.length > 0) {
      const what = cell.differs
        .map((f) => `${f}: predicted ${cell.predicted?.[f]}, observed ${cell.observed?.[f]}`)
        .join("; ");
      cell_.push(
        `<text class="diff-mark" x="${x + col - 5}" y="${CHART.y + CHART.h - 4}">≠${title(`step ${step}, ${lane.node} differs: ${what}`)}</text>`,
      );
    }
    if (cell.offset !== undefined) {
      const predicted =
        cell.predictedOffset !== undefined && cell.predictedOffset !== cell.offset
          ? ` (predicted ${cell.predictedOffset})`
          : "";
      cell_.push(
        `<circle class="offset-point" cx="${cx(i)}" cy="${y(cell.offset).toFixed(1)}" r="3">${title(`step ${step}: ${lane.node} master_repl_offset ${cell.offset}${predicted}`)}</circle>`,
      );
    }
    cell_.push(markers(cell, x, col, step));
    const previous = lane.cells[i - 1];
    if (previous === undefined || previous.replid !== cell.replid) {
      cell_.push(
        `<text class="replid" x="${x + 4}" y="${IDS_Y}">${esc(cell.replid)}${title(`step ${step}: ${lane.node} replid ${cell.replid}, replid2 ${cell.replid2}`)}</text>`,
      );
    }
    parts.push(`<g class="cell" data-step="${step}" data-node="${esc(lane.node)}">${cell_.join("")}</g>`);
  });
  parts.push(
    polyline(
      lane.cells.map((c, i) =>
        c.predictedOffset === undefined ? undefined : ([cx(i), y(c.predictedOffset)] as const),
      ),
      "offset-predicted",
    ),
  );
  parts.push(
    polyline(
      lane.cells.map((c, i) => (c.offset === undefined ? undefined : ([cx(i), y(c.offset)] as const))),
      "offset-observed",
    ),
  );
  return `<g class="lane" data-node="${esc(lane.node)}" transform="translate(0,${top})">${parts.join("")}</g>`;
}

/** Which timeline of the page this is: several may share a page (`--html-all`). */
export interface TimelineScope {
  /** The svg element's id, if it has one (the counterexample's is `timeline`). */
  id?: string;
  /** Unique on the page: names the svg's own pattern, so one timeline never draws with another's. */
  key: string;
}

/** The timeline as an inline SVG element, with a column per step and a lane per node. */
export function timelineSvg(t: Timeline, scope: TimelineScope): string {
  const g = geometry(t);
  const col = g.column;
  const hatch = `hatch-${scope.key}`;
  const columns = t.steps
    .map((s, i) => {
      const x = GUTTER + i * col;
      const cls = `step-col step-${s.state}${s.index === t.divergent ? " divergent" : ""}`;
      const label = s.state === "diverged" ? `${s.index} ✗` : String(s.index);
      // A skipped step's column is hatched; inline, since the pattern's id differs per timeline.
      const skipped = s.state === "skipped" ? ` style="fill: url(#${hatch})"` : "";
      return (
        `<g class="${cls}" data-step="${s.index}"${s.index === t.divergent ? ' data-divergent="true"' : ""}>${title(`step ${s.index}: ${s.description}`)}` +
        `<rect class="col-bg" x="${x}" y="0" width="${col}" height="${g.height}"${skipped}/>` +
        `<text class="step-number" x="${x + col / 2}" y="19">${label}</text></g>`
      );
    })
    .join("");
  const lanes = t.lanes.map((lane, i) => laneSvg(t, lane, i, g)).join("");
  return (
    `<svg${scope.id === undefined ? "" : ` id="${esc(scope.id)}"`} class="timeline" data-nodes="${t.lanes.length}" xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" role="img" aria-label="Timeline: one lane per node over ${t.steps.length} steps">` +
    `<defs><pattern id="${esc(hatch)}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4f5f7"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d5d9df" stroke-width="2"/></pattern></defs>` +
    `<text class="axis-name" x="8" y="19">step</text>${columns}${lanes}</svg>`
  );
}
