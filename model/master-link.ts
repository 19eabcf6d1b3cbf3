// A replica's link to its master: whether it is connected (repl_state CONNECTED), whether its master
// dropped it behind a blackhole without the replica noticing (detached), whether it keeps a cached
// master for its next PSYNC, and the replica clients a master keeps after a close that never
// reached it (ghosts). Every change of them is one operation here, citing the rule it applies; no
// other model file assigns these fields (test/model/operations.test.ts). The proxy state of an edge
// (up, down, blackhole) is the harness's fault, set by the `link` action (model/topology.ts).

import { edgeKey, linkOf, type ClusterState } from "./cluster.js";
import type { RuleClause } from "./clauses.js";
import type { ClausedWhy } from "./decision.js";
import { decide, type ReplicationContext } from "./journal.js";
import type { NodeState } from "./node.js";

// LINK-3: a PSYNC succeeded; the replica is connected, caches its master and has acked nothing yet.
export function linkUp(
  rc: ReplicationContext,
  r: NodeState,
  m: NodeState,
  reply: "+CONTINUE" | "+FULLRESYNC",
  sync: number,
): void {
  r.linkConnected = true;
  r.detached = false;
  r.cachedMaster = true;
  r.cacheFrom = undefined;
  r.ackLo = 0;
  decide(
    rc,
    r.name,
    "link",
    { rule: "LINK-3", clauseId: "reconnected", clause: `${r.name} reconnects to ${m.name}: ${reply}`, sync },
    false,
  );
}

// LINK-4: the replica notices its connection closed (a cut, a healed blackhole, repl-timeout) and keeps a cached master.
export function linkLost(rc: ReplicationContext, r: NodeState, clause: string): void {
  r.linkConnected = false;
  r.detached = false;
  decide(rc, r.name, "link", { rule: "LINK-4", clauseId: "link-lost", clause, sets: true });
}

// LINK-4: a blackholed connection stays up for the replica until repl-timeout; nothing changes.
export function linkBlackholed(rc: ReplicationContext, r: NodeState): void {
  decide(
    rc,
    r.name,
    "link",
    {
      rule: "LINK-4",
      clauseId: "blackhole-unnoticed",
      clause: `${r.name} does not notice the blackhole and shows its link up until repl-timeout`,
      sets: true,
    },
    false,
  );
}

/**
 * `rule` (and its clause): the master `n` drops every replica attached to it (they keep a cached master and
 * reconnect with PSYNC). A replica behind a blackholed link never sees the close: it stays
 * "connected" to nothing (LINK-4).
 */
export function disconnectReplicas(rc: ReplicationContext, n: NodeState, rule: RuleClause): void {
  const c = rc.cluster;
  for (const r of Object.values(c.nodes)) {
    if (r.master !== n.name || !r.linkConnected || r.detached) continue;
    if (linkOf(c, r) === "blackhole") {
      r.detached = true;
      const clause = `${n.name} drops its replica ${r.name}, which does not notice behind the blackholed link`;
      decide(
        rc,
        r.name,
        "link",
        {
          rule: "LINK-4",
          clauseId: "dropped-behind-blackhole",
          clause: `${r.name} still shows its link up: ${clause}`,
        },
        false,
      );
      decide(rc, n.name, "replicas", { ...rule, clause });
    } else {
      r.linkConnected = false;
      const clause = `${n.name} disconnects its replica ${r.name}`;
      decide(rc, r.name, "link", { ...rule, clause }, false);
      decide(rc, n.name, "replicas", { ...rule, clause });
    }
  }
  for (const [key, g] of Object.entries(c.ghosts)) if (g.master === n.name) delete c.ghosts[key];
}

// LINK-4: a replica closes its link (promotion, another master, restart); behind a blackhole its master keeps a ghost client.
export function leaveMaster(rc: ReplicationContext, r: NodeState): void {
  const c = rc.cluster;
  if (r.master !== null && r.linkConnected && !r.detached && linkOf(c, r) === "blackhole") {
    c.ghosts[edgeKey(r.name, r.master)] = { replica: r.name, master: r.master, ack: { min: r.ackLo, max: r.offset } };
    decide(rc, r.master, "replicas", {
      rule: "LINK-4",
      clauseId: "ghost-client-kept",
      clause: `${r.master} keeps ${r.name}'s client: the close never crosses the blackholed link`,
    });
  }
  r.linkConnected = false;
  r.detached = false;
}

// LINK-4: cutting or healing an edge closes every connection its proxy held, ghost clients included.
export function closeProxyConnections(c: ClusterState, key: string): void {
  delete c.ghosts[key];
}

// PSYNC-7: a master turned replica caches itself (its replid, offset + 1).
export function cacheSelf(rc: ReplicationContext, n: NodeState): void {
  n.cachedMaster = true;
  const clause = `${n.name} becomes a replica and caches itself (${n.replid}, ${n.offset + 1})`;
  n.cacheFrom = { rule: "PSYNC-7", clauseId: "master-caches-itself", clause };
  decide(rc, n.name, "link", { rule: "PSYNC-7", clauseId: "master-caches-itself", clause, sets: true });
}

// RESTART-1: a restarted replica has a cached master exactly when its RDB carried repl info.
export function restoreCachedMaster(n: NodeState, cached: boolean, why: ClausedWhy): void {
  n.cachedMaster = cached;
  n.cacheFrom = why;
}

// PSYNC-7: no cached master (a promotion, a restarted master, an RDB it cannot load): the next PSYNC is `? -1`.
export function discardCachedMaster(n: NodeState): void {
  n.cachedMaster = false;
  n.cacheFrom = undefined;
}
