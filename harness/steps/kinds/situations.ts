// Situations: several steps that build a state plain random steps reach too rarely, each aimed
// with what the model knows (harness/steps/simulate.ts).
//
// - resync: a replica is promoted, takes a write of its own (so its history diverges) and goes back
//   to its master: a full sync (PSYNC-1 refused beyond second_repl_offset) onto a master that holds
//   data, followed by a write in a chosen database (the stream must SELECT again, OFFSET-3).
// - lagging-resize: a replica's link is cut, the master writes big values, its backlog is resized
//   exactly at, one byte short of, or well beyond what the replica needs, and the link heals: a
//   reconnect at the first byte the resized backlog keeps, one past it, or inside it (BACKLOG-5,
//   PSYNC-2).

import fc from "fast-check";
import type { Action } from "../../../model/index.js";
import { clampBacklogSize } from "../../../model/index.js";
import type { StepGenerator } from "../kind.js";
import { replicaFrom, writer } from "../model-queries.js";
import { lookAhead } from "../simulate.js";
import type { Step } from "../step.js";

export const resyncGenerator: StepGenerator<"resync"> = {
  family: "replicaof",
  weight: 1,
  arbitrary: (node) =>
    fc.record({
      t: fc.constant("resync" as const),
      node,
      db: fc.constantFrom(0, 1, 5, 15),
      value: fc.constantFrom("a", "bb"),
    }),
  resolve(raw, { state, names, now }) {
    const replica = replicaFrom(state, names, raw.node);
    if (replica === undefined) return [];
    const master = state.nodes[replica].master as string;
    const steps: Action[] = [
      { kind: "replicaof-no-one", node: replica },
      { kind: "command", node: replica, db: 0, argv: ["SET", "diverged", raw.value], now },
      { kind: "replicaof", node: replica, master },
      { kind: "command", node: writer(state, master), db: raw.db, argv: ["SET", "k1", raw.value], now },
    ];
    return steps.map((action) => ({ action }));
  },
};

/** Where the resized backlog starts relative to the lagging replica's next byte. */
const AIMS = ["exact", "one-short", "roomy"] as const;

export const laggingResizeGenerator: StepGenerator<"lagging-resize"> = {
  family: "backlog-resize",
  weight: 1,
  arbitrary: (node) =>
    fc.record({
      t: fc.constant("lagging-resize" as const),
      node,
      sizes: fc.array(fc.integer({ min: 9000, max: 14000 }), { minLength: 2, maxLength: 3 }),
      aim: fc.constantFrom(...AIMS),
    }),
  resolve(raw, { state, names, now }) {
    const replica = replicaFrom(state, names, raw.node);
    if (replica === undefined) return [];
    const master = state.nodes[replica].master as string;
    const lagging: Action[] = [
      { kind: "link", replica, state: "down" },
      ...raw.sizes.map(
        (size, i): Action => ({
          kind: "command",
          node: master,
          db: 0,
          argv: ["SET", `big${i}`, "x".repeat(size)],
          now,
        }),
      ),
    ];
    const ahead = lookAhead(state, lagging);
    const m = ahead.nodes[master];
    // The replica asks for offset + 1: a backlog of `lag` bytes starts exactly there.
    const lag = m.offset - ahead.nodes[replica].offset;
    const histlen = m.backlog === null ? 0 : m.offset - m.backlog.firstLo + 1;
    const wanted =
      raw.aim === "exact"
        ? lag
        : raw.aim === "one-short"
          ? lag - 1
          : lag + Math.max(1, Math.floor((histlen - lag) / 2));
    const steps: Step[] = lagging.map((action) => ({ action }));
    steps.push({
      action: { kind: "config-set", node: master, name: "repl-backlog-size", value: String(clampBacklogSize(wanted)) },
    });
    steps.push({ action: { kind: "link", replica, state: "up" } });
    return steps;
  },
};
