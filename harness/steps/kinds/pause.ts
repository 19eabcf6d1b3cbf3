// A paused replica (LINK-9): frozen without closing anything — SIGSTOP for a process, the engine's
// pause for a container — while its master takes writes, then resumed. Its master queues the
// stream for it; after the pause the stream continues without a resync.

import fc from "fast-check";
import { UnsupportedLiveAction, type ActionKind, type StepGenerator } from "../kind.js";
import { select } from "../live-helpers.js";
import { replicaFrom, writer } from "../model-queries.js";
import { deterministicWriteCommand } from "../vocabulary.js";

export const pauseAction: ActionKind<"pause"> = {
  schema: {
    type: "object",
    properties: {
      kind: { type: "string", const: "pause" },
      node: { type: "string" },
      writer: { type: "string" },
      db: { type: "integer", minimum: 0 },
      writes: { type: "array", items: { type: "array", items: { type: "string" }, minItems: 1 } },
      now: { type: "number" },
    },
    required: ["kind", "node", "writer", "db", "writes", "now"],
    additionalProperties: false,
  },
  nodeFields: ["node", "writer"],
  needs: ["pause"],
  family: () => "pause",
  async apply(a, { cluster, timeoutMs }) {
    const handle = cluster.node(a.node).handle;
    if (handle.pause === undefined || handle.resume === undefined || !cluster.target.capabilities.pause)
      throw new UnsupportedLiveAction(
        `pause needs a target that can pause a node; ${cluster.target.description} cannot`,
      );
    const w = cluster.node(a.writer);
    await handle.pause();
    try {
      await select(w, a.db, timeoutMs);
      // The replies are not checked one by one (so the generator draws no SPOP, whose outcome only its
      // reply would tell): the writes' effects are, on every node, at the next dataset checkpoint.
      for (const argv of a.writes) await w.commands.send(argv, timeoutMs);
    } finally {
      await handle.resume();
    }
    return undefined;
  },
};

export const pauseGenerator: StepGenerator<"pause"> = {
  family: "pause",
  weight: 1,
  needs: ["pause"],
  arbitrary: (node) =>
    fc.record({
      t: fc.constant("pause" as const),
      node,
      db: fc.constantFrom(0, 0, 3),
      writes: fc.array(deterministicWriteCommand, { minLength: 1, maxLength: 4 }),
    }),
  resolve(raw, { state, names, now }) {
    // A replica is paused while the root master of its tree writes.
    const replica = replicaFrom(state, names, raw.node);
    if (replica === undefined) return [];
    const root = writer(state, replica);
    if (root === replica) return [];
    return [{ action: { kind: "pause", node: replica, writer: root, db: raw.db, writes: raw.writes, now } }];
  },
};
