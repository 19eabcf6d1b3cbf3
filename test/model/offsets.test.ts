// Offset accounting rules (spec/offsets.md), pinned to the byte sizes of OFFSET-2's table.

import { describe, expect, it } from "vitest";
import { emitUnit } from "../../model/stream.js";
import { getProfile, type ProfileId } from "../../model/profile.js";
import { argvBytes, EXEC_BYTES, GETACK_BYTES, MULTI_BYTES, PING_BYTES, selectBytes } from "../../model/resp-size.js";
import {
  bytesOf,
  cluster,
  cmd,
  cmdDb,
  configSet,
  cut,
  heal,
  info,
  multi,
  offsetOf,
  promote,
  replicaof,
  replicated,
  run,
} from "./helpers.js";
import { step } from "../../model/step.js";

const PXAT = "4102444800000"; // 2100-01-01, 13 digits

describe("OFFSET-2 / OFFSET-3 / OFFSET-4 / OFFSET-5 / OFFSET-7: byte sizes (OFFSET-2's table)", () => {
  it.each([
    ["SELECT 0..9", selectBytes(0), 23],
    ["SELECT 9", selectBytes(9), 23],
    ["SELECT 10..99", selectBytes(10), 24],
    ["cron ping", PING_BYTES, 14],
    ["REPLCONF GETACK *", GETACK_BYTES, 37],
    ["MULTI", MULTI_BYTES, 15],
    ["EXEC", EXEC_BYTES, 14],
    ["SET k v", argvBytes(["SET", "k", "v"]), 27],
    ["DEL k", argvBytes(["DEL", "k"]), 20],
    ["UNLINK k", argvBytes(["UNLINK", "k"]), 23],
    ["FLUSHDB", argvBytes(["FLUSHDB"]), 17],
    ["FLUSHALL", argvBytes(["FLUSHALL"]), 18],
    ["SET k v PXAT <13 digits>", argvBytes(["SET", "k", "v", "PXAT", PXAT]), 57],
    ["SET k v PX 100000", argvBytes(["SET", "k", "v", "PX", "100000"]), 47],
    ["PEXPIREAT k <13 digits>", argvBytes(["PEXPIREAT", "k", PXAT]), 46],
    ["a multi-byte UTF-8 value counts bytes, not characters", argvBytes(["SET", "k", "é"]), 28],
  ])("%s", (_name, actual, expected) => expect(actual).toBe(expected));
});

describe("OFFSET-1 / OFFSET-3: SELECT emission", () => {
  it("the first write after a full sync carries SELECT (50 bytes), the next does not (27)", () => {
    const s = replicated("redis-7.0");
    expect(bytesOf(s, "m", cmd("m", "SET", "k", "v"))).toBe(50);
    const s2 = run(s, cmd("m", "SET", "k", "v")).state;
    expect(bytesOf(s2, "m", cmd("m", "SET", "k", "v"))).toBe(27);
  });
  it("a command in another db selects it; switching back selects again", () => {
    let s = run(replicated("builtin"), cmd("m", "SET", "k", "v")).state;
    expect(bytesOf(s, "m", cmdDb("m", 3, "SET", "k", "v"))).toBe(50);
    s = run(s, cmdDb("m", 3, "SET", "k", "v")).state;
    expect(bytesOf(s, "m", cmdDb("m", 12, "SET", "k", "v"))).toBe(51);
    expect(bytesOf(s, "m", cmd("m", "SET", "k", "v"))).toBe(50);
  });
  it("any full sync resets the stream db for every replica: the next write costs 50 again", () => {
    let s = run(cluster("redis-7.0", ["m", "r1", "r2"]), replicaof("r1", "m"), cmd("m", "SET", "k", "v")).state;
    s = run(s, replicaof("r2", "m")).state;
    expect(bytesOf(s, "m", cmd("m", "SET", "k", "v"))).toBe(50);
  });
  it("a partial resync does not reset it: the next write costs 27", () => {
    const s = run(replicated("redis-7.0", ["r1"]), cmd("m", "SET", "k", "v"), cut("r1"), heal("r1")).state;
    expect(bytesOf(s, "m", cmd("m", "SET", "k", "v"))).toBe(27);
  });
  it("promotion resets it: the first write of a promoted replica costs 50", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v"), promote("r1")).state;
    expect(bytesOf(s, "r1", cmd("r1", "SET", "k", "v"))).toBe(50);
  });
});

