// What the model predicts a node shows in INFO replication, INFO stats, ROLE and its dataset.

import { backlogWindow } from "./backlog.js";
import { goodReplicaRange, linkOf, replicaClients, type ClusterState } from "./cluster.js";
import type { DatasetDigest } from "./keyspace.js";
import { exactly, type Count, type NodeState } from "./node.js";
import type { ReplId } from "./replid.js";

export interface NodePrediction {
  name: string;
  role: "master" | "slave";
  /** Replicas only: the configured master's node name. */
  master?: string;
  /** LINK-2: `up` only when connected. */
  masterLinkStatus?: "up" | "down";
  /** INFO-4. */
  connectedSlaves: Count;
  /** MINREP-4: present only while min-replicas is active. */
  minSlavesGoodSlaves?: Count;
  masterReplOffset: number;
  /** INFO-3: replicas only. */
  slaveReplOffset?: number;
  replid: ReplId;
  replid2: ReplId;
  secondReplOffset: number;
  backlogActive: boolean;
  /** BACKLOG-2/3/9: exact (min == max) for rings, bounds for block backlogs. */
  backlogFirstByte: Count;
  backlogHistlen: Count;
  backlogSize: number;
  syncFull: Count;
  syncPartialOk: Count;
  syncPartialErr: Count;
  dataset: DatasetDigest;
  /** Keys per db as DBSIZE reports them. */
  dbsize: Record<number, number>;
  /** LINK-8: the ROLE reply. */
  roleReply: RolePrediction;
}

export type RolePrediction =
  /** Online replicas by node name, each with the range its acked offset may show. */
  | { role: "master"; offset: number; replicas: { name: string; ack: Count }[] }
  /** `connected`, or any handshake state (connect, connecting, handshake, sync) while not connected; offset -1 then. */
  | { role: "slave"; master: string; state: "connected" | "not-connected"; offset: number };

// LINK-8: ROLE lists only online replicas with their acked offsets; a replica reports its master
// client's offset, or -1 when it has none.
function predictRole(c: ClusterState, n: NodeState): RolePrediction {
  if (n.master === null) {
    const replicas = replicaClients(c, n).map((r) => ({ name: r.name, ack: r.ack }));
    return { role: "master", offset: n.offset, replicas };
  }
  return n.linkConnected
    ? { role: "slave", master: n.master, state: "connected", offset: n.offset }
    : { role: "slave", master: n.master, state: "not-connected", offset: -1 };
}

export function predictNode(c: ClusterState, n: NodeState): NodePrediction {
  const clients = replicaClients(c, n);
  const attached = clients.length;
  const backlogInfo = backlogFields(n);
  const p: NodePrediction = {
    name: n.name,
    role: n.master === null ? "master" : "slave",
    connectedSlaves:
      syncFailingReplicas(c, n) > 0 ? { min: attached, max: attached + syncFailingReplicas(c, n) } : exactly(attached),
    masterReplOffset: n.offset,
    replid: n.replid,
    replid2: n.replid2,
    secondReplOffset: n.secondReplOffset,
    ...backlogInfo,
    backlogSize: n.config.replBacklogSize,
    syncFull: n.stats.syncFull,
    syncPartialOk: n.stats.syncPartialOk,
    syncPartialErr: n.stats.syncPartialErr,
    dataset: n.dataset.digest(),
    dbsize: Object.fromEntries(n.dataset.databases().map((db) => [db, n.dataset.size(db)])),
    roleReply: predictRole(c, n),
  };
  if (n.master !== null) {
    p.master = n.master;
    p.masterLinkStatus = n.linkConnected ? "up" : "down";
    // INFO-3: 1 when there is neither a master client nor a cached master.
    p.slaveReplOffset = n.linkConnected || n.cachedMaster ? n.offset : 1;
  }
  // MINREP-4: shown whenever both settings are non-zero, on a replica too (counting its sub-replicas).
  if (n.config.minReplicasToWrite > 0 && n.config.minReplicasMaxLag > 0) {
    const good = goodReplicaRange(c, n);
    p.minSlavesGoodSlaves = { min: good.lo, max: good.hi };
  }
  return p;
}

function syncFailingReplicas(c: ClusterState, n: NodeState): number {
  return Object.values(c.nodes).filter((r) => r.master === n.name && r.syncFailing && linkOf(c, r) === "up").length;
}

// BACKLOG-9: without a backlog 7.0+ shows 0/0, 6.2 the last window it had.
function backlogFields(n: NodeState): Pick<NodePrediction, "backlogActive" | "backlogFirstByte" | "backlogHistlen"> {
  if (n.backlog === null) {
    const stale = n.profile.backlogInfoWithoutBacklog === "stale";
    return {
      backlogActive: false,
      backlogFirstByte: exactly(stale ? n.staleBacklogInfo.first : 0),
      backlogHistlen: exactly(stale ? n.staleBacklogInfo.histlen : 0),
    };
  }
  const w = backlogWindow(n.backlog, n.offset);
  return {
    backlogActive: true,
    backlogFirstByte: { min: w.firstLo, max: w.firstHi },
    backlogHistlen: { min: w.histlenLo, max: w.histlenHi },
  };
}

export function predictCluster(c: ClusterState): Record<string, NodePrediction> {
  return Object.fromEntries(Object.values(c.nodes).map((n) => [n.name, predictNode(c, n)]));
}

/**
 * The settle predicate for the harness (CONV-1): a replica connected through an up link has its
 * master's offset. Returns, per replica, the offset it must reach before observation.
 */
export function settledOffsets(c: ClusterState): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of Object.values(c.nodes)) {
    if (n.master !== null && n.linkConnected && linkOf(c, n) === "up") out[n.name] = n.offset;
  }
  return out;
}
