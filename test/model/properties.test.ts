// Properties of the model itself, over random sequences of writes, faults and topology changes.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Action } from "../../model/actions.js";
import { linkOf, rootOf, type ClusterState } from "../../model/cluster.js";
import { predictCluster } from "../../model/predict.js";
import type { ProfileId } from "../../model/profile.js";
import { step, type StepOutcome } from "../../model/step.js";
import { cluster, NOW } from "./helpers.js";

const NAMES = ["n0", "n1", "n2", "n3"];
const BIG = "x".repeat(6000);

const commandArb: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.constantFrom("a", "b", "c").map((k) => ["SET", k, "v"]),
  fc.constantFrom("a", "b").map((k) => ["SET", k, BIG]),
  fc.constant(["INCR", "n"]),
  fc.constant(["INCRBYFLOAT", "f", "0.5"]),
  fc.constantFrom("x", "y").map((v) => ["RPUSH", "l", v]),
  fc.constant(["LPOP", "l"]),
  fc.constantFrom("f", "g").map((f) => ["HSET", "h", f, "1"]),
  fc.constantFrom("p", "q", "r").map((m) => ["SADD", "s", m, "t"]),
  fc.constant(["SPOP", "s"]),
  fc.constant(["SPOP", "s"]),
  fc.constant(["SPOP", "s", "2"]),
  fc.constantFrom("1", "2.5").map((sc) => ["ZADD", "z", sc, "m"]),
  fc.constant(["DEL", "a", "l"]),
  fc.constant(["EXPIRE", "b", "1000"]),
  fc.constant(["PEXPIREAT", "c", "1"]),
  fc.constant(["FLUSHDB"]),
  fc.constant(["GET", "a"]),
);

/** Raw action choices; node indices are resolved against the state when applied. */
type Raw =
  | { t: "cmd"; node: number; db: number; argv: readonly string[] }
  | { t: "multi"; node: number; commands: (readonly string[])[] }
  | { t: "wait"; node: number; n: number }
  | { t: "link"; node: number; state: "up" | "down" | "blackhole" }
  | { t: "replicaof"; node: number; master: number }
  | { t: "noone"; node: number }
  | { t: "backlog"; node: number; size: string }
  | { t: "restart"; node: number }
  | { t: "ping"; node: number };

const nodeIx = fc.nat(NAMES.length - 1);
const rawArb: fc.Arbitrary<Raw> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant("cmd" as const),
      node: nodeIx,
      db: fc.constantFrom(0, 0, 0, 1, 12),
      argv: commandArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("multi" as const),
      node: nodeIx,
      commands: fc.array(commandArb, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("wait" as const), node: nodeIx, n: fc.nat(3) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("link" as const),
      node: nodeIx,
      state: fc.constantFrom("up" as const, "down" as const, "blackhole" as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("replicaof" as const), node: nodeIx, master: nodeIx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("noone" as const), node: nodeIx }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant("backlog" as const),
      node: nodeIx,
      size: fc.constantFrom("16384", "40000", "1mb"),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("restart" as const), node: nodeIx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("ping" as const), node: nodeIx }) },
);

function wouldCycle(s: ClusterState, node: string, master: string): boolean {
  let cur: string | null = master;
  while (cur !== null) {
    if (cur === node) return true;
    cur = s.nodes[cur].master;
  }
  return false;
}

/** Turn a raw choice into an action valid in `s` (null when it does not apply). */
function toAction(s: ClusterState, r: Raw): Action | null {
  const name = NAMES[r.node];
  const n = s.nodes[name];
  switch (r.t) {
    case "cmd":
      return { kind: "command", node: name, db: r.db, argv: r.argv, now: NOW };
    case "multi":
      return { kind: "transaction", node: name, db: 0, commands: r.commands, now: NOW };
    case "wait":
      return { kind: "wait", node: name, numReplicas: r.n, timeoutMs: 50 };
    case "link":
      return n.master === null ? null : { kind: "link", replica: name, state: r.state };
    case "replicaof": {
      const master = NAMES[r.master];
      return master === name || wouldCycle(s, name, master) ? null : { kind: "replicaof", node: name, master };
    }
    case "noone":
      return { kind: "replicaof-no-one", node: name };
    case "backlog":
      return { kind: "config-set", node: name, name: "repl-backlog-size", value: r.size };
    case "restart":
      return { kind: "restart", node: name, save: true };
    case "ping":
      return { kind: "ping-tick", node: name };
  }
}

interface Trace {
  before: ClusterState;
  action: Action;
  outcomes: StepOutcome[];
  chosen: StepOutcome;
}

function runTrace(profile: ProfileId, raws: Raw[], picks: number[]): Trace[] {
  let s = cluster(profile, NAMES, { replBacklogSize: 16384 });
  const trace: Trace[] = [];
  raws.forEach((r, i) => {
    const action = toAction(s, r);
    if (action === null) return;
    const outcomes = step(s, action);
    const chosen = outcomes[picks[i % picks.length] % outcomes.length];
    trace.push({ before: s, action, outcomes, chosen });
    s = chosen.state;
  });
  return trace;
}

const PROFILE_IDS: ProfileId[] = ["builtin", "redis-6.2", "redis-7.0", "redis-7.2", "valkey-8"];
const scenario = fc.record({
  profile: fc.constantFrom(...PROFILE_IDS),
  raws: fc.array(rawArb, { minLength: 10, maxLength: 60, size: "large" }),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
});

/** Nodes whose whole chain to the root is connected through up links. */
function fullyConnected(s: ClusterState, name: string): boolean {
  let n = s.nodes[name];
  while (n.master !== null) {
    if (!n.linkConnected || linkOf(s, n) !== "up") return false;
    n = s.nodes[n.master];
  }
  return true;
}

