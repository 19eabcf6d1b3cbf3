// Backlog window rules (spec/backlog.md).

import { describe, expect, it } from "vitest";
import {
  BACKLOG_MIN_SIZE,
  backlogCovers,
  backlogWindow,
  createBacklog,
  feedBacklog,
  learnCoverage,
  resizeBacklog,
} from "../../model/backlog.js";
import { getProfile } from "../../model/profile.js";
import {
  blackhole,
  cluster,
  cmd,
  configSet,
  cut,
  heal,
  info,
  offsetOf,
  promote,
  replicaof,
  replicated,
  run,
} from "./helpers.js";

describe("BACKLOG-1: the master creates its backlog when the first replica attaches", () => {
  it("writes before any replica do not move the offset; the backlog starts empty at offset + 1", () => {
    let s = cluster("redis-7.0", ["m", "r1"]);
    s = run(s, cmd("m", "SET", "a", "1"), cmd("m", "SET", "b", "2")).state;
    expect(info(s, "m")).toMatchObject({ masterReplOffset: 0, backlogActive: false });
    s = run(s, replicaof("r1", "m")).state;
    expect(info(s, "m")).toMatchObject({
      masterReplOffset: 0,
      backlogActive: true,
      backlogFirstByte: { min: 1, max: 1 },
      backlogHistlen: { min: 0, max: 0 },
    });
    expect(info(s, "r1").dataset).toEqual(info(s, "m").dataset);
  });
});

describe("BACKLOG-2: a ring is byte-exact", () => {
  it("histlen = min(bytes fed, size) and first = offset - histlen + 1 (16384 ring, as measured on 6.2.16)", () => {
    const p = getProfile("redis-6.2");
    let b = createBacklog(p, 16384, 0);
    for (let off = 100; off <= 50_000; off += 100) {
      b = feedBacklog(b, off);
      const w = backlogWindow(b, off);
      expect(w.histlenLo).toBe(Math.min(off, 16384));
      expect(w.histlenHi).toBe(w.histlenLo);
      expect(w.firstLo).toBe(off - w.histlenLo + 1);
    }
  });
  it("an overwritten ring forces a full sync on reconnect (seed: ring backlog overwrite)", () => {
    let s = replicated("builtin", ["r1"], { replBacklogSize: 16384 });
    s = run(s, cut("r1")).state;
    for (let i = 0; i < 4; i++) s = run(s, cmd("m", "SET", `k${i}`, "x".repeat(5000))).state;
    const { last } = run(s, heal("r1"));
    expect(last.syncs[0]).toMatchObject({ outcome: "fullresync", verdict: { rule: "PSYNC-2" } });
  });
  it("a backlog that still covers the replica gives a partial resync", () => {
    let s = replicated("builtin", ["r1"], { replBacklogSize: 16384 });
    s = run(s, cut("r1"), cmd("m", "SET", "k", "x".repeat(10000))).state;
    const { last, state } = run(s, heal("r1"));
    expect(last.syncs[0].outcome).toBe("continue");
    expect(offsetOf(state, "r1")).toBe(offsetOf(state, "m"));
  });
});

describe("BACKLOG-3: a block backlog is known within bounds", () => {
  it("exact while no more than size bytes were fed, then size < histlen <= size + largest block", () => {
    const p = getProfile("redis-7.0");
    const size = 16384;
    let b = createBacklog(p, size, 0);
    b = feedBacklog(b, size);
    expect(backlogWindow(b, size)).toMatchObject({ histlenLo: size, histlenHi: size });
    for (let off = size + 1; off < 200_000; off += 777) {
      b = feedBacklog(b, off);
      const w = backlogWindow(b, off);
      expect(w.histlenLo).toBe(size + 1);
      expect(w.histlenHi).toBe(Math.min(off, size + b.blockMax));
    }
  });
  it("the table of firstLo / firstHi: created, fed, resized, and narrowed by an observed PSYNC", () => {
    const p = getProfile("redis-7.0");
    let b = createBacklog(p, 16384, 100);
    expect([b.firstLo, b.firstHi]).toEqual([101, 101]);
    b = feedBacklog(b, 100_000);
    expect([b.firstLo, b.firstHi]).toEqual([100_000 - 16384 - b.blockMax + 1, 100_000 - 16384]);
    const resized = resizeBacklog(p, b, 32768, 100_000);
    expect([resized.firstLo, resized.firstHi]).toEqual([b.firstLo, b.firstHi]);
    const off = b.firstLo + 10;
    expect(backlogCovers(b, 100_000, off)).toBe("maybe");
    expect(learnCoverage(b, off, true)).toMatchObject({ firstLo: b.firstLo, firstHi: off });
    expect(learnCoverage(b, off, false)).toMatchObject({ firstLo: off + 1, firstHi: b.firstHi });
  });
  it("no pinning clause: a replica behind a blackholed link does not lift the bound on its master", () => {
    let s = replicated("redis-7.0", ["r1", "r2"], { replBacklogSize: 16384 });
    s = run(s, blackhole("r2")).state;
    for (let i = 0; i < 8; i++) s = run(s, cmd("m", "SET", `k${i}`, "x".repeat(10_000))).state;
    const m = info(s, "m");
    expect(m.backlogHistlen.max).toBe(16384 + s.nodes.m.backlog!.blockMax);
    expect(m.backlogHistlen.min).toBe(16384 + 1);
  });
  it("the largest block allows for allocator rounding (Debian 7.0.15 jemalloc blocks hold 20440 bytes)", () => {
    expect(getProfile("redis-7.0").blockCapacityMax(16384)).toBeGreaterThanOrEqual(20440);
    expect(getProfile("redis-7.0").blockCapacityMax(1024 * 1024)).toBeGreaterThanOrEqual(65536);
  });
});

