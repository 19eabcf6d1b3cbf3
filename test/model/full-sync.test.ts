// Full synchronization rules the model predicts (spec/full-sync.md).

import { describe, expect, it } from "vitest";
import { fullSyncOverruns, replicaOutputLimit } from "../../model/full-sync.js";
import { defaultConfig } from "../../model/node.js";
import { getProfile } from "../../model/profile.js";
import { cluster, cmd, configSet, info, promote, replicaof, run } from "./helpers.js";
import { createCluster } from "../../model/cluster.js";

describe("FULLSYNC-1: a full sync replaces the replica's dataset", () => {
  it("keys written locally on the replica before the sync are gone afterwards", () => {
    let s = run(
      cluster("redis-7.0", ["m", "r1"]),
      cmd("m", "SET", "k", "v"),
      cmd("r1", "SET", "local", "1"),
      cmd("r1", "SET", "k", "old"),
    ).state;
    s = run(s, replicaof("r1", "m")).state;
    expect(info(s, "r1").dataset).toEqual(info(s, "m").dataset);
  });
  it("switching to a master with another history deletes the data the replica had", () => {
    let s = run(
      cluster("redis-7.0", ["m", "n", "r1"]),
      replicaof("r1", "m"),
      cmd("m", "SET", "a", "1"),
      cmd("n", "SET", "b", "2"),
    ).state;
    s = run(s, replicaof("r1", "n")).state;
    expect(Object.keys(info(s, "r1").dataset[0])).toEqual(["b"]);
  });
});

describe("FULLSYNC-4: the master keeps serving writes around a snapshot sync", () => {
  it("writes before and after the snapshot all reach the replica", () => {
    const s = run(
      cluster("builtin", ["m", "r1"]),
      cmd("m", "SET", "before", "1"),
      replicaof("r1", "m"),
      cmd("m", "SET", "after", "2"),
    ).state;
    expect(info(s, "r1").dataset).toEqual(info(s, "m").dataset);
    expect(info(s, "r1").masterReplOffset).toBe(info(s, "m").masterReplOffset);
  });
});

describe("FULLSYNC-5: the replica output-buffer limit (the endless full-sync loop)", () => {
  const cfg = { ...defaultConfig(getProfile("redis-7.0")), replicaOutputHardLimit: 1024, replBacklogSize: 16384 };
  it("7.0+ raises the hard limit to at least the backlog size; 6.2 does not", () => {
    expect(replicaOutputLimit(getProfile("redis-7.0"), cfg)).toBe(16384);
    expect(replicaOutputLimit(getProfile("redis-6.2"), cfg)).toBe(1024);
  });
  it("a sync that buffers more than the limit is dropped; 0 means no limit", () => {
    expect(fullSyncOverruns(getProfile("redis-6.2"), cfg, 2048)).toBe(true);
    expect(fullSyncOverruns(getProfile("redis-7.0"), cfg, 2048)).toBe(false);
    expect(fullSyncOverruns(getProfile("redis-7.0"), cfg, 20000)).toBe(true);
    expect(fullSyncOverruns(getProfile("redis-7.0"), { ...cfg, replicaOutputHardLimit: 0 }, 1e12)).toBe(false);
  });
});

describe("FULLSYNC-7: an RDB newer than the replica can load", () => {
  it("a 7.4 master cannot feed a 7.0 replica: the link stays down and sync_full keeps growing", () => {
    const s = createCluster([
      { name: "m", profile: "redis-7.2" },
      { name: "r1", profile: "redis-7.0" },
    ]);
    const { state, last } = run(s, replicaof("r1", "m"));
    expect(last.syncs[0].failed).toMatch(/RDB 12/);
    expect(info(state, "r1").masterLinkStatus).toBe("down");
    expect(info(state, "m").syncFull).toEqual({ min: 1, max: Infinity });
  });
  it("partial syncs are unaffected: a 7.0 master feeds a 7.4 replica", () => {
    const s = createCluster([
      { name: "m", profile: "redis-7.0" },
      { name: "r1", profile: "redis-7.2" },
    ]);
    expect(info(run(s, replicaof("r1", "m")).state, "r1").masterLinkStatus).toBe("up");
  });
});

describe("RESTART-4: disk syncs leave the RDB in both dirs", () => {
  it("with repl-diskless-sync no, a restarted master finds the sync's RDB", () => {
    let s = run(
      cluster("redis-7.0", ["m", "r1"], { replDisklessSync: false }),
      cmd("m", "SET", "k", "v"),
      replicaof("r1", "m"),
    ).state;
    expect(s.nodes.m.saved?.replInfo).not.toBeNull();
    s = run(s, configSet("m", "repl-diskless-sync", "yes"), promote("r1")).state;
    expect(s.nodes.r1.saved?.dataset.digest()).toEqual(info(s, "m").dataset);
  });
});
