// What the timeline draws, derived from a scenario's step records: per node and step its role, the
// state of its link (from the steps' link actions, as the harness set its proxy, and the link
// status the node showed), its offset and backlog window as observed and as predicted, its
// replication ids, the syncs, promotions and restarts that happened to it, and where it differed.

import type { Check } from "../../check/compare.js";
import type { ScenarioResult, StepRecord } from "../../run/scenario-run.js";
import type { NodeSummary } from "../../run/summary.js";
import { syncLine } from "../text.js";
import {
  backlogWindow,
  differingFields,
  lowerEnd,
  roleOf,
  syncCounts,
  type RoleOf,
  type SyncCounts,
} from "./summary-values.js";

/** A replica's link: its proxy's state (cut, blackhole, throttle, up), or up but not (yet) connected. */
export type LinkBand = "up" | "cut" | "blackhole" | "throttle" | "connecting" | "none";

/** A mark on a lane: a full or partial sync, a promotion or a restart. */
export interface Marker {
  kind: "full" | "partial" | "promoted" | "restart";
  title: string;
  /** The serving node's counters do not show what the model predicted (or show a sync it did not predict). */
  mismatch: boolean;
}

/** One node at one step: what the timeline draws in that lane's column. */
export interface LaneCell {
  /** What the node showed (the prediction where it did not answer). */
  role: RoleOf;
  link: LinkBand;
  linkTitle: string;
  offset?: number;
  predictedOffset?: number;
  backlog?: { first: number; last: number };
  predictedBacklog?: { first: number; last: number };
  replid: string;
  replid2: string;
  predicted?: NodeSummary;
  observed?: NodeSummary;
  /** Fields where the node differed from the prediction. */
  differs: (keyof NodeSummary)[];
  /** The failed checks of this node in this step. */
  failures: Check[];
  markers: Marker[];
}

/** How a step went: as predicted, diverged, not applied (outside the model), or without a verdict. */
export type StepState = "ok" | "diverged" | "skipped" | "unknown";

/** A column of the timeline. */
export interface TimelineStep {
  /** The step record's index (1-based, as the text report numbers steps). */
  index: number;
  description: string;
  state: StepState;
}

/** One node's row of the timeline: a cell per step. */
export interface Lane {
  node: string;
  cells: LaneCell[];
}

/** A scenario as the timeline draws it: nodes, steps, a lane per node. */
export interface Timeline {
  nodes: string[];
  steps: TimelineStep[];
  lanes: Lane[];
  /** Index (StepRecord.index) of the step that diverged, if one did. */
  divergent?: number;
  /** The largest offset or backlog byte drawn (the charts' common scale). */
  maxOffset: number;
}

const byNodeNumber = (a: string, b: string): number => {
  const na = Number(/\d+$/.exec(a)?.[0] ?? NaN);
  const nb = Number(/\d+$/.exec(b)?.[0] ?? NaN);
  return Number.isNaN(na) || Number.isNaN(nb) || na === nb ? a.localeCompare(b) : na - nb;
};

/** The state a step record shows (a failure first, then not applied, then unknown). */
export function stepState(r: StepRecord): StepState {
  if (r.failures.length > 0) return "diverged";
  if (r.skipped !== undefined) return "skipped";
  if (r.unknown !== undefined) return "unknown";
  return "ok";
}

const PROXY_BAND = { down: "cut", blackhole: "blackhole", up: "up" } as const;

/** Sync counter increase of a node from one step to the next (a restart resets counters: no increase). */
function increase(
  before: SyncCounts | undefined,
  after: SyncCounts | undefined,
): { full: number; ok: number } | undefined {
  if (before === undefined || after === undefined) return undefined;
  return { full: Math.max(0, after.full - before.full), ok: Math.max(0, after.ok - before.ok) };
}

const countsText = (d: { full: number; ok: number }): string =>
  `${d.full} full and ${d.ok} partial sync${d.ok === 1 ? "" : "s"}`;

