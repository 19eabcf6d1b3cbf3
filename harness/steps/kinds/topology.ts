// Topology changes: REPLICAOF host port, REPLICAOF NO ONE, and a failover built from them.

import fc from "fast-check";
import type { ClusterState } from "../../../model/index.js";
import type { ActionKind, StepGenerator } from "../kind.js";
import { admin } from "../live-helpers.js";
import { wouldCycle } from "../model-queries.js";
import type { Step } from "../step.js";

/** Levels above a node up to its root master. */
function depth(s: ClusterState, name: string): number {
  let d = 0;
  const seen = new Set<string>();
  for (let cur = s.nodes[name].master; cur !== null && !seen.has(cur); cur = s.nodes[cur].master) {
    seen.add(cur);
    d++;
  }
  return d;
}

/** The deepest node `name` can attach to without a cycle: chains grow three and more deep. */
function deepestOutside(s: ClusterState, names: readonly string[], name: string): string | undefined {
  const candidates = names.filter((n) => n !== name && !wouldCycle(s, name, n));
  return candidates.sort((a, b) => depth(s, b) - depth(s, a))[0];
}

export const replicaofAction: ActionKind<"replicaof"> = {
  schema: {
    type: "object",
    properties: {
      kind: { type: "string", const: "replicaof" },
      node: { type: "string" },
      master: { type: "string" },
    },
    required: ["kind", "node", "master"],
    additionalProperties: false,
  },
  nodeFields: ["node", "master"],
  needs: [],
  // Every scenario attaches its replicas this way: not a family a run can skip.
  family: () => undefined,
  async apply(a, { cluster }) {
    const [host, port] = await cluster.replicaofArgs(a.node, a.master);
    return admin(cluster.node(a.node), ["REPLICAOF", host, port]);
  },
};

export const replicaofNoOneAction: ActionKind<"replicaof-no-one"> = {
  schema: {
    type: "object",
    properties: { kind: { type: "string", const: "replicaof-no-one" }, node: { type: "string" } },
    required: ["kind", "node"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: [],
  family: () => "failover",
  apply: (a, { cluster }) => admin(cluster.node(a.node), ["REPLICAOF", "NO", "ONE"]),
};

/** Promote `name` and re-point its former siblings (and optionally the old master) to it. */
function failoverSteps(state: ClusterState, names: readonly string[], name: string, demoteOldMaster: boolean): Step[] {
  const old = state.nodes[name].master;
  if (old === null) return [];
  const steps: Step[] = [{ action: { kind: "replicaof-no-one", node: name } }];
  for (const sib of names) {
    if (sib !== name && state.nodes[sib].master === old)
      steps.push({ action: { kind: "replicaof", node: sib, master: name } });
  }
  if (demoteOldMaster && state.nodes[old].master === null)
    steps.push({ action: { kind: "replicaof", node: old, master: name } });
  return steps;
}

export const failoverGenerator: StepGenerator<"failover"> = {
  family: "failover",
  weight: 2,
  arbitrary: (node) => fc.record({ t: fc.constant("failover" as const), node, demoteOldMaster: fc.boolean() }),
  resolve: (raw, { state, names }) => failoverSteps(state, names, names[raw.node], raw.demoteOldMaster),
};

/**
 * A failover while a sibling is behind: its link is cut, the master takes a write, then the
 * promotion re-points it to the promoted node, which is ahead of it: a continue on replid2 below
 * second_repl_offset (PSYNC-1).
 */
export const laggingFailoverGenerator: StepGenerator<"lagging-failover"> = {
  family: "failover",
  weight: 1,
  arbitrary: (node) => fc.record({ t: fc.constant("lagging-failover" as const), node, demoteOldMaster: fc.boolean() }),
  resolve(raw, { state, names, now }) {
    const promoted = names[raw.node];
    const old = state.nodes[promoted].master;
    if (old === null) return [];
    const sibling = names.find((n) => n !== promoted && state.nodes[n].master === old);
    if (sibling === undefined) return failoverSteps(state, names, promoted, raw.demoteOldMaster);
    return [
      { action: { kind: "link", replica: sibling, state: "down" } },
      { action: { kind: "command", node: old, db: 0, argv: ["INCR", "k1"], now } },
      ...failoverSteps(state, names, promoted, raw.demoteOldMaster),
    ];
  },
};

export const replicaofGenerator: StepGenerator<"replicaof"> = {
  family: "replicaof",
  weight: 2,
  arbitrary: (node) => fc.record({ t: fc.constant("replicaof" as const), node, master: node, deep: fc.boolean() }),
  resolve(raw, { state, names }) {
    const name = names[raw.node];
    const master = raw.deep ? (deepestOutside(state, names, name) ?? names[raw.master]) : names[raw.master];
    if (master === name || wouldCycle(state, name, master)) return [];
    return [{ action: { kind: "replicaof", node: name, master } }];
  },
};
