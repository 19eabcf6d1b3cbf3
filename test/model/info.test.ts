// What the model predicts for INFO (spec/info.md).

import { describe, expect, it } from "vitest";
import { cluster, cmd, cut, heal, info, replicaof, replicated, run } from "./helpers.js";

describe("INFO-2: sync counters are counted by the serving node", () => {
  it("the master counts the first full sync and the partial resync; the replica counts nothing", () => {
    const s = run(
      replicated("redis-7.0"),
      cmd("m", "SET", "k", "v"),
      cut("r1"),
      cmd("m", "SET", "k", "w"),
      heal("r1"),
    ).state;
    expect(info(s, "m")).toMatchObject({
      syncFull: { min: 1, max: 1 },
      syncPartialOk: { min: 1, max: 1 },
      syncPartialErr: { min: 1, max: 1 },
    });
    expect(info(s, "r1")).toMatchObject({ syncFull: { min: 0, max: 0 }, syncPartialOk: { min: 0, max: 0 } });
  });
  it("an intermediate replica counts the syncs of its sub-replicas", () => {
    const s = run(cluster("redis-7.0", ["m", "r1", "r2"]), replicaof("r1", "m"), replicaof("r2", "r1")).state;
    expect(info(s, "r1").syncFull).toEqual({ min: 1, max: 1 });
  });
});

describe("INFO-3: slave_repl_offset", () => {
  it("is the processed offset of a connected or cached master, and 1 with neither", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).state;
    expect(info(s, "r1").slaveReplOffset).toBe(50);
    expect(info(run(s, cut("r1")).state, "r1").slaveReplOffset).toBe(50);
    const fresh = { ...s, nodes: { ...s.nodes, r1: { ...s.nodes.r1, linkConnected: false, cachedMaster: false } } };
    expect(info(fresh, "r1").slaveReplOffset).toBe(1);
  });
});

describe("INFO-4: connected_slaves", () => {
  it("counts attached replicas, not cut ones", () => {
    const s = replicated("redis-7.0", ["r1", "r2"]);
    expect(info(s, "m").connectedSlaves).toEqual({ min: 2, max: 2 });
    expect(info(run(s, cut("r2")).state, "m").connectedSlaves).toEqual({ min: 1, max: 1 });
  });
});

describe("INFO-5: a fresh master", () => {
  it("offset 0, second -1, replid2 none, no backlog", () => {
    expect(info(cluster("redis-7.0", ["m"]), "m")).toMatchObject({
      role: "master",
      masterReplOffset: 0,
      secondReplOffset: -1,
      replid2: "none",
      backlogActive: false,
      backlogFirstByte: { min: 0, max: 0 },
      backlogHistlen: { min: 0, max: 0 },
      connectedSlaves: { min: 0, max: 0 },
    });
  });
});