describe("model properties", () => {
  it("the generated scenarios exercise what the properties are about (no vacuous passes)", () => {
    const seen = { steps: 0, continue: 0, fullresync: 0, branching: 0, promotions: 0, restarts: 0, connectedChains: 0 };
    for (const { profile, raws, picks } of fc.sample(scenario, { numRuns: 400, seed: 42 })) {
      for (const { action, outcomes, chosen } of runTrace(profile, raws, picks)) {
        seen.steps++;
        for (const e of chosen.syncs) seen[e.outcome]++;
        if (outcomes.length > 1) seen.branching++;
        if (action.kind === "replicaof-no-one") seen.promotions++;
        if (action.kind === "restart") seen.restarts++;
        if (
          NAMES.some(
            (n) =>
              chosen.state.nodes[n].master !== null &&
              chosen.state.nodes[chosen.state.nodes[n].master!].master !== null &&
              fullyConnected(chosen.state, n),
          )
        )
          seen.connectedChains++;
      }
    }
    expect(seen.steps).toBeGreaterThan(8000);
    for (const [k, v] of Object.entries(seen)) expect(v, k).toBeGreaterThan(20);
  });

  it("CHAIN-1 / CONV-1: every node connected to its root through up links has the root's replid, offset and data", () => {
    fc.assert(
      fc.property(scenario, ({ profile, raws, picks }) => {
        for (const { chosen } of runTrace(profile, raws, picks)) {
          const s = chosen.state;
          for (const name of NAMES) {
            const n = s.nodes[name];
            if (n.master === null || !fullyConnected(s, name)) continue;
            const root = rootOf(s, n)!;
            expect(n.replid).toBe(root.replid);
            expect(n.offset).toBe(root.offset);
            expect(n.dataset.digest()).toEqual(root.dataset.digest());
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("offsets only go down through a full sync or a restart", () => {
    fc.assert(
      fc.property(scenario, ({ profile, raws, picks }) => {
        for (const { before, action, chosen } of runTrace(profile, raws, picks)) {
          for (const name of NAMES) {
            if (chosen.state.nodes[name].offset >= before.nodes[name].offset) continue;
            const fullSynced = chosen.syncs.some((e) => e.replica === name && e.outcome === "fullresync");
            const restarted = action.kind === "restart" && action.node === name;
            expect(fullSynced || restarted, `${name} went back without a full sync`).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("PSYNC-1 / PSYNC-2: a continue never skips bytes; a full sync leaves the replica equal to its master", () => {
    fc.assert(
      fc.property(scenario, ({ profile, raws, picks }) => {
        for (const { chosen } of runTrace(profile, raws, picks)) {
          for (const e of chosen.syncs) {
            expect(e.verdict.decision === "either" || e.verdict.decision === e.outcome).toBe(true);
            if (e.outcome === "continue") expect(e.request.offset).toBeGreaterThan(0);
          }
          const s = chosen.state;
          for (const name of NAMES) {
            const n = s.nodes[name];
            if (n.master === null || !n.linkConnected || linkOf(s, n) !== "up") continue;
            expect(n.offset).toBe(s.nodes[n.master].offset);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("BACKLOG-2 / BACKLOG-3: windows stay inside their bounds", () => {
    fc.assert(
      fc.property(scenario, ({ profile, raws, picks }) => {
        for (const { chosen } of runTrace(profile, raws, picks)) {
          for (const p of Object.values(predictCluster(chosen.state))) {
            if (!p.backlogActive) continue;
            const n = chosen.state.nodes[p.name];
            expect(p.backlogFirstByte.min).toBeLessThanOrEqual(p.backlogFirstByte.max);
            expect(p.backlogFirstByte.max).toBeLessThanOrEqual(p.masterReplOffset + 1);
            expect(p.backlogHistlen.min).toBeGreaterThanOrEqual(0);
            if (n.backlog!.kind === "ring") {
              expect(p.backlogHistlen.min).toBe(p.backlogHistlen.max);
              expect(p.backlogHistlen.max).toBeLessThanOrEqual(n.backlog!.size);
            } else {
              expect(p.backlogHistlen.max).toBeLessThanOrEqual(n.backlog!.size + n.backlog!.blockMax);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("PSYNC-4: every resolved PSYNC is counted exactly once by the serving node", () => {
    fc.assert(
      fc.property(scenario, ({ profile, raws, picks }) => {
        for (const { before, action, chosen } of runTrace(profile, raws, picks)) {
          if (action.kind === "restart") continue; // counters restart at zero
          for (const name of NAMES) {
            const served = chosen.syncs.filter((e) => e.master === name);
            const b = before.nodes[name].stats;
            const a = chosen.state.nodes[name].stats;
            expect(a.syncPartialOk.min - b.syncPartialOk.min).toBe(
              served.filter((e) => e.outcome === "continue").length,
            );
            expect(a.syncFull.min - b.syncFull.min).toBe(served.filter((e) => e.outcome === "fullresync").length);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("steps are deterministic and never modify their input", () => {
    fc.assert(
      fc.property(scenario, ({ profile, raws, picks }) => {
        for (const { before, action, outcomes } of runTrace(profile, raws, picks)) {
          const snapshot = JSON.stringify(predictCluster(before));
          const again = step(before, action);
          expect(JSON.stringify(predictCluster(before))).toBe(snapshot);
          expect(again.map((o) => JSON.stringify(predictCluster(o.state)))).toEqual(
            outcomes.map((o) => JSON.stringify(predictCluster(o.state))),
          );
        }
      }),
      { numRuns: 60 },
    );
  });
});
