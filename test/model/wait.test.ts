// WAIT rules (spec/wait.md).

import { describe, expect, it } from "vitest";
import { step } from "../../model/step.js";
import { cluster, cmd, cut, multi, offsetOf, promote, replicaof, replicated, run } from "./helpers.js";
import type { ProfileId } from "../../model/profile.js";

const wait = (node: string, numReplicas: number, timeoutMs = 100) => ({
  kind: "wait" as const,
  node,
  numReplicas,
  timeoutMs,
});
/** WAIT-3: the count range a WAIT may reply, judged later with how long it took. */
const count = (numReplicas: number, certain: number, possible: number, timeoutMs = 100) => ({
  kind: "wait-count",
  numReplicas,
  timeoutMs,
  certain,
  possible,
});

describe("WAIT-1 / WAIT-3: counting acks", () => {
  it("right after a write the acks may or may not be in: WAIT 1 either returns at once or blocks with GETACK", () => {
    const s = run(replicated("redis-7.0", ["r1", "r2"]), cmd("m", "SET", "k", "v")).state;
    const outcomes = step(s, wait("m", 1));
    expect(outcomes.map((o) => o.state.nodes.m.offset - s.nodes.m.offset).sort()).toEqual([0, 37]);
    // Nothing is certain before the acks are in; a WAIT that returns before 100 ms counted >= 1.
    for (const o of outcomes) expect(o.reply).toEqual(count(1, 0, 2));
  });
  it("more replicas than exist: blocks, sends GETACK, returns the count at the timeout", () => {
    const s = run(replicated("redis-7.0", ["r1", "r2"]), cmd("m", "SET", "k", "v")).state;
    const [o] = step(s, wait("m", 3));
    expect(o.reply).toEqual(count(3, 0, 2));
  });
  it("after a GETACK the acks are known: the next WAIT returns at once without a GETACK", () => {
    let s = run(replicated("redis-7.0", ["r1"]), cmd("m", "SET", "k", "v")).state;
    s = run(s, wait("m", 2)).state;
    const [o] = step(s, wait("m", 1));
    expect(o.state.nodes.m.offset).toBe(s.nodes.m.offset);
    expect(o.reply).toEqual(count(1, 1, 1));
  });
  it("a cut replica does not count", () => {
    const s = run(replicated("redis-7.0", ["r1", "r2"]), cut("r2"), cmd("m", "SET", "k", "v")).state;
    const [o] = step(s, wait("m", 2));
    expect(o.reply).toEqual(count(2, 0, 1));
  });
});

describe("WAIT-2: the write offset per version", () => {
  it.each([
    ["redis-7.2", 1],
    ["redis-7.0", 2],
  ] as [ProfileId, number][])(
    "%s: after a PING the target is the offset (7.0) or the last write's (7.2+)",
    (profile, outcomes) => {
      // SET, then a blocking WAIT whose GETACK acks the SET but moves the offset by 37, then PING.
      const s = run(replicated(profile, ["r1"]), cmd("m", "SET", "k", "v"), wait("m", 2), cmd("m", "PING")).state;
      // 7.2+ still waits for the SET, acked already: at once. 7.0 waits for the GETACK's bytes too.
      expect(step(s, wait("m", 1))).toHaveLength(outcomes);
    },
  );
});

describe("WAIT-2: the client's SELECT is a command too", () => {
  it("7.0: switching db moves the write offset to the current offset; a refused command does not", () => {
    // A blocking WAIT leaves the acks at the offset before its GETACK and the target below it.
    const base = run(replicated("redis-7.0", ["r1"]), cmd("m", "SET", "k", "v"), wait("m", 2)).state;
    // In the same db a refused command leaves the target: WAIT 0 counts the replica.
    const refused = run(base, cmd("m", "NOPE"), wait("m", 0)).last;
    expect(refused.reply).toEqual(count(0, 1, 1));
    // In another db the harness first sends SELECT: the target becomes the offset after the GETACK.
    const selected = run(base, { kind: "command", node: "m", db: 1, argv: ["NOPE"], now: 0 }, wait("m", 0)).last;
    expect(selected.reply).toEqual(count(0, 0, 1));
  });
});

describe("WAIT-2 / WAIT-3: one target for the whole WAIT", () => {
  it("a client whose write offset is past the master's offset (the master full-synced back) gets :0 and an empty range never", () => {
    // Found live on builtin and 7.0.15: the model counted before and after the GETACK against two
    // different write offsets and predicted the empty range :1..0.
    let s = run(replicated("redis-7.0", ["n1", "n2"]), cut("n1"), cmd("m", "SET", "k", "v")).state;
    s = run(s, promote("n1"), replicaof("n2", "n1"), replicaof("m", "n1"), promote("m"), replicaof("n2", "m")).state;
    // The client's write offset is the SET's; m's offset went back with its full sync from n1.
    expect(s.nodes.m.clientWoff).toBeGreaterThan(s.nodes.m.offset);
    for (const o of step(s, wait("m", 1, 20))) {
      expect(o.reply).toMatchObject({ kind: "wait-count", numReplicas: 1, certain: 0, possible: 0 });
    }
  });
  it("every WAIT range is non-empty", () => {
    const s = run(replicated("redis-7.0", ["r1", "r2"]), cmd("m", "SET", "k", "v")).state;
    for (const n of [0, 1, 2, 3]) {
      for (const o of step(s, wait("m", n))) {
        const r = o.reply as { certain: number; possible: number };
        expect(r.certain).toBeLessThanOrEqual(r.possible);
      }
    }
  });
});

describe("WAIT-4: WAIT n 0 blocks forever under a partition", () => {
  it("with the only replica cut, WAIT 1 0 does not return", () => {
    const s = run(replicated("redis-7.0", ["r1"]), cut("r1"), cmd("m", "SET", "k", "v")).state;
    const [o] = step(s, wait("m", 1, 0));
    expect(o.reply).toMatchObject({ kind: "blocked" });
  });
});

describe("WAIT-5: errors", () => {
  it("on a replica the fixed text, per product", () => {
    expect(run(replicated("redis-7.0"), wait("r1", 1)).last.reply).toEqual({
      kind: "error",
      value:
        "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.",
    });
    expect(run(replicated("valkey-8"), wait("r1", 1)).last.reply).toMatchObject({
      value: expect.not.stringContaining("since Redis 4.0"),
    });
  });
  it("a negative timeout", () => {
    expect(run(replicated("redis-7.0"), wait("m", 1, -1)).last.reply).toEqual({
      kind: "error",
      value: "ERR timeout is negative",
    });
  });
});

describe("WAIT-6: WAIT inside MULTI returns at once", () => {
  it("no GETACK, the current count", () => {
    const s = run(replicated("redis-7.0", ["r1"]), cmd("m", "SET", "k", "v")).state;
    const { last } = run(s, multi("m", ["SET", "a", "1"], ["WAIT", "5", "0"]));
    expect(last.reply).toEqual({
      kind: "array",
      value: [
        { kind: "status", value: "OK" },
        { kind: "int-range", min: 0, max: 1 },
      ],
    });
    expect(offsetOf(last.state, "m") - offsetOf(s, "m")).toBe(27);
    const lone = cluster("redis-7.0", ["m"]);
    expect(offsetOf(run(lone, multi("m", ["WAIT", "1", "0"])).state, "m")).toBe(0);
  });
});
