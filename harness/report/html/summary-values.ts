// The numbers and names inside a NodeSummary (harness/run/summary.ts), which holds display strings:
// "replica of n0", "first 1..5 len 0..20", "full 1 ok 0 err 1". A predicted value may be a range
// (`min..max`); the timeline draws its lower end and the tooltips show the string itself.

import type { NodeSummary } from "../../run/summary.js";

/** The fields of a NodeSummary, in the order reports show them. */
export const SUMMARY_FIELDS: readonly (keyof NodeSummary)[] = [
  "role",
  "link",
  "offset",
  "replid",
  "replid2",
  "backlog",
  "syncs",
];

/** "12", "3..7", "3..∞": the lower end; undefined for "?" or "-". */
export function lowerEnd(s: string): number | undefined {
  const m = /^(-?\d+)(?:\.\.(?:-?\d+|∞))?$/.exec(s.trim());
  return m === null ? undefined : Number(m[1]);
}

/** A node's role as a NodeSummary shows it. */
export interface RoleOf {
  role: "master" | "replica" | "unknown";
  /** The node (or address) a replica follows. */
  master?: string;
}

/** "master", "replica of n0" (anything else: unknown, e.g. a node that did not answer). */
export function roleOf(s: NodeSummary | undefined): RoleOf {
  if (s === undefined) return { role: "unknown" };
  if (s.role === "master") return { role: "master" };
  const m = /^replica of (.+)$/.exec(s.role);
  return m === null ? { role: "unknown" } : { role: "replica", master: m[1] };
}

/** The backlog's bytes as offsets `first..last` (inclusive); undefined without a backlog or when empty. */
export function backlogWindow(s: NodeSummary | undefined): { first: number; last: number } | undefined {
  const m = s === undefined ? null : /^first (\S+) len (\S+)$/.exec(s.backlog);
  if (m === null) return undefined;
  const first = lowerEnd(m[1]);
  const len = lowerEnd(m[2]);
  if (first === undefined || len === undefined || len <= 0) return undefined;
  return { first, last: first + len - 1 };
}

/** A node's sync counters (INFO stats). */
export interface SyncCounts {
  full: number;
  ok: number;
  err: number;
}

/** INFO stats sync_full / sync_partial_ok / sync_partial_err (lower ends); undefined when unknown. */
export function syncCounts(s: NodeSummary | undefined): SyncCounts | undefined {
  const m = s === undefined ? null : /^full (\S+) ok (\S+) err (\S+)$/.exec(s.syncs);
  if (m === null) return undefined;
  const [full, ok, err] = [m[1], m[2], m[3]].map(lowerEnd);
  return full === undefined || ok === undefined || err === undefined ? undefined : { full, ok, err };
}

const NUMBER_OR_RANGE = /(-?\d+(?:\.\.(?:-?\d+|∞))?)/;

/**
 * Whether a shown value agrees with a predicted one: the same text, or the same words with every
 * observed number inside the predicted number or range ("first 3 len 15" agrees with
 * "first 1..5 len 10..20").
 */
export function agrees(predicted: string, observed: string): boolean {
  if (predicted === observed) return true;
  const p = predicted.split(NUMBER_OR_RANGE);
  const o = observed.split(NUMBER_OR_RANGE);
  if (p.length !== o.length) return false;
  return p.every((part, i) => {
    if (i % 2 === 0) return part === o[i];
    const [lo, hi] = part.split("..");
    const v = Number(o[i]);
    if (o[i].includes("..") || !Number.isFinite(v)) return part === o[i];
    return v >= Number(lo) && (hi === undefined ? v === Number(lo) : hi === "∞" || v <= Number(hi));
  });
}

/** The fields where what a node showed differs from the prediction (a value inside a predicted range agrees). */
export function differingFields(
  predicted: NodeSummary | undefined,
  observed: NodeSummary | undefined,
): (keyof NodeSummary)[] {
  if (predicted === undefined || observed === undefined) return [];
  return SUMMARY_FIELDS.filter((f) => !agrees(predicted[f], observed[f]));
}
