// Topology changes: REPLICAOF host port, REPLICAOF NO ONE, and a failover built from them.

import fc from "fast-check";
import type { ActionKind, StepGenerator } from "../kind.js";
import { admin } from "../live-helpers.js";
import { wouldCycle } from "../model-queries.js";
import type { Step } from "../step.js";

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

export const failoverGenerator: StepGenerator<"failover"> = {
  family: "failover",
  weight: 2,
  arbitrary: (node) => fc.record({ t: fc.constant("failover" as const), node, demoteOldMaster: fc.boolean() }),
  resolve(raw, { state, names }) {
    // Promote a replica and re-point its former siblings (and optionally the old master) to it.
    const name = names[raw.node];
    const old = state.nodes[name].master;
    if (old === null) return [];
    const steps: Step[] = [{ action: { kind: "replicaof-no-one", node: name } }];
    for (const sib of names) {
      if (sib !== name && state.nodes[sib].master === old)
        steps.push({ action: { kind: "replicaof", node: sib, master: name } });
    }
    if (raw.demoteOldMaster && state.nodes[old].master === null)
      steps.push({ action: { kind: "replicaof", node: old, master: name } });
    return steps;
  },
};

export const replicaofGenerator: StepGenerator<"replicaof"> = {
  family: "replicaof",
  weight: 2,
  arbitrary: (node) => fc.record({ t: fc.constant("replicaof" as const), node, master: node }),
  resolve(raw, { state, names }) {
    const name = names[raw.node];
    const master = names[raw.master];
    if (master === name || wouldCycle(state, name, master)) return [];
    return [{ action: { kind: "replicaof", node: name, master } }];
  },
};
