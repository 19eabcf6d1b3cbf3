// PSYNC decision rules (spec/psync.md), pinned to the reference tables of PSYNC-2 and REPLID-7.

import { describe, expect, it } from "vitest";
import { createBacklog, feedBacklog } from "../../model/backlog.js";
import { getProfile, type ProfileId } from "../../model/profile.js";
import { decidePsync, psyncCounters, psyncRequest, type PsyncServer } from "../../model/psync.js";
import { NO_REPLID } from "../../model/replid.js";
import { cluster, cmd, cut, heal, info, only, replicaof, replicated, run } from "./helpers.js";
import { step } from "../../model/step.js";

/** A master at offset 173 whose backlog holds bytes 1..173 (first=1, histlen=173). */
function master173(profile: ProfileId = "redis-6.2"): PsyncServer {
  const p = getProfile(profile);
  return {
    replid: "M",
    replid2: NO_REPLID,
    secondReplOffset: -1,
    offset: 173,
    backlog: feedBacklog(createBacklog(p, 1024 * 1024, 0), 173),
  };
}

describe("PSYNC-1 / PSYNC-2 / PSYNC-3 / PSYNC-4: PSYNC-2's reference table", () => {
  const table: [string, number, "continue" | "fullresync"][] = [
    ["M", 174, "continue"], // caught up: off == master_repl_offset + 1 is allowed (PSYNC-2)
    ["M", 1, "continue"], // off == first byte is allowed (PSYNC-2)
    ["M", 0, "fullresync"], // one before the window (PSYNC-2)
    ["M", 175, "fullresync"], // beyond offset + 1 (PSYNC-2)
    ["?", -1, "fullresync"], // explicit full sync (PSYNC-3)
    ["a".repeat(40), 174, "fullresync"], // unknown id (PSYNC-1)
  ];
  for (const profile of ["builtin", "redis-6.2", "redis-7.0", "redis-7.2", "valkey-8"] as ProfileId[]) {
    it.each(table)(`${profile}: PSYNC %s %i -> %s`, (replid, offset, expected) => {
      expect(decidePsync(master173(profile), { replid, offset }).decision).toBe(expected);
    });
  }

  it("PSYNC-4: counter deltas over the seven calls are full +4, ok +3, err +3", () => {
    // The call of PSYNC-2's table not listed above is `<replid> 174` without capa psync2: also a continue.
    const calls = [...table.map(([replid, offset]) => ({ replid, offset })), { replid: "M", offset: 174 }];
    const total = { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0 };
    for (const req of calls) {
      const d = psyncCounters(req, decidePsync(master173(), req).decision as "continue" | "fullresync");
      total.syncFull += d.syncFull;
      total.syncPartialOk += d.syncPartialOk;
      total.syncPartialErr += d.syncPartialErr;
    }
    expect(total).toEqual({ syncFull: 4, syncPartialOk: 3, syncPartialErr: 3 });
  });

  it("PSYNC-3: `? -1` is a full sync that is not counted in sync_partial_err", () => {
    expect(psyncCounters({ replid: "?", offset: -1 }, "fullresync")).toEqual({
      syncFull: 1,
      syncPartialOk: 0,
      syncPartialErr: 0,
    });
    expect(psyncCounters({ replid: "X", offset: 5 }, "fullresync")).toEqual({
      syncFull: 1,
      syncPartialOk: 0,
      syncPartialErr: 1,
    });
  });

  it("PSYNC-2: without a backlog every PSYNC is a full sync", () => {
    expect(decidePsync({ ...master173(), backlog: null }, { replid: "M", offset: 174 }).decision).toBe("fullresync");
  });
});

