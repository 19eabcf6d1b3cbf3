// Data convergence (spec/convergence.md).

import { describe, expect, it } from "vitest";
import { cluster, cmd, cmdDb, cut, heal, info, multi, promote, replicaof, replicated, run } from "./helpers.js";

describe("CONV-1 / CONV-2: asynchronous replication, eventual consistency", () => {
  it("a cut replica serves stale data and misses writes; after heal it equals its master", () => {
    let s = run(replicated("builtin", ["r1", "r2"]), cmd("m", "SET", "k", "1"), cut("r1")).state;
    s = run(
      s,
      cmd("m", "SET", "k", "2"),
      cmdDb("m", 2, "RPUSH", "l", "a", "b"),
      multi("m", ["HSET", "h", "f", "v"], ["INCR", "n"]),
    ).state;
    expect(run(s, cmd("r1", "GET", "k")).last.reply).toEqual({ kind: "bulk", value: "1" });
    expect(info(s, "r2").dataset).toEqual(info(s, "m").dataset);
    expect(info(s, "r1").dataset).not.toEqual(info(s, "m").dataset);
    s = run(s, heal("r1")).state;
    expect(info(s, "r1").dataset).toEqual(info(s, "m").dataset);
  });
});

describe("CONV-3: REPLICAOF NO ONE keeps the dataset", () => {
  it("the promoted node has exactly the data it had as a replica", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v"), cmdDb("m", 4, "SADD", "s", "x")).state;
    expect(info(run(s, promote("r1")).state, "r1").dataset).toEqual(info(s, "r1").dataset);
  });
});

describe("CONV-4: switching masters", () => {
  it("a partial resync keeps the replica's data and applies the tail", () => {
    let s = run(
      cluster("redis-7.0", ["m", "r1", "r2"]),
      replicaof("r1", "m"),
      replicaof("r2", "m"),
      cmd("m", "SET", "a", "1"),
    ).state;
    s = run(s, cut("r2"), cmd("m", "SET", "b", "2"), promote("r1")).state;
    const { state, last } = run(s, replicaof("r2", "r1"));
    expect(last.syncs[0].outcome).toBe("continue");
    expect(info(state, "r2").dataset).toEqual(info(state, "r1").dataset);
  });
  it("a writable replica's local keys survive a partial resync but not a full sync", () => {
    const s = run(
      cluster("redis-7.0", ["m", "r1"], { replicaReadOnly: false }),
      replicaof("r1", "m"),
      cmd("m", "SET", "a", "1"),
      cmd("r1", "SET", "local", "1"),
    ).state;
    const partial = run(s, cut("r1"), cmd("m", "SET", "b", "2"), heal("r1")).state;
    expect(info(partial, "r1").dataset[0].local).toBeDefined();
    const full = run(s, cut("r1"), cmd("m", "SET", "big", "x".repeat(2_000_000)), heal("r1")).state;
    expect(info(full, "r1").dataset[0].local).toBeUndefined();
  });
});

describe("CONV-5: a node's dataset is its stream applied in order", () => {
  it("a replica caught up to the master's offset has the master's dataset, in every db", () => {
    let s = run(cluster("redis-7.0", ["m", "r1", "r2"]), replicaof("r1", "m"), replicaof("r2", "r1")).state;
    for (let i = 0; i < 20; i++) s = run(s, cmdDb("m", i % 3, "LPUSH", `l${i % 4}`, String(i))).state;
    expect(info(s, "r2").dataset).toEqual(info(s, "m").dataset);
    expect(info(s, "r2").masterReplOffset).toBe(info(s, "m").masterReplOffset);
  });
});
