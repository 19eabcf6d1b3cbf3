// Questions resolving asks of the model's state.

import { rootOf, type ClusterState } from "../../model/index.js";

/** Would `node REPLICAOF master` close a replication cycle? */
export function wouldCycle(s: ClusterState, node: string, master: string): boolean {
  const seen = new Set<string>();
  let cur: string | null = master;
  while (cur !== null && !seen.has(cur)) {
    if (cur === node) return true;
    seen.add(cur);
    cur = s.nodes[cur].master;
  }
  return cur !== null;
}

/** Where a write goes: the root master of the chosen node's tree (so most writes succeed). */
export function writer(s: ClusterState, name: string): string {
  return rootOf(s, s.nodes[name])?.name ?? name;
}

/** The first node, starting at `index` and wrapping around, that `matches` (the raw step's choice, moved to where it makes sense). */
export function firstFrom(
  names: readonly string[],
  index: number,
  matches: (name: string) => boolean,
): string | undefined {
  return [...names.slice(index), ...names.slice(0, index)].find(matches);
}

/** The first replica starting at `index` (or none). */
export const replicaFrom = (s: ClusterState, names: readonly string[], index: number): string | undefined =>
  firstFrom(names, index, (n) => s.nodes[n].master !== null);