describe("PSYNC-1: replid2 is accepted up to second_repl_offset (REPLID-7's table, promoted at 173)", () => {
  const promoted: PsyncServer = { ...master173(), replid: "NEW", replid2: "OLD", secondReplOffset: 174 };
  it.each([
    [174, "continue"],
    [173, "continue"],
    [175, "fullresync"],
  ] as const)("PSYNC OLD %i -> %s", (offset, expected) => {
    expect(decidePsync(promoted, { replid: "OLD", offset }).decision).toBe(expected);
  });
  it("the new id is served from the whole window", () => {
    expect(decidePsync(promoted, { replid: "NEW", offset: 1 }).decision).toBe("continue");
  });
});

describe("PSYNC-1 / PSYNC-2: the verdict names the clause that decided (masterTryPartialResynchronization)", () => {
  const promoted: PsyncServer = { ...master173(), replid: "NEW", replid2: "OLD", secondReplOffset: 174 };
  const written: PsyncServer = { ...promoted, offset: 200, backlog: feedBacklog(promoted.backlog!, 200) };
  it("replid2 at exactly second_repl_offset continues by PSYNC-1's inclusive bound; refused only one byte later", () => {
    expect(decidePsync(written, { replid: "OLD", offset: 174 })).toMatchObject({
      decision: "continue",
      rule: "PSYNC-1",
      matched: "replid2",
      clause: expect.stringMatching(/off == second_repl_offset/),
    });
    expect(decidePsync(written, { replid: "OLD", offset: 174 }).also).toBeUndefined();
    expect(decidePsync(written, { replid: "OLD", offset: 175 })).toMatchObject({
      decision: "fullresync",
      rule: "PSYNC-1",
      clause: "id == replid2 but off > second_repl_offset",
    });
  });
  it("right after the promotion second_repl_offset is also master_repl_offset + 1: PSYNC-1, also PSYNC-2", () => {
    expect(decidePsync(promoted, { replid: "OLD", offset: 174 })).toMatchObject({
      decision: "continue",
      rule: "PSYNC-1",
      also: ["PSYNC-2"],
    });
  });
  it("inside both bounds on replid2: PSYNC-1's case 2; at a backlog end on replid: PSYNC-2", () => {
    expect(decidePsync(written, { replid: "OLD", offset: 100 })).toMatchObject({
      rule: "PSYNC-1",
      clause: "id == replid2 and off < second_repl_offset",
    });
    expect(decidePsync(master173(), { replid: "M", offset: 174 })).toMatchObject({
      rule: "PSYNC-2",
      clause: expect.stringMatching(/master_repl_offset \+ 1/),
    });
    expect(decidePsync(master173(), { replid: "M", offset: 1 })).toMatchObject({
      rule: "PSYNC-2",
      clause: "off == first byte",
    });
    expect(decidePsync(master173(), { replid: "M", offset: 0 })).toMatchObject({
      rule: "PSYNC-2",
      clause: "off < first byte",
    });
    expect(decidePsync(master173(), { replid: "?", offset: -1 })).toMatchObject({ rule: "PSYNC-3", matched: "none" });
  });
  it("a restart's history decides: RESTART-2 for a continue through its replid2, RESTART-1 for a request from the replica's RDB", () => {
    let s = replicated("redis-7.0", ["r1"]);
    s = run(s, cmd("m", "SET", "k", "v")).state;
    const master = only(step(s, { kind: "restart", node: "m", save: true }));
    expect(master.syncs[0].verdict).toMatchObject({ decision: "continue", rule: "RESTART-2" });
    const replica = only(step(s, { kind: "restart", node: "r1", save: true }));
    expect(replica.syncs[0].verdict).toMatchObject({ decision: "continue", rule: "RESTART-1" });
    const later = run(replica.state, cut("r1"), cmd("m", "SET", "k", "w"), heal("r1")).last;
    expect(later.syncs[0].verdict.rule).toBe("PSYNC-2"); // the next reconnect is the link's own
  });
});

