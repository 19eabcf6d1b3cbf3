// WAIT numreplicas timeout on the master a client writes to.

import fc from "fast-check";
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
    fc.record({ t: fc.constant("wait" as const), node, replicas: fc.nat(3), timeoutMs: fc.constantFrom(20, 50) }),
  resolve: (raw, { state, names }) => [
    {
      action: {
        kind: "wait",
        node: writer(state, names[raw.node]),
        numReplicas: raw.replicas,
        timeoutMs: raw.timeoutMs,
      },
    },
  ],
};
