// CONFIG SET of a replication setting at run time: backlog resize and min-replicas.

import fc from "fast-check";
import type { ConfigName } from "../../../model/index.js";
import type { Family } from "../families.js";
import type { ActionKind, StepGenerator } from "../kind.js";
import { admin } from "../live-helpers.js";
import { replicaFrom, writer } from "../model-queries.js";
import { writeCommand } from "../vocabulary.js";

/** Every setting the model follows at run time, and the family that changes it. */
const CONFIG_FAMILY: Record<ConfigName, Family | undefined> = {
  "repl-backlog-size": "backlog-resize",
  "repl-backlog-ttl": "timers",
  "min-replicas-to-write": "min-replicas",
  "min-replicas-max-lag": "min-replicas",
  "replica-read-only": "writable-replica",
  "replica-serve-stale-data": undefined,
  "repl-diskless-sync": "diskless",
};

export const configSetAction: ActionKind<"config-set"> = {
  schema: {
    type: "object",
    properties: {
      kind: { type: "string", const: "config-set" },
      node: { type: "string" },
      name: { type: "string", enum: Object.keys(CONFIG_FAMILY) as ConfigName[] },
      value: { type: "string" },
    },
    required: ["kind", "node", "name", "value"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: [],
  family: (a) => CONFIG_FAMILY[a.name],
  apply: (a, { cluster }) => admin(cluster.node(a.node), ["CONFIG", "SET", a.name, a.value]),
};

export const backlogResizeGenerator: StepGenerator<"backlog-size"> = {
  family: "backlog-resize",
  weight: 1,
  arbitrary: (node) =>
    fc.record({
      t: fc.constant("backlog-size" as const),
      node,
      size: fc.constantFrom("1000", "16384", "32768", "1mb"),
    }),
  resolve: (raw, { names }) => [
    { action: { kind: "config-set", node: names[raw.node], name: "repl-backlog-size", value: raw.size } },
  ],
};

export const minReplicasGenerator: StepGenerator<"min-replicas"> = {
  family: "min-replicas",
  weight: 1,
  arbitrary: (node) => fc.record({ t: fc.constant("min-replicas" as const), node, count: fc.nat(2) }),
  resolve: (raw, { state, names }) => [
    {
      action: {
        kind: "config-set",
        node: writer(state, names[raw.node]),
        name: "min-replicas-to-write",
        value: String(raw.count),
      },
    },
  ],
};

export const disklessGenerator: StepGenerator<"diskless"> = {
  family: "diskless",
  weight: 1,
  arbitrary: (node) => fc.record({ t: fc.constant("diskless" as const), node, on: fc.boolean() }),
  resolve: (raw, { state, names }) => [
    {
      action: {
        kind: "config-set",
        node: writer(state, names[raw.node]),
        name: "repl-diskless-sync",
        value: raw.on ? "yes" : "no",
      },
    },
  ],
};

export const writableReplicaGenerator: StepGenerator<"writable-replica"> = {
  family: "writable-replica",
  weight: 1,
  arbitrary: (node) => fc.record({ t: fc.constant("writable-replica" as const), node, argv: writeCommand }),
  resolve(raw, { state, names, now }) {
    const replica = replicaFrom(state, names, raw.node);
    if (replica === undefined) return [];
    return [
      { action: { kind: "config-set", node: replica, name: "replica-read-only", value: "no" } },
      // Its own writes stay on it (RO-3) until its next full sync.
      { action: { kind: "command", node: replica, db: 0, argv: raw.argv, now } },
    ];
  },
};
