// A cluster: nodes, the replication edges between them and the state of each edge's link.

import { cloneNode, createNode, defaultConfig, type NodeConfig, type NodeState } from "./node.js";
import { getProfile, type ProfileId } from "./profile.js";
import { freshReplId, type ReplIdCounter } from "./replid.js";

/**
 * The model's view of a replication edge's link (the harness's proxy): `up` delivers, `down` is cut
 * (connections closed, no reconnect possible), `blackhole` keeps connections open but delivers
 * nothing. A throttled link is `up` for the model: it is slower, not different. Distinct from the
 * proxy's own state (harness/proxy, where a cut is `cut` and throttling a state) and from a
 * replica's repl_state (whether its link is connected: `linkConnected`, model/master-link.ts).
 */
export type ModelLinkState = "up" | "down" | "blackhole";

/**
 * A replica client a master still holds after the replica left through a blackholed link: the
 * replica's close never reached the master (LINK-4). It lasts until the link is cut or healed (the
 * proxy then closes it), the master's repl-timeout, or the master drops its replicas.
 */
export interface GhostReplica {
  replica: string;
  master: string;
  /** The range its last acked offset may show. */
  ack: { min: number; max: number };
}

/** One replica client of a master, as INFO, ROLE, WAIT and min-replicas count them. */
export interface ReplicaClient {
  name: string;
  ack: { min: number; max: number };
  /** It receives the stream and acks it (link up); otherwise its acks may be stale. */
  delivering: boolean;
}

export interface ClusterState {
  nodes: Record<string, NodeState>;
  /** Keyed by edgeKey(replica, master); edges never set are up. */
  links: Record<string, ModelLinkState>;
  /** Keyed by edgeKey(replica, master). */
  ghosts: Record<string, GhostReplica>;
  ids: ReplIdCounter;
  /** Wall-clock ms of the latest step that carried one (for commands applied during a resync). */
  now: number;
  /**
   * MINREP-1: per edgeKey of a replica client that no longer acks (behind a blackhole, or a ghost),
   * the time of the first step with a clock after its acks stopped: its last ack came before.
   */
  silentSince?: Record<string, number>;
}

export interface NodeSpec {
  name: string;
  profile: ProfileId;
  config?: Partial<NodeConfig>;
}

export const edgeKey = (replica: string, master: string): string => `${replica}->${master}`;

export function createCluster(specs: readonly NodeSpec[]): ClusterState {
  const ids: ReplIdCounter = { next: 1 };
  const nodes: Record<string, NodeState> = {};
  for (const s of specs) {
    if (nodes[s.name] !== undefined) throw new Error(`duplicate node name ${s.name}`);
    const profile = getProfile(s.profile);
    nodes[s.name] = createNode(s.name, profile, { ...defaultConfig(profile), ...s.config }, freshReplId(ids));
  }
  return { nodes, links: {}, ghosts: {}, ids, now: 0, silentSince: {} };
}

export function cloneCluster(c: ClusterState): ClusterState {
  const nodes: Record<string, NodeState> = {};
  for (const [name, n] of Object.entries(c.nodes)) nodes[name] = cloneNode(n);
  return {
    nodes,
    links: { ...c.links },
    ghosts: { ...c.ghosts },
    ids: { ...c.ids },
    now: c.now,
    silentSince: { ...c.silentSince },
  };
}

export function node(c: ClusterState, name: string): NodeState {
  const n = c.nodes[name];
  if (n === undefined) throw new Error(`unknown node ${name}`);
  return n;
}

/** The state of the link from `replica` to its current master (up when it has none). */
export function linkOf(c: ClusterState, replica: NodeState): ModelLinkState {
  return replica.master === null ? "up" : (c.links[edgeKey(replica.name, replica.master)] ?? "up");
}

/** Replicas whose replication client the master holds (not detached behind a blackhole). */
export function attachedReplicas(c: ClusterState, master: NodeState): NodeState[] {
  return Object.values(c.nodes).filter((n) => n.master === master.name && n.linkConnected && !n.detached);
}

/** Every replica client of a master: attached replicas and ghosts (INFO-4, LINK-8, WAIT-1, MINREP-1). */
export function replicaClients(c: ClusterState, master: NodeState): ReplicaClient[] {
  const attached = attachedReplicas(c, master).map((r) => ({
    name: r.name,
    ack: { min: r.ackLo, max: r.offset },
    delivering: linkOf(c, r) === "up",
  }));
  const ghosts = Object.values(c.ghosts)
    .filter((g) => g.master === master.name)
    .map((g) => ({ name: g.replica, ack: g.ack, delivering: false }));
  return [...attached, ...ghosts];
}

/**
 * MINREP-1: after a step, a replica client that does not deliver gets a time by which its acks
 * stopped (`stamp`: the step carried a clock, c.now), and one that delivers again or is gone loses it.
 */
export function trackAckSilence(c: ClusterState, stamp: boolean): void {
  const silent = new Set<string>();
  for (const m of Object.values(c.nodes))
    for (const r of replicaClients(c, m)) if (!r.delivering) silent.add(edgeKey(r.name, m.name));
  const since: Record<string, number> = {};
  for (const key of silent) {
    const known = c.silentSince?.[key];
    if (known !== undefined) since[key] = known;
    else if (stamp) since[key] = c.now;
  }
  c.silentSince = since;
}

/**
 * MINREP-1: how many of a master's replica clients are good. Delivering ones ack every second;
 * one whose acks stopped more than max-lag + 3 s before the latest clocked step (a refresh of the
 * count, once per second, has certainly seen it) is not; others may be either.
 */
export function goodReplicaRange(c: ClusterState, master: NodeState): { lo: number; hi: number } {
  const clients = replicaClients(c, master);
  const limitMs = (master.config.minReplicasMaxLag + 3) * 1000;
  const stale = clients.filter((r) => {
    const since = c.silentSince?.[edgeKey(r.name, master.name)];
    return !r.delivering && since !== undefined && c.now - since > limitMs;
  }).length;
  return { lo: clients.filter((r) => r.delivering).length, hi: clients.length - stale };
}

/** Attached replicas that also receive the stream (their link is up). */
export function deliveringReplicas(c: ClusterState, master: NodeState): NodeState[] {
  return attachedReplicas(c, master).filter((r) => linkOf(c, r) === "up");
}

/** Nodes ordered so that every node comes after its master (roots first); cycles go last. */
export function topologicalOrder(c: ClusterState): NodeState[] {
  const depth = new Map<string, number>();
  const depthOf = (n: NodeState, seen: Set<string>): number => {
    const known = depth.get(n.name);
    if (known !== undefined) return known;
    if (n.master === null) return 0;
    if (seen.has(n.name) || c.nodes[n.master] === undefined) return Number.MAX_SAFE_INTEGER;
    seen.add(n.name);
    const d = depthOf(c.nodes[n.master], seen);
    return d === Number.MAX_SAFE_INTEGER ? d : d + 1;
  };
  for (const n of Object.values(c.nodes)) depth.set(n.name, depthOf(n, new Set()));
  return Object.values(c.nodes).sort((a, b) => depth.get(a.name)! - depth.get(b.name)! || (a.name < b.name ? -1 : 1));
}

/** The root master at the top of a node's chain, or null in a cycle. */
export function rootOf(c: ClusterState, n: NodeState): NodeState | null {
  const seen = new Set<string>();
  let cur = n;
  while (cur.master !== null) {
    if (seen.has(cur.name)) return null;
    seen.add(cur.name);
    cur = node(c, cur.master);
  }
  return cur;
}