describe("OFFSET-4: the cron PING", () => {
  it("adds 14 bytes without SELECT while the master has replicas, and reaches the replicas", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).state;
    const { state } = run(s, { kind: "ping-tick", node: "m" });
    expect(offsetOf(state, "m") - offsetOf(s, "m")).toBe(14);
    expect(offsetOf(state, "r1")).toBe(offsetOf(state, "m"));
  });
  it("is not sent without replicas, and never by a replica", () => {
    const lone = cluster("redis-7.0", ["m"]);
    expect(offsetOf(run(lone, { kind: "ping-tick", node: "m" }).state, "m")).toBe(0);
    const s = replicated("redis-7.0");
    expect(offsetOf(run(s, { kind: "ping-tick", node: "r1" }).state, "r1")).toBe(offsetOf(s, "r1"));
  });
});

describe("OFFSET-5: GETACK only when WAIT blocks", () => {
  it("WAIT for more replicas than exist blocks and adds 37 bytes", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).state;
    expect(bytesOf(s, "m", { kind: "wait", node: "m", numReplicas: 2, timeoutMs: 100 })).toBe(37);
  });
  it("WAIT 0 returns at once and adds nothing", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).state;
    expect(bytesOf(s, "m", { kind: "wait", node: "m", numReplicas: 0, timeoutMs: 100 })).toBe(0);
  });
});

describe("OFFSET-6: what is propagated at all", () => {
  const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v"), cmd("m", "SADD", "s", "a")).state;
  it.each([
    [["DEL", "nokey"]],
    [["GET", "k"]],
    [["SET", "k", "w", "NX"]],
    [["EXPIRE", "nokey", "100"]],
    [["SADD", "s", "a"]],
    [["SREM", "s", "zz"]],
    [["PERSIST", "k"]],
    [["INCR", "k"]], // an error: not an integer
  ])("%j changes nothing and costs 0 bytes", (argv) => {
    expect(bytesOf(s, "m", cmd("m", ...argv))).toBe(0);
  });
  it("HSET is always propagated, even when the value is unchanged", () => {
    const h = run(s, cmd("m", "HSET", "h", "f", "v")).state;
    expect(bytesOf(h, "m", cmd("m", "HSET", "h", "f", "v"))).toBe(35);
  });
  it.each([
    ["redis-7.0", 17],
    ["builtin", 17],
    ["redis-6.2", 0],
  ] as [ProfileId, number][])("%s: FLUSHDB on an empty db costs %i bytes", (profile, bytes) => {
    const e = run(replicated(profile), cmd("m", "SET", "k", "v"), cmd("m", "DEL", "k")).state;
    expect(bytesOf(e, "m", cmd("m", "FLUSHDB"))).toBe(bytes);
  });
  it.each(["redis-6.2", "redis-7.0"] as ProfileId[])(
    "%s: FLUSHALL on an empty dataset is propagated (18 bytes)",
    (profile) => {
      const e = run(replicated(profile), cmd("m", "SET", "k", "v"), cmd("m", "DEL", "k")).state;
      expect(bytesOf(e, "m", cmd("m", "FLUSHALL"))).toBe(18);
    },
  );
});

describe("OFFSET-7: MULTI/EXEC wrapping", () => {
  const base = (p: ProfileId) => run(replicated(p), cmd("m", "SET", "x", "1")).state;
  it("7.0: a transaction with one write is not wrapped (27), with two it is (15+27+27+14)", () => {
    expect(bytesOf(base("redis-7.0"), "m", multi("m", ["SET", "k", "v"]))).toBe(27);
    expect(bytesOf(base("redis-7.0"), "m", multi("m", ["SET", "k", "v"], ["SET", "k", "v"]))).toBe(83);
  });
  it("6.2: any transaction that writes is wrapped (56 for one SET)", () => {
    expect(bytesOf(base("redis-6.2"), "m", multi("m", ["SET", "k", "v"]))).toBe(56);
  });
  it("a read-only transaction costs nothing", () => {
    expect(bytesOf(base("redis-6.2"), "m", multi("m", ["GET", "k"]))).toBe(0);
    expect(bytesOf(base("redis-7.0"), "m", multi("m", ["GET", "k"]))).toBe(0);
  });
  it("SELECT goes before MULTI in 6.2/7.0 and right after it in 7.2+, same total", () => {
    const ops = [
      { db: 5, argv: ["SET", "k", "v"] },
      { db: 5, argv: ["SET", "k", "w"] },
    ];
    const kinds = (p: ProfileId) => emitUnit(getProfile(p), 0, ops, true).items.map((i) => i.kind);
    expect(kinds("redis-7.0")).toEqual(["select", "multi", "command", "command", "exec"]);
    expect(kinds("redis-6.2")).toEqual(["select", "multi", "command", "command", "exec"]);
    expect(kinds("redis-7.2")).toEqual(["multi", "select", "command", "command", "exec"]);
  });
});

