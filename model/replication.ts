// Replication mechanics: feeding the stream, delivering it down the tree, PSYNC and settling.

import { ruleClauseOf } from "./clauses.js";
import { createBacklog, feedBacklog, learnCoverage } from "./backlog.js";
import { deliveringReplicas, linkOf, node, topologicalOrder } from "./cluster.js";
import { runCommand } from "./commands/table.js";
import { Dataset } from "./keyspace.js";
import { adoptHistory, continueWithNewId, newHistory } from "./history.js";
import { decide, type ReplicationContext, type SyncEvent } from "./journal.js";
import { disconnectReplicas, discardCachedMaster, linkUp } from "./master-link.js";
import { addCount, type NodeState } from "./node.js";
import {
  decidePsync,
  describeRequest,
  psyncCounters,
  psyncRequest,
  type PsyncRequest,
  type PsyncVerdict,
} from "./psync.js";
import { itemsFrom, placeItems, pruneLog, unitBytes, type LoggedItem, type StreamItem } from "./stream.js";

/** The decisions that gave each item of a stream its form and size, recorded for `node`'s offset. */
function decideItems(rc: ReplicationContext, node: string, items: readonly StreamItem[]): void {
  for (const item of items) for (const why of item.why ?? []) decide(rc, node, "offset", why, false);
}

// OFFSET-1: a node's offset grows by the bytes of its stream, only while it has a backlog.
// BACKLOG-2 / BACKLOG-3: the backlog keeps every byte until it is full, then drops the oldest.
function appendToStream(rc: ReplicationContext, n: NodeState, placed: readonly LoggedItem[], bytes: number): void {
  const before = n.backlog!;
  n.offset += bytes;
  n.backlog = feedBacklog(before, n.offset);
  const dropped = n.backlog.firstHi > before.firstHi;
  const clause = `${n.name}'s backlog of ${before.size} bytes is fed ${bytes} bytes${dropped ? " and drops its oldest bytes" : ""}`;
  decide(
    rc,
    n.name,
    "backlog",
    before.kind === "ring"
      ? { rule: "BACKLOG-2", clauseId: dropped ? "ring-wraps" : "ring-fits", clause }
      : { rule: "BACKLOG-3", clauseId: dropped ? "blocks-trim" : "blocks-fit", clause },
    false,
  );
  n.log = pruneLog([...n.log, ...placed], n.backlog.firstLo);
}

/** A master adds items to its stream; every replica that receives the stream gets them too. */
export function feedMaster(rc: ReplicationContext, master: NodeState, given: readonly StreamItem[]): void {
  // Items of 0 bytes only carry a decision (a write that propagates nothing, OFFSET-6).
  const items = given.filter((i) => i.bytes > 0);
  const bytes = unitBytes(items);
  if (master.backlog === null) {
    const getack = items.some((i) => i.kind === "getack");
    if (getack && master.profile.noBacklogGetackPlusOne) {
      // OFFSET-10: 7.2+ counts one byte for a GETACK fed with neither backlog nor replicas.
      master.offset += 1;
      decide(
        rc,
        master.name,
        "offset",
        {
          rule: "OFFSET-10",
          clauseId: "getack-without-backlog",
          clause: `${master.name} has no backlog: the GETACK adds 1 to its offset`,
          alternative: { form: "nothing counted", diff: -1 },
        },
        false,
      );
    } else if (items.length > 0) {
      const clause = `${master.name} has no backlog: ${bytes} bytes are not fed to the stream`;
      const alternative = { form: "counted", diff: getack ? 1 : bytes };
      decide(
        rc,
        master.name,
        "offset",
        getack
          ? { rule: "OFFSET-10", clauseId: "getack-without-backlog-not-counted", clause, alternative }
          : { rule: "OFFSET-1", clauseId: "no-backlog-not-fed", clause, alternative },
        false,
      );
    }
    return;
  }
  decideItems(rc, master.name, given);
  const markers = given.filter((i) => i.bytes === 0);
  if (items.length === 0) {
    // Nothing goes down the chain, but the replicas' offsets stay put for the same reason.
    const down = (n: NodeState): void => {
      for (const r of deliveringReplicas(rc.cluster, n)) {
        decideItems(rc, r.name, markers);
        down(r);
      }
    };
    down(master);
    return;
  }
  const placed = placeItems(items, master.offset);
  appendToStream(rc, master, placed, bytes);
  for (const r of deliveringReplicas(rc.cluster, master)) deliver(rc, r, placed, markers);
}

