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
// - resized-resync: a replica's repl-backlog-size is set before it has the backlog it will use: a
//   full sync then creates one of the size set since start-up, and a write larger than that size
//   wraps it (BACKLOG-7, BACKLOG-4).
// - chain-promotion: a chain n0 <- n1 <- n2 is built and its middle node promoted: the sub-replica
//   must be dropped and continue with the new id through replid2 (REPLID-4, REPLID-5, CHAIN-*).
// - silent-replica: min-replicas-max-lag 1 and a replica behind a blackhole: a write it never acks,
//   a WAIT for every replica that times out after 4.1 s (real time: acks are timed by the server's
//   clock), then a write that must be refused (MINREP-1, MINREP-2). Rare: it costs seconds.
// - wrapped-reconnect: a master's backlog is resized to its 16 KiB floor and filled, a replica's
//   link is cut while nearly a whole ring of writes follows, and the link heals: a +CONTINUE whose
//   bytes, read from the ring, almost always cross its end (PSYNC-5, BACKLOG-2).

import fc from "fast-check";
import type { Action } from "../../../model/index.js";
import { BACKLOG_MIN_SIZE, clampBacklogSize, type ClusterState, replicaClients } from "../../../model/index.js";
import type { StepGenerator } from "../kind.js";
import { firstFrom, replicaFrom, wouldCycle, writer } from "../model-queries.js";
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

export const resizedResyncGenerator: StepGenerator<"resized-resync"> = {
  family: "backlog-resize",
  weight: 1,
  arbitrary: (node) =>
    fc.record({
      t: fc.constant("resized-resync" as const),
      node,
      size: fc.constantFrom(BACKLOG_MIN_SIZE, 20_000, 2 * BACKLOG_MIN_SIZE),
      over: fc.integer({ min: 1, max: 6000 }),
    }),
  resolve(raw, { state, names, now }) {
    const replica = replicaFrom(state, names, raw.node);
    if (replica === undefined) return [];
    const master = state.nodes[replica].master as string;
    const steps: Action[] = [
      { kind: "config-set", node: replica, name: "repl-backlog-size", value: String(raw.size) },
      // The resync situation: promoted, diverged, re-attached: a full sync and a new backlog.
      { kind: "replicaof-no-one", node: replica },
      { kind: "command", node: replica, db: 0, argv: ["SET", "diverged", "a"], now },
      { kind: "replicaof", node: replica, master },
      {
        kind: "command",
        node: writer(state, master),
        db: 0,
        argv: ["SET", "k1", "x".repeat(raw.size + raw.over)],
        now,
      },
    ];
    return steps.map((action) => ({ action }));
  },
};

/** A SET on `node` whose stream item is `bytes` long (the value sized with the model's help), if it can be. */
function setOfSize(state: ClusterState, node: string, key: string, bytes: number, now: number): Action | undefined {
  const set = (length: number): Action => ({
    kind: "command",
    node,
    db: 0,
    argv: ["SET", key, "x".repeat(length)],
    now,
  });
  const cost = (a: Action) => lookAhead(state, [a]).nodes[node].offset - state.nodes[node].offset;
  let length = bytes - 40;
  // The RESP header's digits change with the length: two corrections reach it exactly.
  for (let i = 0; i < 3 && length > 0; i++) {
    const c = cost(set(length));
    if (c === bytes) return set(length);
    if (c === 0) return undefined; // refused (min-replicas) or not propagated
    length += bytes - c;
  }
  return length > 0 ? set(length) : undefined;
}