describe("OFFSET-8: propagation rewrites", () => {
  const s = run(replicated("redis-7.0"), cmd("m", "SET", "x", "1")).state;
  const s62 = run(replicated("redis-6.2"), cmd("m", "SET", "x", "1")).state;
  it.each([
    [["SET", "k", "v", "EX", "100"], 57],
    [["SET", "k", "v", "PX", "100000"], 57],
    [["SET", "k", "v", "EXAT", "4102444800"], 57],
    [["SETEX", "k", "100", "v"], 57],
    [["PSETEX", "k", "100000", "v"], 57],
    // 7.0.15 rewrites a client PXAT too, dropping NX/XX/GET (verified on the Debian binary).
    [["SET", "k", "v", "XX", "PXAT", "4102444800000", "GET"], 0],
    [["SET", "x", "v", "XX", "PXAT", "4102444800000", "GET"], 57],
    [["SET", "x", "v", "GET"], 27],
    [["GETSET", "x", "v"], 27],
    [["GETDEL", "x"], 20],
    [["EXPIRE", "x", "100"], 46],
    [["PEXPIRE", "x", "100000"], 46],
    [["EXPIREAT", "x", "4102444800"], 46],
    [["PEXPIREAT", "x", "4102444800000"], 46],
    [["EXPIRE", "x", "-1"], 20],
    [["PEXPIREAT", "x", "1"], 20],
    [["INCRBYFLOAT", "x", "0.5"], 42],
  ])("7.0: %j costs %i bytes", (argv, bytes) => {
    expect(bytesOf(s, "m", cmd("m", ...argv))).toBe(bytes);
  });
  it.each([
    [["SET", "k", "v", "EX", "100"], 47],
    [["SET", "k", "v", "PX", "100000"], 47],
    [["SETEX", "k", "100", "v"], 47],
    [["SET", "k", "v", "EXAT", "4102444800"], 57],
    [["EXPIRE", "x", "100"], 32],
    [["EXPIRE", "x", "-1"], 20],
  ])("6.2: %j costs %i bytes", (argv, bytes) => {
    expect(bytesOf(s62, "m", cmd("m", ...argv))).toBe(bytes);
  });
  it("lazyfree-lazy-expire turns an expiry in the past into UNLINK (23)", () => {
    const lazy = run(
      replicated("redis-7.0", ["r1"], { lazyfree: { expire: true, serverDel: false, userDel: false } }),
      cmd("m", "SET", "x", "1"),
    ).state;
    expect(bytesOf(lazy, "m", cmd("m", "EXPIRE", "x", "0"))).toBe(23);
  });
  it("SPOP: one member -> SREM; a count -> one SREM each in MULTI/EXEC (7.0) or one batched SREM (7.2); all -> DEL", () => {
    const withSet = (p: ProfileId) =>
      run(replicated(p), cmd("m", "SET", "x", "1"), cmd("m", "SADD", "s", "a", "b", "c", "d")).state;
    const spop = (p: ProfileId, ...args: string[]) => step(withSet(p), cmd("m", "SPOP", "s", ...args));
    for (const o of spop("redis-7.0")) expect(o.state.nodes.m.offset - withSet("redis-7.0").nodes.m.offset).toBe(28);
    expect(spop("redis-7.0")).toHaveLength(4); // one outcome per member it may pop
    for (const o of spop("redis-7.0", "2"))
      expect(o.state.nodes.m.offset - withSet("redis-7.0").nodes.m.offset).toBe(85);
    for (const o of spop("redis-7.2", "2"))
      expect(o.state.nodes.m.offset - withSet("redis-7.2").nodes.m.offset).toBe(35);
    for (const o of spop("redis-7.0", "5"))
      expect(o.state.nodes.m.offset - withSet("redis-7.0").nodes.m.offset).toBe(20);
  });
});

