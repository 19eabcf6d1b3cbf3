// A crash: the node is killed (SIGKILL for processes and containers; the built-in server's close is
// as abrupt) and started again from whatever RDB its dir holds, or empty (RESTART-4, RESTART-1/2).

import fc from "fast-check";
import type { ActionKind, StepGenerator } from "../kind.js";

export const crashAction: ActionKind<"crash"> = {
  schema: {
    type: "object",
    properties: { kind: { type: "string", const: "crash" }, node: { type: "string" } },
    required: ["kind", "node"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: [],
  family: () => "crash",
  async apply(a, { cluster, before }) {
    // It comes back with its start-up config, as a replica of the same edge if it was one.
    const master = before.nodes[a.node].master;
    await cluster.restart(
      a.node,
      master === null ? {} : { replicaof: await cluster.replicaofArgs(a.node, master) },
      "kill",
    );
    return undefined;
  },
};

export const crashGenerator: StepGenerator<"crash"> = {
  family: "crash",
  weight: 1,
  arbitrary: (node) => fc.record({ t: fc.constant("crash" as const), node }),
  resolve: (raw, { names }) => [{ action: { kind: "crash", node: names[raw.node] } }],
};
