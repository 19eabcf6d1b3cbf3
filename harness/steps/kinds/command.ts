// A client command on one node, in one database: the write, read and big-value steps.

import fc from "fast-check";
import { flattenResult } from "../../client.js";
import type { ActionKind, StepGenerator } from "../kind.js";
import { select } from "../live-helpers.js";
import { writer } from "../model-queries.js";
import { db, key, readCommand, writeCommand } from "../vocabulary.js";

export const commandAction: ActionKind<"command"> = {
  schema: {
    type: "object",
    properties: {
      kind: { type: "string", const: "command" },
      node: { type: "string" },
      db: { type: "integer", minimum: 0 },
      argv: { type: "array", items: { type: "string" }, minItems: 1 },
      now: { type: "number" },
    },
    required: ["kind", "node", "db", "argv", "now"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: [],
  family: () => undefined,
  async apply(a, { cluster, timeoutMs, sending }) {
    const n = cluster.node(a.node);
    await select(n, a.db, timeoutMs);
    sending();
    return flattenResult(await n.commands.send(a.argv, timeoutMs));
  },
};

export const writeGenerator: StepGenerator<"write"> = {
  family: "writes",
  weight: 20,
  arbitrary: (node) => fc.record({ t: fc.constant("write" as const), node, db, argv: writeCommand }),
  resolve(raw, { state, names, now }) {
    const name = names[raw.node];
    // Writes in db 9 go to the chosen node itself, which may be a read-only replica (RO-1).
    const node = raw.db === 9 ? name : writer(state, name);
    return [{ action: { kind: "command", node, db: raw.db, argv: raw.argv, now } }];
  },
};

export const readGenerator: StepGenerator<"read"> = {
  family: "reads",
  weight: 4,
  arbitrary: (node) => fc.record({ t: fc.constant("read" as const), node, db, argv: readCommand }),
  resolve: (raw, { names, now }) => [
    { action: { kind: "command", node: names[raw.node], db: raw.db, argv: raw.argv, now } },
  ],
};

export const bigValueGenerator: StepGenerator<"big"> = {
  family: "big-values",
  weight: 2,
  arbitrary: (node) =>
    fc.record({ t: fc.constant("big" as const), node, key, size: fc.integer({ min: 4000, max: 24000 }) }),
  resolve: (raw, { state, names, now }) => [
    {
      action: {
        kind: "command",
        node: writer(state, names[raw.node]),
        db: 0,
        argv: ["SET", raw.key, "x".repeat(raw.size)],
        now,
      },
    },
  ],
};
