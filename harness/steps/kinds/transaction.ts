// MULTI, the queued commands and EXEC on one node, as one step.

import fc from "fast-check";
import { flattenResult } from "../../client.js";
import type { ActionKind, StepGenerator } from "../kind.js";
import { select } from "../live-helpers.js";
import { writer } from "../model-queries.js";
import { writeCommand } from "../vocabulary.js";

export const transactionAction: ActionKind<"transaction"> = {
  schema: {
    type: "object",
    properties: {
      kind: { type: "string", const: "transaction" },
      node: { type: "string" },
      db: { type: "integer", minimum: 0 },
      commands: {
        type: "array",
        items: { type: "array", items: { type: "string" }, minItems: 1 },
        minItems: 1,
      },
      now: { type: "number" },
    },
    required: ["kind", "node", "db", "commands", "now"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: [],
  family: () => "transactions",
  async apply(a, { cluster, timeoutMs, sending }) {
    const n = cluster.node(a.node);
    await select(n, a.db, timeoutMs);
    // MULTI, the queued commands and EXEC go out pipelined; the EXEC reply is what the model predicts.
    sending();
    const sent = [
      n.commands.send(["MULTI"], timeoutMs),
      ...a.commands.map((c) => n.commands.send(c, timeoutMs)),
      n.commands.send(["EXEC"], timeoutMs),
    ];
    const results = await Promise.all(sent);
    return flattenResult(results[results.length - 1]);
  },
};

export const transactionGenerator: StepGenerator<"multi"> = {
  family: "transactions",
  weight: 3,
  arbitrary: (node) =>
    fc.record({
      t: fc.constant("multi" as const),
      node,
      commands: fc.array(writeCommand, { minLength: 1, maxLength: 3 }),
    }),
  resolve: (raw, { state, names, now }) => [
    { action: { kind: "transaction", node: writer(state, names[raw.node]), db: 0, commands: raw.commands, now } },
  ],
};