export const wrappedReconnectGenerator: StepGenerator<"wrapped-reconnect"> = {
  family: "backlog-resize",
  weight: 1,
  arbitrary: (node) =>
    fc.record({
      t: fc.constant("wrapped-reconnect" as const),
      node,
      fill: fc.integer({ min: 1000, max: 15_000 }),
      short: fc.constantFrom(1, 100, 3000),
    }),
  resolve(raw, { state, names, now }) {
    const replica = replicaFrom(state, names, raw.node);
    if (replica === undefined) return [];
    const master = state.nodes[replica].master as string;
    const root = writer(state, master);
    const before: Action[] = [
      { kind: "config-set", node: master, name: "repl-backlog-size", value: String(BACKLOG_MIN_SIZE) },
      // Moves the ring's write position to a point `fill` decides.
      { kind: "command", node: root, db: 0, argv: ["SET", "wrap", "x".repeat(raw.fill)], now },
      { kind: "link", replica, state: "down" },
    ];
    const cut = lookAhead(state, before);
    // Writes while the link is down bring the replica's lag to a ring's size less `short` bytes:
    // the read of that many bytes ending anywhere but at the ring's last `short` bytes crosses its end.
    const lag = cut.nodes[master].offset - cut.nodes[replica].offset;
    const wanted = BACKLOG_MIN_SIZE - raw.short - lag;
    const catchUp = wanted > 100 ? setOfSize(cut, root, "wrap2", wanted, now) : undefined;
    const steps: Action[] = [
      ...before,
      ...(catchUp === undefined ? [] : [catchUp]),
      { kind: "link", replica, state: "up" },
    ];
    return steps.map((action) => ({ action }));
  },
};

/** The WAIT that lets a blackholed replica's last ack age past max-lag 1 + 3 s (MINREP-1). */
const SILENCE_MS = 4100;

export const silentReplicaGenerator: StepGenerator<"silent-replica"> = {
  family: "min-replicas",
  // In about one generated scenario of 90 (a model-only run: 2-4 times in a default 60 s run); each
  // costs SILENCE_MS of real time.
  weight: 0.06,
  arbitrary: (node) => fc.record({ t: fc.constant("silent-replica" as const), node }),
  resolve(raw, { state, names, now }) {
    const master = writer(state, names[raw.node]);
    const clients = replicaClients(state, state.nodes[master]);
    const delivering = new Set(clients.filter((c) => c.delivering).map((c) => c.name));
    const replica = firstFrom(names, raw.node, (n) => delivering.has(n));
    if (replica === undefined) return [];
    const steps: Action[] = [
      { kind: "config-set", node: master, name: "min-replicas-to-write", value: "0" },
      { kind: "config-set", node: master, name: "min-replicas-max-lag", value: "1" },
      { kind: "link", replica, state: "blackhole" },
      // A write the replica never acks (its last ack came before this command).
      { kind: "command", node: master, db: 0, argv: ["SET", "k1", "silent"], now },
      { kind: "config-set", node: master, name: "min-replicas-to-write", value: String(clients.length) },
      { kind: "wait", node: master, numReplicas: clients.length, timeoutMs: SILENCE_MS },
      { kind: "command", node: master, db: 0, argv: ["SET", "k2", "silent"], now },
      // Back to the default: later steps do not depend on acks timed within a second.
      { kind: "config-set", node: master, name: "min-replicas-max-lag", value: "10" },
    ];
    return steps.map((action) => ({ action }));
  },
};

export const chainPromotionGenerator: StepGenerator<"chain-promotion"> = {
  family: "failover",
  weight: 1,
  arbitrary: (node) => fc.record({ t: fc.constant("chain-promotion" as const), node, write: fc.boolean() }),
  resolve(raw, { state, names, now }) {
    const middle = replicaFrom(state, names, raw.node);
    if (middle === undefined) return [];
    const below = firstFrom(
      names,
      raw.node,
      (n) => n !== middle && state.nodes[n].master !== middle && !wouldCycle(state, n, middle),
    );
    const hasSub = names.some((n) => state.nodes[n].master === middle);
    if (below === undefined && !hasSub) return [];
    const steps: Action[] = [
      ...(below === undefined ? [] : [{ kind: "replicaof", node: below, master: middle } as const]),
      { kind: "command", node: writer(state, middle), db: 0, argv: ["INCR", "k1"], now },
      { kind: "replicaof-no-one", node: middle },
      ...(raw.write ? [{ kind: "command", node: middle, db: 0, argv: ["SET", "k2", "promoted"], now } as const] : []),
    ];
    return steps.map((action) => ({ action }));
  },
};