/** Markers of one step: the PSYNCs the model decided (checked against the serving nodes' counters), promotions and restarts. */
function stepMarkers(r: StepRecord, previous: Record<string, NodeSummary | undefined>): Map<string, Marker[]> {
  const markers = new Map<string, Marker[]>();
  const add = (node: string, m: Marker) => markers.set(node, [...(markers.get(node) ?? []), m]);
  const byMaster = new Map<string, typeof r.syncs>();
  for (const e of r.syncs) byMaster.set(e.master, [...(byMaster.get(e.master) ?? []), e]);
  for (const [master, events] of byMaster) {
    const predicted = {
      full: events.filter((e) => e.outcome === "fullresync").length,
      ok: events.filter((e) => e.outcome === "continue").length,
    };
    const seen = increase(syncCounts(previous[master]), syncCounts(r.observed[master]));
    const mismatch = seen !== undefined && (seen.full !== predicted.full || seen.ok !== predicted.ok);
    for (const e of events) {
      // One sync served, and the counters show one of the other kind: draw what happened.
      const flipped = mismatch && events.length === 1 && seen.full + seen.ok === 1;
      const outcome = flipped ? (seen.full === 1 ? "fullresync" : "continue") : e.outcome;
      const shown = mismatch ? ` — but ${master}'s counters show ${countsText(seen)}` : "";
      add(e.replica, {
        kind: outcome === "fullresync" ? "full" : "partial",
        title: `step ${r.index}: sync ${syncLine(e)}${shown}`,
        mismatch,
      });
    }
  }
  for (const node of Object.keys(r.observed)) {
    if (byMaster.has(node)) continue;
    const seen = increase(syncCounts(previous[node]), syncCounts(r.observed[node]));
    if (seen === undefined || seen.full + seen.ok === 0) continue;
    add(node, {
      kind: seen.full > 0 ? "full" : "partial",
      title: `step ${r.index}: ${node}'s counters show ${countsText(seen)} the model did not predict`,
      mismatch: true,
    });
  }
  const a = r.step.action;
  if (r.skipped === undefined && a.kind === "replicaof-no-one")
    add(a.node, { kind: "promoted", title: `step ${r.index}: ${r.description} (promoted: failover)`, mismatch: false });
  if (r.skipped === undefined && a.kind === "restart")
    add(a.node, { kind: "restart", title: `step ${r.index}: ${r.description}`, mismatch: false });
  return markers;
}

/** The timeline of a scenario's step records: one lane per node that any step predicted or observed. */
export function timeline(result: Pick<ScenarioResult, "steps">): Timeline {
  const nodes = [
    ...new Set(result.steps.flatMap((r) => [...Object.keys(r.predicted), ...Object.keys(r.observed)])),
  ].sort(byNodeNumber);
  const lanes: Lane[] = nodes.map((node) => ({ node, cells: [] }));
  const steps: TimelineStep[] = [];
  /** The state the harness set each link proxy to, by replica->master edge. */
  const proxies = new Map<string, LinkBand>();
  let predictedBefore: Record<string, NodeSummary | undefined> = {};
  let observedBefore: Record<string, NodeSummary | undefined> = {};
  let maxOffset = 0;
  let divergent: number | undefined;

  for (const r of result.steps) {
    const state = stepState(r);
    steps.push({ index: r.index, description: r.description, state });
    if (state === "diverged" && divergent === undefined) divergent = r.index;
    const a = r.step.action;
    if (a.kind === "link" && r.skipped === undefined) {
      const master = a.master ?? roleOf(predictedBefore[a.replica]).master;
      if (master !== undefined)
        proxies.set(
          `${a.replica}->${master}`,
          a.state === "up" && r.step.throttle !== undefined ? "throttle" : PROXY_BAND[a.state],
        );
    }
    // A step the model did not cover was not applied: every node stays as it was.
    const predictedNow = r.skipped === undefined ? r.predicted : predictedBefore;
    const observedNow = r.skipped === undefined ? r.observed : observedBefore;
    const markers = r.skipped === undefined ? stepMarkers(r, observedBefore) : new Map<string, Marker[]>();
    for (const lane of lanes) {
      const p = predictedNow[lane.node];
      const o = observedNow[lane.node];
      const answered = o !== undefined && o.role !== "(no answer)";
      const shown = answered ? o : p;
      const role = roleOf(shown);
      let link: LinkBand = "none";
      let linkTitle = "no master link";
      if (role.role === "replica") {
        const proxy = proxies.get(`${lane.node}->${role.master}`) ?? "up";
        const status = shown?.link ?? "?";
        link = proxy === "up" && status !== "up" ? "connecting" : proxy;
        linkTitle = `link ${lane.node}->${role.master}: proxy ${proxy === "throttle" ? "throttled" : proxy}, master_link_status ${status}`;
      }
      const offset = answered ? lowerEnd(o.offset) : undefined;
      const predictedOffset = p === undefined ? undefined : lowerEnd(p.offset);
      const backlog = backlogWindow(shown);
      const predictedBacklog = backlogWindow(p);
      maxOffset = Math.max(
        maxOffset,
        offset ?? 0,
        predictedOffset ?? 0,
        backlog?.last ?? 0,
        predictedBacklog?.last ?? 0,
      );
      lane.cells.push({
        role,
        link,
        linkTitle,
        offset,
        predictedOffset,
        backlog,
        predictedBacklog,
        replid: shown?.replid ?? "?",
        replid2: shown?.replid2 ?? "?",
        predicted: p,
        observed: o,
        differs: r.skipped === undefined ? differingFields(p, o) : [],
        failures: r.failures.filter((f) => f.node === lane.node),
        markers: markers.get(lane.node) ?? [],
      });
    }
    predictedBefore = predictedNow;
    observedBefore = observedNow;
  }
  return { nodes, steps, lanes, divergent, maxOffset };
}
