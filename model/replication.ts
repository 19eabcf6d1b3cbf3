// Replication mechanics: feeding the stream, delivering it down the tree, PSYNC and settling.

import { createBacklog, feedBacklog, learnCoverage } from "./backlog.js";
import type { Chooser } from "./choice.js";
import { deliveringReplicas, edgeKey, linkOf, node, topologicalOrder, type ClusterState } from "./cluster.js";
import { runCommand } from "./commands/table.js";
import { Dataset } from "./keyspace.js";
import { addCount, type NodeState } from "./node.js";
import { decidePsync, psyncCounters, psyncRequest, type PsyncRequest, type PsyncVerdict } from "./psync.js";
import { freshReplId, NO_REPLID } from "./replid.js";
import { itemsFrom, placeItems, pruneLog, unitBytes, type LoggedItem, type StreamItem } from "./stream.js";

/** One PSYNC attempt resolved during a step: the request, the rule's verdict and what happened. */
export interface SyncEvent {
  replica: string;
  master: string;
  request: PsyncRequest;
  verdict: PsyncVerdict;
  outcome: "continue" | "fullresync";
  /** FULLSYNC-7: the replica could not load the master's RDB and keeps retrying. */
  failed?: string;
}

/** What a step leaves for the report besides the new state. */
export interface StepJournal {
  syncs: SyncEvent[];
  /** Rule-tagged sentences explaining what the model did ("REPLID-4: n2 promoted ..."). */
  notes: string[];
}

export interface ReplicationContext {
  cluster: ClusterState;
  chooser: Chooser;
  journal: StepJournal;
}

// OFFSET-1: a node's offset grows by the bytes of its stream, only while it has a backlog.
function appendToStream(n: NodeState, placed: readonly LoggedItem[], bytes: number): void {
  n.offset += bytes;
  n.backlog = feedBacklog(n.backlog!, n.offset);
  n.log = pruneLog([...n.log, ...placed], n.backlog.firstLo);
}

/** A master adds items to its stream; every replica that receives the stream gets them too. */
export function feedMaster(rc: ReplicationContext, master: NodeState, items: readonly StreamItem[]): void {
  if (items.length === 0) return;
  const bytes = unitBytes(items);
  if (master.backlog === null) {
    // OFFSET-10: 7.2+ counts one byte for a GETACK fed with neither backlog nor replicas.
    if (master.profile.noBacklogGetackPlusOne && items.some((i) => i.kind === "getack")) master.offset += 1;
    return;
  }
  const placed = placeItems(items, master.offset);
  appendToStream(master, placed, bytes);
  for (const r of deliveringReplicas(rc.cluster, master)) deliver(rc, r, placed);
}