describe("OFFSET-9: replicas apply and forward the exact bytes", () => {
  it("every replica of a chain ends at the root's offset, a transaction counted as a whole", () => {
    let s = run(cluster("redis-7.0", ["m", "r1", "r2"]), replicaof("r1", "m"), replicaof("r2", "r1")).state;
    s = run(s, multi("m", ["SET", "a", "1"], ["INCR", "n"]), cmd("m", "RPUSH", "l", "x")).state;
    expect(offsetOf(s, "r1")).toBe(offsetOf(s, "m"));
    expect(offsetOf(s, "r2")).toBe(offsetOf(s, "m"));
    expect(info(s, "r2").dataset).toEqual(info(s, "m").dataset);
  });
});

describe("OFFSET-10: 7.2+ counts one byte for a GETACK without backlog or replicas", () => {
  it.each([
    ["redis-7.2", 1],
    ["valkey-8", 1],
    ["redis-7.0", 0],
    ["redis-6.2", 0],
  ] as [ProfileId, number][])("%s: a blocking WAIT on a lone master adds %i", (profile, bytes) => {
    const s = cluster(profile, ["m"]);
    expect(bytesOf(s, "m", { kind: "wait", node: "m", numReplicas: 1, timeoutMs: 10 })).toBe(bytes);
  });
});

describe("OFFSET-11: what never counts", () => {
  it("a writable replica's local writes move no offset anywhere", () => {
    let s = replicated("redis-7.0");
    s = run(s, configSet("r1", "replica-read-only", "no")).state;
    const { state } = run(s, cmd("r1", "SET", "local", "1"));
    expect(offsetOf(state, "r1")).toBe(offsetOf(s, "r1"));
    expect(offsetOf(state, "m")).toBe(offsetOf(s, "m"));
    expect(info(state, "r1").dataset[0].local).toBeDefined();
  });
  it("a full sync moves no offset: the replica takes the master's", () => {
    const s = run(cluster("redis-7.0", ["m", "r1", "r2"]), replicaof("r1", "m"), cmd("m", "SET", "k", "v")).state;
    const { state } = run(s, replicaof("r2", "m"));
    expect(offsetOf(state, "m")).toBe(offsetOf(s, "m"));
  });
});

describe("OFFSET-1 … OFFSET-8: each item a step feeds records the rule of its form", () => {
  const offsetDecisions = (
    o: { decisions: readonly { node: string; about: string; rule: string; alternative?: { diff: number } }[] },
    node: string,
  ) => o.decisions.filter((d) => d.node === node && d.about === "offset").map((d) => [d.rule, d.alternative?.diff]);
  it("the first write after a full sync: SELECT (OFFSET-3, −23 without it) and the command as sent (OFFSET-2)", () => {
    const o = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).last;
    expect(offsetDecisions(o, "m")).toEqual([
      ["OFFSET-3", -23],
      ["OFFSET-2", undefined],
    ]);
    // The replica's offset moves by the same items.
    expect(offsetDecisions(o, "r1")).toEqual(offsetDecisions(o, "m"));
  });
  it("a rewrite (OFFSET-8) with the size difference of the client's own argv; no SELECT needed (OFFSET-3, +23 with one)", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).state;
    const o = run(s, cmd("m", "EXPIRE", "k", "100")).last;
    const sent = o.state.nodes.m.log.at(-1)!.item;
    expect(sent.kind === "command" && sent.argv[0]).toBe("PEXPIREAT");
    expect(offsetDecisions(o, "m")).toEqual([
      ["OFFSET-8", argvBytes(["EXPIRE", "k", "100"]) - sent.bytes],
      ["OFFSET-3", 23],
    ]);
  });
  it("a write that changes nothing (OFFSET-6) and the MULTI/EXEC of a transaction (OFFSET-7)", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).state;
    expect(offsetDecisions(run(s, cmd("m", "DEL", "missing")).last, "m")).toEqual([
      ["OFFSET-6", argvBytes(["DEL", "missing"])],
    ]);
    const tx = offsetDecisions(run(s, multi("m", ["SET", "a", "1"], ["SET", "b", "2"])).last, "m");
    expect(tx[0]).toEqual(["OFFSET-7", -29]);
    expect(tx.at(-1)).toEqual(["OFFSET-7", -14]);
  });
});
