// Handshake and link-state rules the model predicts (spec/link.md).

import { describe, expect, it } from "vitest";
import { blackhole, cluster, cmd, heal, info, offsetOf, replicaof, replicated, run } from "./helpers.js";
import { settledOffsets } from "../../model/predict.js";

describe("LINK-2: master_link_status", () => {
  it("is up when connected and down while the link is cut", () => {
    const s = replicated("redis-7.0");
    expect(info(s, "r1").masterLinkStatus).toBe("up");
    expect(info(run(s, { kind: "link", replica: "r1", state: "down" }).state, "r1").masterLinkStatus).toBe("down");
  });
});

describe("LINK-4: repl-timeout under a blackhole", () => {
  it("a blackholed replica stays up (nothing arrives) until repl-timeout, then down; heal resyncs partially", () => {
    let s = run(replicated("redis-7.0"), blackhole("r1"), cmd("m", "SET", "k", "v")).state;
    expect(info(s, "r1").masterLinkStatus).toBe("up");
    expect(offsetOf(s, "r1")).toBeLessThan(offsetOf(s, "m"));
    expect(info(s, "m").connectedSlaves).toEqual({ min: 1, max: 1 });
    s = run(s, { kind: "repl-timeout", replica: "r1" }).state;
    expect(info(s, "r1").masterLinkStatus).toBe("down");
    const { state, last } = run(s, heal("r1"));
    expect(last.syncs[0].outcome).toBe("continue");
    expect(offsetOf(state, "r1")).toBe(offsetOf(state, "m"));
  });
  it("healing a blackhole closes the connection, so the replica resyncs even before repl-timeout", () => {
    const s = run(replicated("redis-7.0"), blackhole("r1"), cmd("m", "SET", "k", "v")).state;
    const { last, state } = run(s, heal("r1"));
    expect(last.syncs).toMatchObject([{ replica: "r1", outcome: "continue" }]);
    expect(settledOffsets(state)).toEqual({ r1: offsetOf(state, "m") });
  });
});

describe("LINK-6: a master the replica cannot reach", () => {
  it("the link stays down and the replica keeps serving its data", () => {
    let s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).state;
    s = run(s, { kind: "link", replica: "r1", state: "down" }, cmd("m", "SET", "k", "w")).state;
    const r = run(s, cmd("r1", "GET", "k")).last;
    expect(r.reply).toEqual({ kind: "bulk", value: "v" });
    expect(info(r.state, "r1").masterLinkStatus).toBe("down");
  });
  it("a replica pointed at an unreachable master from the start never connects and keeps its own data", () => {
    let s = run(cluster("redis-7.0", ["m", "r1"]), cmd("m", "SET", "k", "v"), cmd("r1", "SET", "mine", "1")).state;
    s = run(s, { kind: "link", replica: "r1", master: "m", state: "down" }, replicaof("r1", "m")).state;
    expect(info(s, "r1")).toMatchObject({ role: "slave", masterLinkStatus: "down", slaveReplOffset: 0 });
    expect(Object.keys(info(s, "r1").dataset[0])).toEqual(["mine"]);
    expect(info(s, "m").connectedSlaves).toEqual({ min: 0, max: 0 });
  });
});

describe("LINK-8: ROLE", () => {
  it("a master lists its online replicas with their possible acked offsets", () => {
    const s = run(replicated("redis-7.0", ["r1", "r2"]), cmd("m", "SET", "k", "v"), {
      kind: "link",
      replica: "r2",
      state: "down",
    }).state;
    expect(info(s, "m").roleReply).toEqual({
      role: "master",
      offset: 50,
      replicas: [{ name: "r1", ack: { min: 0, max: 50 } }],
    });
  });
  it("a replica reports its state and offset, -1 while not connected", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).state;
    expect(info(s, "r1").roleReply).toEqual({ role: "slave", master: "m", state: "connected", offset: 50 });
    const cutState = run(s, { kind: "link", replica: "r1", state: "down" }).state;
    expect(info(cutState, "r1").roleReply).toEqual({ role: "slave", master: "m", state: "not-connected", offset: -1 });
  });
});

describe("LINK-7: REPLICAOF replies", () => {
  it("the same master again: +OK Already connected to specified master; NO ONE on a master: +OK", () => {
    const s = replicated("redis-7.0");
    expect(run(s, replicaof("r1", "m")).last.reply).toEqual({
      kind: "status",
      value: "OK Already connected to specified master",
    });
    expect(run(s, { kind: "replicaof-no-one", node: "m" }).last.reply).toEqual({ kind: "status", value: "OK" });
  });
});

describe("LINK-9: a paused replica loses nothing", () => {
  it("its master runs the writes meanwhile; after the pause the stream continues with no resync", () => {
    const s = replicated("redis-7.0");
    const { state, last } = run(s, {
      kind: "pause",
      node: "r1",
      writer: "m",
      db: 3,
      writes: [
        ["SET", "k", "v"],
        ["INCR", "n"],
      ],
      now: 0,
    });
    expect(last.syncs).toEqual([]);
    expect(last.decisions.some((d) => d.rule === "LINK-9" && d.node === "r1")).toBe(true);
    expect(info(state, "r1").masterLinkStatus).toBe("up");
    expect(offsetOf(state, "r1")).toBe(offsetOf(state, "m"));
    expect(offsetOf(state, "m")).toBeGreaterThan(offsetOf(s, "m"));
  });
  it("a node cannot write during its own pause", () => {
    expect(() =>
      run(replicated("redis-7.0"), {
        kind: "pause",
        node: "m",
        writer: "m",
        db: 0,
        writes: [["SET", "k", "v"]],
        now: 0,
      }),
    ).toThrow(/cannot run the writes of its own pause/);
  });
});