// OFFSET-9 / CHAIN-2: a replica applies the exact bytes, forwards them unchanged and injects nothing,
// so every node down a connected chain has the root's offset and data (CHAIN-1, CONV-5).
export function deliver(rc: ReplicationContext, replica: NodeState, placed: readonly LoggedItem[]): void {
  if (placed.length === 0) return;
  if (placed[0].start !== replica.offset + 1) {
    throw new Error(`model bug: ${replica.name} at offset ${replica.offset} was sent bytes from ${placed[0].start}`);
  }
  for (const { start, item } of placed) {
    if (item.kind === "command") applyCommand(rc, replica, item.db, item.argv);
    // LINK-5: the replica answers GETACK with the offset before the GETACK.
    if (item.kind === "getack") replica.ackLo = start - 1;
  }
  const bytes = placed.reduce((n, p) => n + p.item.bytes, 0);
  if (replica.backlog === null) replica.backlog = createBacklog(replica.profile, replica.config.replBacklogSize, replica.offset);
  appendToStream(replica, placed, bytes);
  for (const sub of deliveringReplicas(rc.cluster, replica)) deliver(rc, sub, placed);
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

/**
 * Drop every replica attached to `n` (they keep a cached master and reconnect with PSYNC). A replica
 * behind a blackholed link never sees the close: it stays "connected" to nothing (LINK-4).
 */
export function disconnectReplicas(rc: ReplicationContext, n: NodeState, rule: string): void {
  const c = rc.cluster;
  for (const r of Object.values(c.nodes)) {
    if (r.master !== n.name || !r.linkConnected || r.detached) continue;
    if (linkOf(c, r) === "blackhole") {
      r.detached = true;
      rc.journal.notes.push(`${rule}: ${n.name} drops its replica ${r.name}, which does not notice behind the blackholed link`);
    } else {
      r.linkConnected = false;
      rc.journal.notes.push(`${rule}: ${n.name} disconnects its replica ${r.name}`);
    }
  }
  for (const [key, g] of Object.entries(c.ghosts)) if (g.master === n.name) delete c.ghosts[key];
}

/**
 * A replica closes its link to its master (promotion, another master, restart). Behind a blackholed
 * link the master never sees the close and keeps a ghost client (LINK-4).
 */
export function leaveMaster(rc: ReplicationContext, r: NodeState): void {
  const c = rc.cluster;
  if (r.master !== null && r.linkConnected && !r.detached && linkOf(c, r) === "blackhole") {
    c.ghosts[edgeKey(r.name, r.master)] = { replica: r.name, master: r.master, ack: { min: r.ackLo, max: r.offset } };
    rc.journal.notes.push(`LINK-4: ${r.master} keeps ${r.name}'s client: the close never crosses the blackholed link`);
  }
  r.linkConnected = false;
  r.detached = false;
}

// CONV-4: a partial resync keeps the replica's data and applies the missing tail.
// REPLID-5: +CONTINUE with a new id shifts the replica's ids and drops its sub-replicas.
function continueSync(rc: ReplicationContext, r: NodeState, m: NodeState, req: PsyncRequest): void {
  r.linkConnected = true;
  r.detached = false;
  r.cachedMaster = true;
  r.ackLo = 0;
  if (m.replid !== r.replid) {
    rc.journal.notes.push(`REPLID-5: ${r.name} gets +CONTINUE ${m.replid}: replid2 ${r.replid}, second_repl_offset ${r.offset + 1}`);
    r.replid2 = r.replid;
    r.secondReplOffset = r.offset + 1;
    r.replid = m.replid;
    disconnectReplicas(rc, r, "REPLID-5");
  }
  // BACKLOG-7: a backlog is created after +CONTINUE if missing.
  if (r.backlog === null) r.backlog = createBacklog(r.profile, r.config.replBacklogSize, r.offset);
  const tail = itemsFrom(m.log, req.offset, m.offset);
  if (tail === null) throw new Error(`model bug: ${m.name} cannot serve offset ${req.offset} from its log`);
  deliver(rc, r, tail);
}

function fullSync(rc: ReplicationContext, r: NodeState, m: NodeState): void {
  if (m.backlog === null) {
    // REPLID-2 / BACKLOG-1: the first replica makes the master change its replid and create its backlog.
    m.replid = freshReplId(rc.cluster.ids);
    m.replid2 = NO_REPLID;
    m.secondReplOffset = -1;
    m.backlog = createBacklog(m.profile, m.config.replBacklogSize, m.offset);
    m.log = [];
    rc.journal.notes.push(`REPLID-2: ${m.name} creates its backlog for its first replica and takes replid ${m.replid}`);
  }
  // FULLSYNC-4: the snapshot is the master's data now; later writes reach the replica as stream.
  // OFFSET-3: every full-sync setup makes the next command select its db again.
  m.streamDb = -1;
  const snapshot = m.dataset.clone();
  const replInfo = { replid: m.replid, offset: m.offset };
  // A disk-based sync leaves the RDB in the master's dir (facts §8.1).
  if (!m.config.replDisklessSync) m.saved = { dataset: snapshot, replInfo };
  // CHAIN-5: sub-replicas are dropped before the new data is loaded.
  disconnectReplicas(rc, r, "CHAIN-5");
  // FULLSYNC-7: an RDB newer than the replica's own version cannot be loaded; it retries forever.
  if (m.profile.rdbVersion > r.profile.rdbVersion) {
    r.syncFailing = true;
    r.cachedMaster = false;
    r.dataset = Dataset.empty();
    m.stats.syncFull = { min: m.stats.syncFull.min, max: Infinity };
    return;
  }
  // FULLSYNC-1 / CONV-4 / REPLID-3 / BACKLOG-7: the replica becomes a copy of the snapshot; the RDB
  // payload itself moves no offset (OFFSET-11): the replica takes the master's.
  r.dataset = snapshot.clone();
  r.replid = m.replid;
  r.replid2 = NO_REPLID;
  r.secondReplOffset = -1;
  r.offset = m.offset;
  r.backlog = createBacklog(r.profile, r.config.replBacklogSize, r.offset);
  r.log = [];
  r.linkConnected = true;
  r.detached = false;
  r.cachedMaster = true;
  r.ackLo = 0;
  // The received RDB is renamed over the replica's dbfilename (repl-diskless-load disabled).
  r.saved = { dataset: snapshot, replInfo };
}

/** One PSYNC from `r` to `m`, with its counters and effects. */
export function psync(rc: ReplicationContext, r: NodeState, m: NodeState): void {
  const request = psyncRequest(r);
  const verdict = decidePsync(m, request);
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
  rc.journal.syncs.push(event);
  if (outcome === "continue") continueSync(rc, r, m, request);
  else fullSync(rc, r, m);
  if (r.syncFailing) event.failed = `${m.name} writes RDB ${m.profile.rdbVersion}, ${r.name} loads at most ${r.profile.rdbVersion}`;
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
