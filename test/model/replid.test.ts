// Replication id life cycle (spec/replid.md).

import { describe, expect, it } from "vitest";
import { cluster, cmd, cut, info, promote, replicaof, replicated, run } from "./helpers.js";

describe("REPLID-1: a fresh node", () => {
  it("has its own replid, no replid2, second_repl_offset -1, offset 0", () => {
    const s = cluster("redis-7.0", ["a", "b"]);
    expect(info(s, "a")).toMatchObject({
      replid2: "none",
      secondReplOffset: -1,
      masterReplOffset: 0,
      backlogActive: false,
    });
    expect(info(s, "a").replid).not.toBe(info(s, "b").replid);
  });
});

describe("REPLID-2: the first replica changes the master's replid", () => {
  it("the first attach changes it and clears replid2; a second attach keeps it", () => {
    const s0 = cluster("redis-7.0", ["m", "r1", "r2"]);
    const s1 = run(s0, replicaof("r1", "m")).state;
    expect(info(s1, "m").replid).not.toBe(info(s0, "m").replid);
    const s2 = run(s1, replicaof("r2", "m")).state;
    expect(info(s2, "m").replid).toBe(info(s1, "m").replid);
  });
});

describe("REPLID-3: a full sync gives the replica the master's replid and offset", () => {
  it("and clears its replid2", () => {
    let s = run(
      replicated("redis-7.0", ["r1"]),
      cmd("m", "SET", "k", "v"),
      promote("r1"),
      cmd("r1", "SET", "k", "w"),
    ).state;
    expect(info(s, "r1").replid2).not.toBe("none");
    s = run(s, replicaof("r1", "m")).state; // r1 wrote after the promotion: its history diverged, full sync
    expect(info(s, "r1")).toMatchObject({
      replid: info(s, "m").replid,
      replid2: "none",
      secondReplOffset: -1,
      masterReplOffset: info(s, "m").masterReplOffset,
    });
  });
});

describe("REPLID-4: promotion shifts the ids", () => {
  it("replid2 = old replid, second_repl_offset = offset + 1 (measured: off 50 -> second 51), new replid", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).state;
    expect(info(s, "r1").masterReplOffset).toBe(50);
    const p = run(s, promote("r1")).state;
    expect(info(p, "r1")).toMatchObject({
      role: "master",
      replid2: info(s, "r1").replid,
      secondReplOffset: 51,
      masterReplOffset: 50,
    });
    expect(info(p, "r1").replid).not.toBe(info(s, "r1").replid);
    expect(info(p, "r1").dataset).toEqual(info(s, "r1").dataset);
  });
  it("promotion disconnects the promoted node's replicas, which come back partially", () => {
    const s = run(
      cluster("redis-7.0", ["m", "r1", "r2"]),
      replicaof("r1", "m"),
      replicaof("r2", "r1"),
      cmd("m", "SET", "k", "v"),
    ).state;
    const { state, last } = run(s, promote("r1"));
    expect(last.notes.some((n) => n.startsWith("REPLID-4: r1 disconnects its replica r2"))).toBe(true);
    expect(last.syncs).toMatchObject([{ replica: "r2", master: "r1", outcome: "continue" }]);
    expect(info(state, "r2").replid).toBe(info(state, "r1").replid);
  });
});

describe("REPLID-5: +CONTINUE with a new id", () => {
  it("chain A->B->C: after B reconnects to a promoted A', C has replid B.new and replid2 A.id (REPLID-5's example)", () => {
    let s = run(
      cluster("redis-7.0", ["a", "b", "c", "d"]),
      replicaof("b", "a"),
      replicaof("c", "b"),
      replicaof("d", "a"),
      cmd("a", "SET", "k", "v"),
    ).state;
    const oldId = info(s, "a").replid;
    s = run(s, promote("d"), replicaof("b", "d")).state;
    expect(info(s, "b")).toMatchObject({ replid: info(s, "d").replid, replid2: oldId });
    expect(info(s, "c")).toMatchObject({ replid: info(s, "d").replid, replid2: oldId, masterLinkStatus: "up" });
    expect(info(s, "b").syncPartialOk.min).toBe(1); // C came back to B partially
  });
});

describe("REPLID-6: freeing the backlog by ttl changes the replid", () => {
  it("and clears replid2", () => {
    let s = run(replicated("redis-7.0", ["r1"], { replBacklogTtl: 5 }), cmd("m", "SET", "k", "v"), promote("r1")).state;
    const before = info(s, "m").replid;
    s = run(s, { kind: "backlog-ttl-expired", node: "m" }).state;
    expect(info(s, "m").replid).not.toBe(before);
    expect(info(s, "m").replid2).toBe("none");
  });
});

describe("REPLID-7: former siblings and the demoted master after a failover", () => {
  const failover = () => {
    const s = run(
      cluster("redis-7.0", ["m", "r1", "r2"]),
      replicaof("r1", "m"),
      replicaof("r2", "m"),
      cmd("m", "SET", "k", "v"),
    ).state;
    return run(s, promote("r1")).state;
  };
  it("a sibling at the same offset continues partially", () => {
    const { state, last } = run(failover(), replicaof("r2", "r1"));
    expect(last.syncs[0]).toMatchObject({ replica: "r2", outcome: "continue" });
    expect(info(state, "r1").syncFull.max).toBe(0);
  });
  it("a sibling behind continues and gets the tail", () => {
    let s = run(
      cluster("redis-7.0", ["m", "r1", "r2"]),
      replicaof("r1", "m"),
      replicaof("r2", "m"),
      cut("r2"),
      cmd("m", "SET", "k", "v"),
    ).state;
    s = run(s, promote("r1")).state;
    const { state, last } = run(s, replicaof("r2", "r1"));
    expect(last.syncs[0].outcome).toBe("continue");
    expect(info(state, "r2").dataset).toEqual(info(state, "r1").dataset);
  });
  it("a sibling ahead (one more write from the old master) needs a full sync", () => {
    let s = run(
      cluster("redis-7.0", ["m", "r1", "r2"]),
      replicaof("r1", "m"),
      replicaof("r2", "m"),
      cut("r1"),
      cmd("m", "SET", "k", "v"),
    ).state;
    s = run(s, promote("r1")).state;
    const { last } = run(s, replicaof("r2", "r1"));
    expect(last.syncs[0]).toMatchObject({ outcome: "fullresync", verdict: { rule: "PSYNC-1" } });
  });
  it("the demoted master continues iff it wrote nothing after the promotion point", () => {
    const clean = run(failover(), replicaof("m", "r1"));
    expect(clean.last.syncs[0]).toMatchObject({ replica: "m", outcome: "continue" });
    const dirty = run(failover(), cmd("m", "SET", "late", "1"), replicaof("m", "r1"));
    expect(dirty.last.syncs[0]).toMatchObject({ replica: "m", outcome: "fullresync" });
    expect(info(dirty.state, "m").dataset[0].late).toBeUndefined();
  });
});