describe("PSYNC-2: 7.x block backlogs leave a slack where the outcome is `either`", () => {
  it("a block backlog past its size answers either between its possible first bytes", () => {
    const p = getProfile("redis-7.0");
    const b = feedBacklog(createBacklog(p, 16384, 0), 100_000);
    const server: PsyncServer = { replid: "M", replid2: NO_REPLID, secondReplOffset: -1, offset: 100_000, backlog: b };
    expect(b.firstLo).toBeLessThan(b.firstHi);
    expect(decidePsync(server, { replid: "M", offset: b.firstHi }).decision).toBe("continue");
    expect(decidePsync(server, { replid: "M", offset: b.firstLo }).decision).toBe("either");
    expect(decidePsync(server, { replid: "M", offset: b.firstLo - 1 }).decision).toBe("fullresync");
  });
  it("a ring is exact: never either", () => {
    const p = getProfile("builtin");
    const b = feedBacklog(createBacklog(p, 16384, 0), 100_000);
    const server: PsyncServer = { replid: "M", replid2: NO_REPLID, secondReplOffset: -1, offset: 100_000, backlog: b };
    expect(b.firstLo).toBe(b.firstHi);
    expect(decidePsync(server, { replid: "M", offset: b.firstLo }).decision).toBe("continue");
    expect(decidePsync(server, { replid: "M", offset: b.firstLo - 1 }).decision).toBe("fullresync");
  });
  it("an either reconnect yields two outcomes, each narrowing the window to what it proves", () => {
    let s = replicated("redis-7.0", ["r1"], { replBacklogSize: 16384 });
    s = run(s, cut("r1")).state;
    const big = "x".repeat(5000);
    // ~25 KB: past the 16 KiB size but within size + one block of the replica's offset.
    for (let i = 0; i < 5; i++) s = run(s, cmd("m", "SET", `k${i}`, big)).state;
    const outcomes = step(s, heal("r1"));
    expect(outcomes.map((o) => o.syncs[0].outcome).sort()).toEqual(["continue", "fullresync"]);
    for (const o of outcomes) {
      const b = o.state.nodes.m.backlog!;
      const asked = o.syncs[0].request.offset;
      if (o.syncs[0].outcome === "continue") expect(b.firstHi).toBeLessThanOrEqual(asked);
      else expect(b.firstLo).toBeGreaterThan(asked);
    }
  });
});

describe("PSYNC-7: what the replica asks for", () => {
  it("a replica with a cached master asks for its replid and offset + 1; without, `? -1`", () => {
    expect(psyncRequest({ cachedMaster: true, replid: "R", offset: 50 })).toEqual({ replid: "R", offset: 51 });
    expect(psyncRequest({ cachedMaster: false, replid: "R", offset: 50 })).toEqual({ replid: "?", offset: -1 });
  });
  it("a fresh master turned replica sends its own id and 1, which costs the master one sync_partial_err", () => {
    const s = cluster("redis-7.0", ["m", "r1"]);
    const own = s.nodes.r1.replid;
    const o = only(step(s, replicaof("r1", "m")));
    expect(o.syncs[0].request).toEqual({ replid: own, offset: 1 });
    expect(info(o.state, "m").syncPartialErr).toEqual({ min: 1, max: 1 });
    expect(info(o.state, "m").syncFull).toEqual({ min: 1, max: 1 });
  });
});

describe("PSYNC-8: a replica serves PSYNC only while connected", () => {
  it("a sub-replica of a disconnected replica waits (no counters) and syncs once the link is back", () => {
    let s = run(cluster("redis-7.0", ["m", "r1", "r2"]), replicaof("r1", "m")).state;
    s = run(s, cut("r1"), replicaof("r2", "r1")).state;
    expect(info(s, "r2").masterLinkStatus).toBe("down");
    expect(info(s, "r1").syncFull.max + info(s, "r1").syncPartialOk.max).toBe(0);
    s = run(s, heal("r1")).state;
    expect(info(s, "r2").masterLinkStatus).toBe("up");
  });
});
