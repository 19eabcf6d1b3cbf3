// A settle deadline that passes is not a divergence by itself: replication may simply be slow on a
// loaded machine. A failed check is "pending" when time alone could still make it hold (a replica
// catching up, a master still counting a replica that is connecting), and "final" when no amount of
// waiting can (a reply already received, a role set synchronously, a value past what the model
// allows). Only a final failure at the deadline is a divergence; otherwise the step is inconclusive.

import type { Check } from "./compare.js";

const upper = (predicted: string): number => {
  const m = /^(-?\d+)(?:\.\.(-?\d+|∞))?$/.exec(predicted);
  if (m === null) return NaN;
  return m[2] === undefined ? Number(m[1]) : m[2] === "∞" ? Infinity : Number(m[2]);
};
const lower = (predicted: string): number => {
  const m = /^(-?\d+)/.exec(predicted);
  return m === null ? NaN : Number(m[1]);
};

// Fields set synchronously by the command that changed them, or already received.
const SYNCHRONOUS = new Set(["reply", "role", "master", "ROLE role", "ROLE master"]);

// On a master: counts that grow as replicas connect, sync and ack.
const GROWING_ON_MASTER = new Set([
  "connected_slaves",
  "min_slaves_good_slaves",
  "sync_full",
  "sync_partial_ok",
  "sync_partial_err",
]);

/**
 * Whether a failed check may still hold if we wait longer. `isReplica`: the model predicts the
 * check's node to be a replica (its state follows its master's stream over time).
 */
export function mayStillSettle(c: Check, isReplica: boolean): boolean {
  if (c.ok) return true;
  if (SYNCHRONOUS.has(c.field)) return false;
  const seen = Number(c.observed);
  if (isReplica) {
    // A replica never gets ahead of the stream its master has.
    if (
      (c.field === "master_repl_offset" || c.field === "slave_repl_offset" || c.field === "ROLE offset") &&
      Number.isFinite(seen)
    ) {
      return seen < lower(c.predicted);
    }
    return true;
  }
  if (GROWING_ON_MASTER.has(c.field)) return Number.isFinite(seen) && seen < upper(c.predicted);
  // ROLE's replica list fills as replicas come online.
  return c.field === "ROLE replicas";
}

// What a replica's syncs and its own offset alone decide: its history (changed only by a sync —
// PSYNC's +CONTINUE or a full sync — or a promotion) and its backlog, created by a sync and fed as
// its offset moves: at a settled offset its window can no longer change.
const FINAL_AT_REST = new Set([
  "master_replid",
  "master_replid2",
  "second_repl_offset",
  "repl_backlog_active",
  "repl_backlog_first_byte_offset",
  "repl_backlog_histlen",
]);
// A master's sync counters below the prediction: a sync it still owes, maybe to the very replica
// whose history is wrong (a promoted node that kept its sub-replica never sees it PSYNC again).
const SYNC_COUNTERS = new Set(["sync_full", "sync_partial_ok", "sync_partial_err"]);
const owedSync = (c: Check): boolean => SYNC_COUNTERS.has(c.field) && Number(c.observed) < upper(c.predicted);
// What shows that a replica's replication has come to rest: its link up and its offsets where the
// model says.
const AT_REST = ["master_link_status", "master_repl_offset", "slave_repl_offset"];

/**
 * The failures that waiting cannot fix, in a step whose `checks` are all the checks made and
 * `masterOf` gives each node's master in the model's state. Besides mayStillSettle's synchronous
 * fields, a replica's history (replid, replid2, second_repl_offset) and backlog window are final
 * once the replica is at rest — link up and offsets as predicted — below masters whose every check
 * holds but sync counters still short of the prediction: no sync is left to change them, so a wrong
 * id, offset or window there is a divergence, not a replica still on its way.
 */
export function finalFailures(checks: readonly Check[], masterOf: (node: string) => string | null): Check[] {
  const byNode = new Map<string, Check[]>();
  for (const c of checks) {
    const own = byNode.get(c.node);
    if (own === undefined) byNode.set(c.node, [c]);
    else own.push(c);
  }
  const settledMaster = (node: string) => (byNode.get(node) ?? []).every((c) => c.ok || owedSync(c));
  const upstreamSettled = (node: string): boolean => {
    const seen = new Set<string>();
    for (let m = masterOf(node); m !== null && !seen.has(m); m = masterOf(m)) {
      seen.add(m);
      if (!settledMaster(m)) return false;
    }
    return true;
  };
  const atRest = (node: string): boolean => {
    const own = byNode.get(node) ?? [];
    return (
      own.some((c) => c.field === "master_link_status" && c.ok) &&
      own.filter((c) => AT_REST.includes(c.field)).every((c) => c.ok) &&
      upstreamSettled(node)
    );
  };
  return checks.filter((c) => {
    if (c.ok) return false;
    const replica = masterOf(c.node) !== null;
    if (!mayStillSettle(c, replica)) return true;
    return replica && FINAL_AT_REST.has(c.field) && atRest(c.node);
  });
}