// OFFSET-9 / CHAIN-2: a replica applies the exact bytes, forwards them unchanged and injects nothing,
// so every node down a connected chain has the root's offset and data (CHAIN-1, CONV-5).
export function deliver(
  rc: ReplicationContext,
  replica: NodeState,
  placed: readonly LoggedItem[],
  markers: readonly StreamItem[] = [],
): void {
  if (placed.length === 0) return;
  if (placed[0].start !== replica.offset + 1) {
    throw new Error(`model bug: ${replica.name} at offset ${replica.offset} was sent bytes from ${placed[0].start}`);
  }
  // The replica's offset moves by its master's items: their forms decide it too (OFFSET-9 otherwise).
  decideItems(rc, replica.name, [...placed.map((p) => p.item), ...markers]);
  for (const { start, item } of placed) {
    if (item.kind === "command") applyCommand(rc, replica, item.db, item.argv);
    // LINK-5: the replica answers GETACK with the offset before the GETACK.
    if (item.kind === "getack") replica.ackLo = start - 1;
  }
  const bytes = placed.reduce((n, p) => n + p.item.bytes, 0);
  if (replica.backlog === null)
    replica.backlog = createBacklog(replica.profile, replica.config.replBacklogSize, replica.offset);
  appendToStream(rc, replica, placed, bytes);
  for (const sub of deliveringReplicas(rc.cluster, replica)) deliver(rc, sub, placed, markers);
}

function applyCommand(rc: ReplicationContext, replica: NodeState, db: number, argv: readonly string[]): void {
  runCommand(
    {
      profile: replica.profile,
      lazyfree: replica.config.lazyfree,
      dataset: replica.dataset,
      db,
      now: rc.cluster.now,
      chooser: rc.chooser,
      isReplica: true,
      ops: [],
    },
    argv,
  );
}

// CONV-4: a partial resync keeps the replica's data and applies the missing tail.
// REPLID-5: +CONTINUE with a new id shifts the replica's ids and drops its sub-replicas.
function continueSync(rc: ReplicationContext, r: NodeState, m: NodeState, req: PsyncRequest, sync: number): void {
  linkUp(rc, r, m, "+CONTINUE", sync);
  if (m.replid !== r.replid) {
    continueWithNewId(rc, r, m.replid, sync);
    disconnectReplicas(rc, r, { rule: "REPLID-5", clauseId: "continue-drops-sub-replicas" });
  }
  // BACKLOG-7: a backlog is created after +CONTINUE if missing.
  if (r.backlog === null) {
    r.backlog = createBacklog(r.profile, r.config.replBacklogSize, r.offset);
    decide(
      rc,
      r.name,
      "backlog",
      {
        rule: "BACKLOG-7",
        clauseId: "created-after-continue",
        clause: `${r.name} creates its backlog after +CONTINUE, empty at ${r.offset + 1}`,
        sets: true,
        sync,
      },
      false,
    );
  }
  const tail = itemsFrom(m.log, req.offset, m.offset);
  if (tail === null) throw new Error(`model bug: ${m.name} cannot serve offset ${req.offset} from its log`);
  decide(
    rc,
    r.name,
    "dataset",
    {
      rule: "CONV-4",
      clauseId: "continue-applies-tail",
      clause: `${r.name} keeps its data and applies the ${m.offset + 1 - req.offset} bytes from ${req.offset}`,
      sync,
    },
    false,
  );
  deliver(rc, r, tail);
}