describe("BACKLOG-4: CONFIG SET clamps to 16 KiB, start-up values are not clamped", () => {
  it("CONFIG SET repl-backlog-size 100 stores 16384", () => {
    const s = run(replicated("redis-7.0"), configSet("m", "repl-backlog-size", "100")).state;
    expect(info(s, "m").backlogSize).toBe(BACKLOG_MIN_SIZE);
  });
  it("a start-up value of 1 stays 1, and a 6.2 ring then holds one byte", () => {
    let s = replicated("redis-6.2", ["r1"], { replBacklogSize: 1 });
    s = run(s, cmd("m", "SET", "k", "v")).state;
    expect(info(s, "m")).toMatchObject({ backlogSize: 1, backlogHistlen: { min: 1, max: 1 } });
  });
  it("units are accepted like redis.conf (1mb)", () => {
    const s = run(replicated("redis-7.0"), configSet("m", "repl-backlog-size", "1mb")).state;
    expect(info(s, "m").backlogSize).toBe(1024 * 1024);
  });
});

describe("BACKLOG-5: resizing per profile", () => {
  it("6.2 drops all history when the size changes (measured on 6.2.16: offset 303, first 1 -> first 304, histlen 0)", () => {
    const p = getProfile("redis-6.2");
    const b = resizeBacklog(p, feedBacklog(createBacklog(p, 1024 * 1024, 0), 303), 32768, 303);
    expect(backlogWindow(b, 303)).toMatchObject({ firstLo: 304, histlenLo: 0 });
    const same = resizeBacklog(p, feedBacklog(createBacklog(p, 32768, 0), 303), 32768, 303);
    expect(backlogWindow(same, 303)).toMatchObject({ firstLo: 1, histlenLo: 303 });
  });
  it("builtin keeps the newest min(histlen, size) bytes", () => {
    const p = getProfile("builtin");
    const b = resizeBacklog(p, feedBacklog(createBacklog(p, 1024 * 1024, 0), 100_000), 16384, 100_000);
    expect(backlogWindow(b, 100_000)).toMatchObject({ histlenLo: 16384, histlenHi: 16384 });
  });
  it("7.x keeps history and trims whole blocks", () => {
    const p = getProfile("redis-7.0");
    const b = resizeBacklog(p, feedBacklog(createBacklog(p, 1024 * 1024, 0), 10_000), 16384, 10_000);
    expect(backlogWindow(b, 10_000)).toMatchObject({ firstLo: 1, firstHi: 1 });
  });
});

describe("BACKLOG-6: repl-backlog-ttl frees the backlog of a master without replicas", () => {
  it("frees it, changes the replid, keeps the offset", () => {
    let s = replicated("redis-7.0", ["r1"], { replBacklogTtl: 1 });
    s = run(s, cmd("m", "SET", "k", "v"), promote("r1")).state;
    const before = info(s, "m");
    s = run(s, { kind: "backlog-ttl-expired", node: "m" }).state;
    const after = info(s, "m");
    expect(after).toMatchObject({ backlogActive: false, masterReplOffset: before.masterReplOffset, replid2: "none" });
    expect(after.replid).not.toBe(before.replid);
  });
  it("never on replicas, never with ttl 0", () => {
    let s = replicated("redis-7.0", ["r1"], { replBacklogTtl: 0 });
    s = run(
      s,
      promote("r1"),
      { kind: "backlog-ttl-expired", node: "m" },
      { kind: "backlog-ttl-expired", node: "r1" },
    ).state;
    expect(info(s, "m").backlogActive).toBe(true);
  });
});

describe("BACKLOG-7 / BACKLOG-8: replica backlogs", () => {
  it("after a full sync the replica's backlog is empty at offset + 1, then follows the stream", () => {
    let s = replicated("builtin", ["r1"]);
    s = run(s, cmd("m", "SET", "a", "1")).state;
    expect(info(s, "r1")).toMatchObject({
      backlogActive: true,
      backlogFirstByte: { min: 1, max: 1 },
      backlogHistlen: { min: 50, max: 50 },
    });
  });
  it("promotion keeps the backlog", () => {
    let s = replicated("builtin", ["r1"]);
    s = run(s, cmd("m", "SET", "a", "1"), promote("r1")).state;
    expect(info(s, "r1")).toMatchObject({ backlogActive: true, backlogHistlen: { min: 50, max: 50 } });
  });
});

describe("BACKLOG-9: INFO without a backlog", () => {
  it("7.0+ shows 0/0 after the backlog is freed; 6.2 keeps the stale window", () => {
    for (const [profile, expectZero] of [
      ["redis-7.0", true],
      ["redis-6.2", false],
    ] as const) {
      let s = replicated(profile, ["r1"], { replBacklogTtl: 1 });
      s = run(s, cmd("m", "SET", "a", "1"), promote("r1"), { kind: "backlog-ttl-expired", node: "m" }).state;
      const i = info(s, "m");
      expect(i.backlogActive).toBe(false);
      if (expectZero) expect([i.backlogFirstByte.min, i.backlogHistlen.min]).toEqual([0, 0]);
      else expect([i.backlogFirstByte.min, i.backlogHistlen.min]).toEqual([1, 50]);
    }
  });
});
