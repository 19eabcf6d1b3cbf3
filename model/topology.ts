// Topology and link actions: cut/heal/blackhole, REPLICAOF host, REPLICAOF NO ONE.

import { edgeKey, node, type LinkState } from "./cluster.js";
import { ModelUnsupported } from "./commands/context.js";
import type { NodeState } from "./node.js";
import { decide, disconnectReplicas, leaveMaster, type ReplicationContext } from "./replication.js";
import { ok, status, type ExpectedReply } from "./reply.js";
import { freshReplId } from "./replid.js";

export function setLink(rc: ReplicationContext, replica: NodeState, state: LinkState, masterName = replica.master): void {
  if (masterName === null) throw new ModelUnsupported(`${replica.name} has no master: name the edge's master`);
  node(rc.cluster, masterName);
  const key = edgeKey(replica.name, masterName);
  const previous = rc.cluster.links[key] ?? "up";
  rc.cluster.links[key] = state;
  // Cutting or healing closes every connection the proxy held, ghosts included.
  if (state !== "blackhole") delete rc.cluster.ghosts[key];
  if (!replica.linkConnected || replica.master !== masterName) return;
  // A cut closes the connection (the replica caches its master, LINK-4); an unreachable master keeps
  // the link down (LINK-6) while the replica serves its stale data (CONV-2). Its own sub-replicas
  // stay attached (CHAIN-4). Healing a blackhole closes the black-holed connection too, since its
  // stream lost bytes; the replica then resyncs.
  if (state === "down" || (state === "up" && previous === "blackhole")) {
    replica.linkConnected = false;
    replica.detached = false;
    decide(rc, replica.name, "link", { rule: "LINK-4", clause: `${replica.name} loses its link to ${replica.master} and keeps a cached master`, sets: true });
  } else if (state === "blackhole") {
    decide(rc, replica.name, "link", { rule: "LINK-4", clause: `${replica.name} does not notice the blackhole and shows its link up until repl-timeout`, sets: true }, false);
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
  if (wasMaster) {
    // PSYNC-7: a master turned replica caches itself (its replid, offset + 1).
    n.cachedMaster = true;
    const clause = `${n.name} becomes a replica and caches itself (${n.replid}, ${n.offset + 1})`;
    n.cacheFrom = { rule: "PSYNC-7", clause };
    decide(rc, n.name, "link", { rule: "PSYNC-7", clause, sets: true });
  }
  decide(rc, n.name, "role", { rule: "LINK-7", clause: `${n.name} replicates ${masterName}`, sets: true }, false);
  // CHAIN-5: 6.2 drops sub-replicas on every REPLICAOF host port; 7.0+ keeps them.
  if (n.profile.dropSubReplicasOnReplicaof) disconnectReplicas(rc, n, "CHAIN-5");
  n.master = masterName;
  return ok;
}

// REPLID-4 / BACKLOG-8 / CONV-3: promotion keeps data and backlog, shifts the ids, drops replicas.
export function replicaOfNoOne(rc: ReplicationContext, n: NodeState): ExpectedReply {
  if (n.master === null) return ok;
  leaveMaster(rc, n);
  n.master = null;
  n.cachedMaster = false;
  n.syncFailing = false;
  n.replid2 = n.replid;
  n.secondReplOffset = n.offset + 1;
  n.replid = freshReplId(rc.cluster.ids);
  n.streamDb = -1;
  n.cacheFrom = undefined;
  const clause = `${n.name} promoted: replid ${n.replid}, replid2 ${n.replid2}, second_repl_offset ${n.secondReplOffset}`;
  n.replid2From = { rule: "REPLID-4", clause };
  decide(rc, n.name, ["role", "replid"], { rule: "REPLID-4", clause, sets: true });
  // CONV-3 / BACKLOG-8: data and backlog are kept.
  decide(rc, n.name, "dataset", { rule: "CONV-3", clause: `${n.name} keeps its dataset when promoted` }, false);
  decide(rc, n.name, "backlog", { rule: "BACKLOG-8", clause: `${n.name} keeps its backlog when promoted` }, false);
  disconnectReplicas(rc, n, "REPLID-4");
  return ok;
}