function fullSync(rc: ReplicationContext, r: NodeState, m: NodeState, sync: number): void {
  if (m.backlog === null) {
    // REPLID-2 / BACKLOG-1: the first replica makes the master change its replid and create its backlog.
    newHistory(rc, m);
    m.backlog = createBacklog(m.profile, m.config.replBacklogSize, m.offset);
    m.log = [];
    decide(
      rc,
      m.name,
      "backlog",
      {
        rule: "BACKLOG-1",
        clauseId: "created-for-first-replica",
        clause: `${m.name} creates its backlog for its first replica, empty at ${m.offset + 1}`,
        sets: true,
      },
      false,
    );
  }
  // FULLSYNC-4: the snapshot is the master's data now; later writes reach the replica as stream.
  // OFFSET-3: every full-sync setup makes the next command select its db again.
  m.streamDb = -1;
  const snapshot = m.dataset.clone();
  const replInfo = { replid: m.replid, offset: m.offset };
  // RESTART-4: a disk-based sync leaves the RDB in the master's dir.
  if (!m.config.replDisklessSync) m.saved = { dataset: snapshot, replInfo };
  // CHAIN-5: sub-replicas are dropped before the new data is loaded.
  disconnectReplicas(rc, r, { rule: "CHAIN-5", clauseId: "sub-replicas-dropped" });
  // FULLSYNC-7: an RDB newer than the replica's own version cannot be loaded; it retries forever.
  if (m.profile.rdbVersion > r.profile.rdbVersion) {
    r.syncFailing = true;
    discardCachedMaster(r);
    r.dataset = Dataset.empty();
    m.stats.syncFull = { min: m.stats.syncFull.min, max: Infinity };
    const clause = `${r.name} cannot load RDB version ${m.profile.rdbVersion} from ${m.name} and retries forever`;
    decide(rc, r.name, ["link", "dataset"], {
      rule: "FULLSYNC-7",
      clauseId: "rdb-version-too-new",
      clause,
      sets: true,
      sync,
    });
    decide(rc, m.name, "syncs", { rule: "FULLSYNC-7", clauseId: "rdb-version-too-new", clause }, false);
    return;
  }
  // FULLSYNC-1 / CONV-4 / REPLID-3 / BACKLOG-7: the replica becomes a copy of the snapshot; the RDB
  // payload itself moves no offset (OFFSET-11): the replica takes the master's.
  r.dataset = snapshot.clone();
  // RESTART-4: the received RDB is renamed over the replica's dbfilename (repl-diskless-load disabled).
  r.saved = { dataset: snapshot, replInfo };
  linkUp(rc, r, m, "+FULLRESYNC", sync);
  decide(
    rc,
    r.name,
    "dataset",
    {
      rule: "FULLSYNC-1",
      clauseId: m.config.replDisklessSync ? "diskless-snapshot" : "disk-snapshot",
      clause: `${r.name}'s dataset is replaced by ${m.name}'s snapshot (${snapshot.databases().length} non-empty dbs)`,
      sets: true,
      sync,
    },
    false,
  );
  adoptHistory(rc, r, m, sync);
  r.backlog = createBacklog(r.profile, r.config.replBacklogSize, r.offset);
  r.log = [];
  decide(
    rc,
    r.name,
    "backlog",
    {
      rule: "BACKLOG-7",
      clauseId: "replaced-after-full-sync",
      clause: `${r.name} replaces its backlog after the full sync, empty at ${r.offset + 1}`,
      sets: true,
      sync,
    },
    false,
  );
}

/**
 * The rule that decided a PSYNC, given where the ids it compared came from: a continue through a
 * replid2 that a restart restored is RESTART-2's, a request that a restart restored is
 * RESTART-1's, and a full sync because a master restarted with a new history this step is
 * RESTART-2's; otherwise the PSYNC rule decidePsync applied.
 */
