// SAVE, and a node restarted with its start-up configuration (after a SAVE, or without one).

import fc from "fast-check";
import type { ActionKind, StepGenerator } from "../kind.js";
import { admin } from "../live-helpers.js";

export const saveAction: ActionKind<"save"> = {
  schema: {
    type: "object",
    properties: { kind: { type: "string", const: "save" }, node: { type: "string" } },
    required: ["kind", "node"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: [],
  family: () => "restarts",
  apply: (a, { cluster }) => admin(cluster.node(a.node), ["SAVE"]),
};

export const restartAction: ActionKind<"restart"> = {
  schema: {
    type: "object",
    properties: {
      kind: { type: "string", const: "restart" },
      node: { type: "string" },
      save: { type: "boolean" },
    },
    required: ["kind", "node", "save"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: [],
  family: () => "restarts",
  async apply(a, { cluster, before }) {
    if (a.save) {
      const saved = await admin(cluster.node(a.node), ["SAVE"]);
      if (saved.kind !== "status") throw new Error(`SAVE before restarting ${a.node} failed: ${JSON.stringify(saved)}`);
    }
    // RESTART-4: the node comes back with its start-up config, as a replica of the same edge if it was one.
    const master = before.nodes[a.node].master;
    await cluster.restart(a.node, master === null ? {} : { replicaof: await cluster.replicaofArgs(a.node, master) });
    return undefined;
  },
};

export const restartGenerator: StepGenerator<"restart"> = {
  family: "restarts",
  weight: 1,
  arbitrary: (node) => fc.record({ t: fc.constant("restart" as const), node }),
  resolve: (raw, { names }) => [{ action: { kind: "restart", node: names[raw.node], save: true } }],
};
