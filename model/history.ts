// A node's replication history: `replid`, `replid2` and `second_repl_offset` (spec/replid.md).
// Every change of them is one operation here, named after what happens to the history and citing
// the rule it applies; no other model file assigns these fields (test/model/operations.test.ts).
// What the fields are and their value at a node's start (REPLID-1) are in history-fields.ts.
// Each operation records its decision in the step's journal, so the checker names the rule that
// set a field. Redis's own helpers are changeReplicationId (a new random id), clearReplicationId2
// (replid2 = zeros, second_repl_offset = -1) and shiftReplicationId (the current id becomes replid2).

import type { ClausedWhy } from "./decision.js";
import { decide, type ReplicationContext } from "./journal.js";
import { discardCachedMaster, restoreCachedMaster } from "./master-link.js";
import type { NodeState } from "./node.js";
import { freshReplId, NO_REPLID, type ReplId } from "./replid.js";

/** What a restarted node found in its RDB (RESTART-3), or null. */
export type SavedReplInfo = { replid: ReplId; offset: number } | null;

function clearReplid2(n: NodeState): void {
  n.replid2 = NO_REPLID;
  n.secondReplOffset = -1;
  n.replid2From = undefined;
}

// REPLID-2: a master creating its backlog for its first replica takes a new id and clears replid2.
export function newHistory(rc: ReplicationContext, m: NodeState): void {
  m.replid = freshReplId(rc.cluster.ids);
  clearReplid2(m);
  decide(rc, m.name, "replid", {
    rule: "REPLID-2",
    clauseId: "new-history-first-replica",
    clause: `${m.name} creates its backlog for its first replica and takes replid ${m.replid}`,
    sets: true,
  });
}

// REPLID-3: a full sync gives the replica its master's id and offset and clears replid2.
export function adoptHistory(rc: ReplicationContext, r: NodeState, m: NodeState, sync: number): void {
  r.replid = m.replid;
  clearReplid2(r);
  r.offset = m.offset;
  decide(
    rc,
    r.name,
    ["replid", "offset"],
    {
      rule: "REPLID-3",
      clauseId: "full-sync-adopts-history",
      clause: `${r.name} takes ${m.name}'s replid ${m.replid} and offset ${m.offset}, replid2 cleared`,
      sets: true,
      sync,
    },
    false,
  );
}

// REPLID-4: promotion shifts the id: replid2 = replid up to offset + 1, and a new replid.
export function shiftHistory(rc: ReplicationContext, n: NodeState): void {
  n.replid2 = n.replid;
  n.secondReplOffset = n.offset + 1;
  n.replid = freshReplId(rc.cluster.ids);
  const clause = `${n.name} promoted: replid ${n.replid}, replid2 ${n.replid2}, second_repl_offset ${n.secondReplOffset}`;
  n.replid2From = { rule: "REPLID-4", clauseId: "promotion-shifts-id", clause };
  decide(rc, n.name, ["role", "replid"], { rule: "REPLID-4", clauseId: "promotion-shifts-id", clause, sets: true });
}

// REPLID-5: +CONTINUE with another id: the old id becomes replid2 up to offset + 1, the new one replid.
export function continueWithNewId(rc: ReplicationContext, r: NodeState, newId: ReplId, sync: number): void {
  const clause = `${r.name} gets +CONTINUE ${newId}: replid2 ${r.replid}, second_repl_offset ${r.offset + 1}`;
  r.replid2 = r.replid;
  r.secondReplOffset = r.offset + 1;
  r.replid = newId;
  r.replid2From = { rule: "REPLID-5", clauseId: "continue-with-new-id", clause };
  decide(rc, r.name, "replid", { rule: "REPLID-5", clauseId: "continue-with-new-id", clause, sets: true, sync });
}

// REPLID-6: a master freeing its backlog after repl-backlog-ttl takes a new id and clears replid2.
export function freeHistory(rc: ReplicationContext, n: NodeState): void {
  n.replid = freshReplId(rc.cluster.ids);
  clearReplid2(n);
  decide(rc, n.name, "replid", {
    rule: "REPLID-6",
    clauseId: "ttl-new-id",
    clause: `${n.name} frees its backlog after repl-backlog-ttl and takes replid ${n.replid}`,
    sets: true,
  });
}

/**
 * RESTART-1 / RESTART-2: a restarted node's history and offset from its RDB's repl info. Returns
 * true when a master keeps the saved history (7.0+), so that it starts with a backlog at its offset.
 */
export function restoreHistory(rc: ReplicationContext, n: NodeState, info: SavedReplInfo): boolean {
  clearReplid2(n);
  if (n.master !== null) {
    // RESTART-1: a replica resumes from the RDB's repl-id/repl-offset with a cached master.
    n.replid = info?.replid ?? freshReplId(rc.cluster.ids);
    n.offset = info?.offset ?? 0;
    const clause =
      info === null
        ? `${n.name} restarts as a replica without repl info and will ask PSYNC ? -1`
        : `${n.name} restarts as a replica at ${info.replid}:${info.offset} and will ask PSYNC ${info.replid} ${info.offset + 1}`;
    const why: ClausedWhy = {
      rule: "RESTART-1",
      clauseId: info === null ? "replica-without-repl-info" : "replica-with-repl-info",
      clause,
    };
    restoreCachedMaster(n, info !== null, why);
    decide(rc, n.name, ["replid", "backlog", "link"], { ...why, sets: true });
    decide(
      rc,
      n.name,
      "offset",
      {
        ...why,
        sets: true,
        ...(info === null ? {} : { alternative: { form: "offset 0 (repl info ignored)", diff: -info.offset } }),
      },
      false,
    );
    return false;
  }
  discardCachedMaster(n);
  n.replid = freshReplId(rc.cluster.ids);
  if (info !== null && n.profile.masterRestartKeepsHistory) {
    // RESTART-2 (7.0+): the saved id becomes replid2 and the history goes on from the saved offset.
    n.replid2 = info.replid;
    n.secondReplOffset = info.offset + 1;
    n.offset = info.offset;
    const clause = `${n.name} restarts as a master with replid2 ${info.replid} up to ${info.offset + 1}`;
    n.replid2From = { rule: "RESTART-2", clauseId: "master-keeps-saved-history", clause };
    decide(rc, n.name, ["replid", "backlog"], {
      rule: "RESTART-2",
      clauseId: "master-keeps-saved-history",
      clause,
      sets: true,
    });
    decide(
      rc,
      n.name,
      "offset",
      {
        rule: "RESTART-2",
        clauseId: "master-keeps-saved-history",
        clause,
        sets: true,
        alternative: { form: "offset 0 (saved history ignored, as 6.2)", diff: -info.offset },
      },
      false,
    );
    return true;
  }
  // RESTART-2 (6.2, or no repl info): a new history from offset 0.
  n.offset = 0;
  const clause =
    info === null
      ? `${n.name} restarts as a master without repl info: new history (offset 0)`
      : `${n.name} restarts as a master with a new history (offset 0): this version ignores the saved replication info`;
  decide(rc, n.name, ["replid", "offset", "backlog"], {
    rule: "RESTART-2",
    clauseId: info === null ? "master-without-repl-info" : "master-ignores-saved-history",
    clause,
    sets: true,
  });
  return false;
}