function attribute(
  rc: ReplicationContext,
  r: NodeState,
  m: NodeState,
  request: PsyncRequest,
  v: PsyncVerdict,
): PsyncVerdict {
  const also = [v.rule, ...(v.also ?? [])];
  if (v.decision !== "fullresync" && v.matched === "replid2" && m.replid2From?.rule === "RESTART-2") {
    return {
      ...v,
      rule: "RESTART-2",
      clauseId: "continue-through-restored-replid2",
      clause: `${m.replid2From.clause}, so ${r.name} continues (${v.clause})`,
      also,
      under: ruleClauseOf(v),
    };
  }
  if (r.cacheFrom?.rule === "RESTART-1" && (v.decision !== "fullresync" || request.replid === "?")) {
    return {
      ...v,
      rule: "RESTART-1",
      clauseId: "psync-from-restored-cache",
      clause: `${r.cacheFrom.clause} (${v.clause})`,
      also,
      under: ruleClauseOf(v),
    };
  }
  const restarted = rc.journal.decisions.find(
    (d) => d.node === m.name && d.about === "replid" && d.rule === "RESTART-2",
  );
  if (v.decision === "fullresync" && v.matched === "none" && request.replid !== "?" && restarted !== undefined) {
    return {
      ...v,
      rule: "RESTART-2",
      clauseId: "full-sync-after-master-restart",
      clause: `${restarted.clause}, so ${r.name}'s id is unknown (${v.clause})`,
      also,
      under: ruleClauseOf(v),
    };
  }
  return v;
}

/** One PSYNC from `r` to `m`, with its counters and effects. */
export function psync(rc: ReplicationContext, r: NodeState, m: NodeState): void {
  const request = psyncRequest(r);
  const verdict = attribute(rc, r, m, request, decidePsync(m, request));
  let outcome: "continue" | "fullresync";
  if (verdict.decision === "either") {
    outcome = rc.chooser.choose(`PSYNC ${r.name}->${m.name} at ${request.offset}`, ["continue", "fullresync"] as const);
    m.backlog = learnCoverage(m.backlog!, request.offset, outcome === "continue");
  } else outcome = verdict.decision;
  const delta = psyncCounters(request, outcome);
  m.stats = {
    syncFull: addCount(m.stats.syncFull, delta.syncFull),
    syncPartialOk: addCount(m.stats.syncPartialOk, delta.syncPartialOk),
    syncPartialErr: addCount(m.stats.syncPartialErr, delta.syncPartialErr),
  };
  const event: SyncEvent = { replica: r.name, master: m.name, request, verdict, outcome };
  const index = rc.journal.syncs.push(event) - 1;
  decide(
    rc,
    m.name,
    "syncs",
    {
      ...ruleClauseOf(verdict),
      ...(verdict.under === undefined ? {} : { under: verdict.under }),
      clause: `${describeRequest(request)} from ${r.name}: ${outcome} (${verdict.clause})`,
    },
    false,
  );
  if (outcome === "continue") continueSync(rc, r, m, request, index);
  else fullSync(rc, r, m, index);
  if (r.syncFailing)
    event.failed = `${m.name} writes RDB ${m.profile.rdbVersion}, ${r.name} loads at most ${r.profile.rdbVersion}`;
}

/**
 * Bring the cluster to rest: every replica whose link is up and whose master can serve it (a master,
 * or a replica that is itself connected, CHAIN-3) resyncs, roots first, until nothing changes.
 */
export function settle(rc: ReplicationContext): void {
  const c = rc.cluster;
  const limit = Object.keys(c.nodes).length ** 2 + 4;
  for (let round = 0; ; round++) {
    if (round > limit) throw new Error("model bug: settle does not converge");
    let changed = false;
    for (const r of topologicalOrder(c)) {
      if (r.master === null || r.linkConnected || r.syncFailing || linkOf(c, r) !== "up") continue;
      const m = node(c, r.master);
      // PSYNC-8 / CHAIN-3: a replica that is not connected answers -NOMASTERLINK; retry later.
      if (m.master !== null && !m.linkConnected) continue;
      psync(rc, r, m);
      changed = true;
    }
    if (!changed) return;
  }
}
