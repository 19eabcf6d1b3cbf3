// Topology and link actions: cut/heal/blackhole, REPLICAOF host, REPLICAOF NO ONE.

import { edgeKey, node, type ModelLinkState } from "./cluster.js";
import { ModelUnsupported } from "./commands/context.js";
import type { NodeState } from "./node.js";
import { shiftHistory } from "./history.js";
import { decide, type ReplicationContext } from "./journal.js";
import {
  cacheSelf,
  closeProxyConnections,
  disconnectReplicas,
  discardCachedMaster,
  leaveMaster,
  linkBlackholed,
  linkLost,
} from "./master-link.js";
import { ok, status, type ExpectedReply } from "./reply.js";

export function setLink(
  rc: ReplicationContext,
  replica: NodeState,
  state: ModelLinkState,
  masterName = replica.master,
): void {
  if (masterName === null) throw new ModelUnsupported(`${replica.name} has no master: name the edge's master`);
  node(rc.cluster, masterName);
  const key = edgeKey(replica.name, masterName);
  const previous = rc.cluster.links[key] ?? "up";
  rc.cluster.links[key] = state;
  // Cutting or healing closes every connection the proxy held, ghosts included.
  if (state !== "blackhole") closeProxyConnections(rc.cluster, key);
  if (!replica.linkConnected || replica.master !== masterName) return;
  // A cut closes the connection (the replica caches its master, LINK-4); an unreachable master keeps
  // the link down (LINK-6) while the replica serves its stale data (CONV-2). Its own sub-replicas
  // stay attached (CHAIN-4). Healing a blackhole closes the black-holed connection too, since its
  // stream lost bytes; the replica then resyncs.
  if (state === "down" || (state === "up" && previous === "blackhole")) {
    linkLost(rc, replica, `${replica.name} loses its link to ${replica.master} and keeps a cached master`);
  } else if (state === "blackhole") {
    linkBlackholed(rc, replica);
  }
}

// LINK-7 / PSYNC-7 / CHAIN-5: REPLICAOF host port.
export function replicaOf(rc: ReplicationContext, n: NodeState, masterName: string): ExpectedReply {
  node(rc.cluster, masterName);
  if (masterName === n.name) throw new ModelUnsupported(`${n.name} cannot replicate from itself`);
  if (n.master === masterName) return status("OK Already connected to specified master");
  const wasMaster = n.master === null;
  // The old link closes; a connected replica caches its master for the next PSYNC.
  leaveMaster(rc, n);
  n.syncFailing = false;
  // PSYNC-7: a master turned replica caches itself (its replid, offset + 1).
  if (wasMaster) cacheSelf(rc, n);
  decide(
    rc,
    n.name,
    "role",
    { rule: "LINK-7", clauseId: "replicaof-host-port", clause: `${n.name} replicates ${masterName}`, sets: true },
    false,
  );
  // CHAIN-5: 6.2 drops sub-replicas on every REPLICAOF host port; 7.0+ keeps them.
  if (n.profile.dropSubReplicasOnReplicaof)
    disconnectReplicas(rc, n, { rule: "CHAIN-5", clauseId: "sub-replicas-dropped" });
  n.master = masterName;
  return ok;
}

// REPLID-4 / BACKLOG-8 / CONV-3: promotion keeps data and backlog, shifts the ids, drops replicas.
export function replicaOfNoOne(rc: ReplicationContext, n: NodeState): ExpectedReply {
  if (n.master === null) return ok;
  leaveMaster(rc, n);
  n.master = null;
  discardCachedMaster(n);
  n.syncFailing = false;
  n.streamDb = -1;
  shiftHistory(rc, n);
  // CONV-3 / BACKLOG-8: data and backlog are kept.
  decide(
    rc,
    n.name,
    "dataset",
    { rule: "CONV-3", clauseId: "promotion-keeps-dataset", clause: `${n.name} keeps its dataset when promoted` },
    false,
  );
  decide(
    rc,
    n.name,
    "backlog",
    { rule: "BACKLOG-8", clauseId: "promotion-keeps-backlog", clause: `${n.name} keeps its backlog when promoted` },
    false,
  );
  disconnectReplicas(rc, n, { rule: "REPLID-4", clauseId: "promotion-drops-replicas" });
  return ok;
}
