// WAIT numreplicas timeout on the master a client writes to.

import fc from "fast-check";
import { linkOf } from "../../../model/index.js";
import { flattenResult } from "../../client.js";
import type { ActionKind, StepGenerator } from "../kind.js";
import { writer } from "../model-queries.js";

export const waitAction: ActionKind<"wait"> = {
  schema: {
    type: "object",
    properties: {
      kind: { type: "string", const: "wait" },
      node: { type: "string" },
      numReplicas: { type: "integer", minimum: 0 },
      timeoutMs: { type: "integer", minimum: 0 },
    },
    required: ["kind", "node", "numReplicas", "timeoutMs"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: [],
  family: () => "wait",
  async apply(a, { cluster, timeoutMs, sending }) {
    const n = cluster.node(a.node);
    sending();
    return flattenResult(
      await n.commands.send(["WAIT", String(a.numReplicas), String(a.timeoutMs)], a.timeoutMs + timeoutMs),
    );
  },
};

export const waitGenerator: StepGenerator<"wait"> = {
  family: "wait",
  weight: 2,
  arbitrary: (node) =>
    fc.record({
      t: fc.constant("wait" as const),
      node,
      replicas: fc.nat(3),
      timeoutMs: fc.constantFrom(20, 50),
      aimed: fc.boolean(),
    }),
  resolve(raw, { state, names }) {
    const node = writer(state, names[raw.node]);
    // Aimed: as many replicas as are attached with a live link, a count the topology can meet.
    const attached = names.filter((n) => state.nodes[n].master === node && linkOf(state, state.nodes[n]) === "up");
    const numReplicas = raw.aimed ? attached.length : raw.replicas;
    return [{ action: { kind: "wait", node, numReplicas, timeoutMs: raw.timeoutMs } }];
  },
};
