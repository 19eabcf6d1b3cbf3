// Full and partial synchronization of the builtin server: framing, offsets, the PSYNC decision
// and counters, the exact backlog window.
// Rules: FULLSYNC-1..3, FULLSYNC-6, PSYNC-1..8, BACKLOG-1/2/4/5/9, OFFSET-1/3, REPLID-2/3, INFO-4.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readRdb } from "../../server/rdb/index.js";
import { RawReplica } from "./helpers/raw-replica.js";
import { dataset, info, inSync, linkUp, Nodes, num, offset, stats, waitFor } from "./helpers/replication-nodes.js";

const nodes = new Nodes();
const raws: RawReplica[] = [];

afterEach(async () => {
  for (const r of raws.splice(0)) r.close();
  await nodes.stopAll();
});

async function raw(port: number): Promise<RawReplica> {
  const r = await RawReplica.connect(port);
  raws.push(r);
  return r;
}

async function fill(node: Awaited<ReturnType<typeof nodes.start>>): Promise<void> {
  const c = node.client;
  await c.set("s", "string value");
  await c.set("n", "12345");
  await c.rpush("l", "a", "b", "c");
  await c.hset("h", "f1", "v1", "f2", "v2");
  await c.sadd("set", "x", "y", "1");
  await c.zadd("z", 1.5, "m1", -2, "m2");
  await c.set("ttl", "v", "EX", 1000);
  await c.select(5);
  await c.set("in5", "five");
  await c.select(0);
}

describe.each([
  ["diskless", "yes"],
  ["disk", "no"],
])("full sync (%s) then streaming", (mode, diskless) => {
  it("replica gets the dataset, the master's replid and offset; first write 50 bytes, then 27 (FULLSYNC-1/3, REPLID-3, OFFSET-3)", async () => {
    const master = await nodes.start({ "repl-diskless-sync": diskless });
    await fill(master);
    const replica = await nodes.start();
    await replica.client.set("local", "gone after the sync");
    const before = await info(master);
    expect(before.repl_backlog_active).toBe("0"); // INFO-5
    const statsBefore = await stats(master);

    expect(await replica.client.replicaof("127.0.0.1", String(master.port))).toBe("OK");
    await linkUp(replica);
    await inSync(master, replica);

    const m = await info(master);
    const r = await info(replica);
    expect(m.master_replid).not.toBe(before.master_replid); // REPLID-2: new id with the backlog
    expect(m.repl_backlog_active).toBe("1");
    expect(r.master_replid).toBe(m.master_replid);
    expect(r.master_replid2).toBe("0".repeat(40));
    expect(num(r.master_repl_offset)).toBe(0);
    expect(m.slave0).toMatch(/^ip=127\.0\.0\.1,port=\d+,state=online,offset=\d+,lag=\d+$/);
    // a fresh instance caches itself: PSYNC <own id> 1 counts as a failed partial resync (PSYNC-7)
    expect(await stats(master)).toEqual({ full: statsBefore.full + 1, ok: statsBefore.ok, err: statsBefore.err + 1 });
    expect(await dataset(replica)).toEqual(await dataset(master));
    expect(await replica.client.get("local")).toBeNull(); // FULLSYNC-1

    await master.client.set("k", "v");
    await inSync(master, replica);
    expect(await offset(master)).toBe(50); // SELECT 0 (23) + SET k v (27)
    await master.client.set("k", "v");
    await inSync(master, replica);
    expect(await offset(master)).toBe(77);
    expect(await offset(replica)).toBe(77);

    expect(existsSync(join(master.dir, "dump.rdb"))).toBe(diskless === "no"); // RESTART-4: a disk sync leaves the RDB in the master's dir
    const received = readRdb(readFileSync(join(replica.dir, "dump.rdb")));
    expect(received.replInfo?.replId).toBe(m.master_replid); // the received file carries the repl info
    void mode;
  });
});

describe("partial resynchronization", () => {
  it("after CLIENT KILL TYPE master: +CONTINUE, no new full sync, no SELECT re-emitted (PSYNC-5, OFFSET-3)", async () => {
    const master = await nodes.start();
    const replica = await nodes.start({ replicaof: `127.0.0.1 ${master.port}` });
    await linkUp(replica);
    await master.client.set("a", "1");
    await inSync(master, replica);
    const before = await stats(master);
    const offsetBefore = await offset(master);

    expect(await replica.client.call("CLIENT", "KILL", "TYPE", "master")).toBe(1);
    await master.client.set("b", "2"); // may land before or after the reconnect
    await waitFor("a new partial resync", async () => (await stats(master)).ok === before.ok + 1);
    await inSync(master, replica);
    expect(await stats(master)).toEqual({ full: before.full, ok: before.ok + 1, err: before.err });
    expect(await offset(master)).toBe(offsetBefore + 27);
    await master.client.set("c", "3");
    await inSync(master, replica);
    expect(await offset(master)).toBe(offsetBefore + 54); // no SELECT after +CONTINUE
    expect(await dataset(replica)).toEqual(await dataset(master));
  });

  it("a replica started with replicaof asks PSYNC ? -1 (no sync_partial_err) (PSYNC-3, PSYNC-7)", async () => {
    const master = await nodes.start();
    const replica = await nodes.start({ replicaof: `127.0.0.1 ${master.port}` });
    await linkUp(replica);
    expect(await stats(master)).toEqual({ full: 1, ok: 0, err: 0 });
  });

  it("backlog overwritten while cut: the reconnecting replica full-syncs (BACKLOG-2, PSYNC-2, PSYNC-4)", async () => {
    const master = await nodes.start({ "repl-backlog-size": "16384" });
    const proxy = await nodes.proxy(master);
    const replica = await nodes.start();
    await replica.client.replicaof(proxy.host, String(proxy.port));
    await linkUp(replica);
    await master.client.set("k", "v");
    await inSync(master, replica);
    const before = await stats(master);

    await proxy.setState("cut");
    await waitFor("master lost the replica", async () => (await info(master)).connected_slaves === "0");
    const value = "x".repeat(1000);
    for (let i = 0; i < 20; i++) await master.client.set(`big:${i}`, value);
    const m = await info(master);
    expect(num(m.repl_backlog_histlen)).toBe(16384);
    expect(num(m.repl_backlog_first_byte_offset)).toBe(num(m.master_repl_offset) - 16383);

    await proxy.setState("up");
    await inSync(master, replica);
    expect(await stats(master)).toEqual({ full: before.full + 1, ok: before.ok, err: before.err + 1 });
    expect(await dataset(replica)).toEqual(await dataset(master));
  });
});

describe("backlog window (builtin: byte-exact ring)", () => {
  it("first byte / histlen after feeding, and after CONFIG SET repl-backlog-size (BACKLOG-1/2/4/5)", async () => {
    const master = await nodes.start({ "repl-backlog-size": "65536" });
    const watcher = await raw(master.port); // a raw replica records the whole stream
    await watcher.handshake();
    const line = await watcher.call("PSYNC", "?", "-1");
    const [, replid, start] = line.split(" ");
    expect(start).toBe("0");
    await watcher.payload();
    watcher.send("REPLCONF", "ACK", "0"); // a diskless replica's stream starts at its first ACK
    let m = await info(master);
    expect([m.repl_backlog_active, m.repl_backlog_first_byte_offset, m.repl_backlog_histlen]).toEqual(["1", "1", "0"]);

    await master.client.set("k", "v");
    m = await info(master);
    expect([m.master_repl_offset, m.repl_backlog_first_byte_offset, m.repl_backlog_histlen]).toEqual(["50", "1", "50"]);

    for (let i = 0; i < 40; i++) await master.client.set(`key:${i}`, "v".repeat(1000 + i));
    const total = await offset(master);
    expect(total).toBeGreaterThan(40_000);
    const stream = await watcher.bytes(total);
    m = await info(master);
    expect(num(m.repl_backlog_histlen)).toBe(total); // still below the 64 KiB size
    expect(num(m.repl_backlog_first_byte_offset)).toBe(1);

    // growing keeps everything, an exact CONFIG GET value
    await master.client.config("SET", "repl-backlog-size", "100000");
    m = await info(master);
    expect([num(m.repl_backlog_histlen), m.repl_backlog_size]).toEqual([total, "100000"]);

    // shrinking below histlen keeps the newest bytes; CONFIG SET clamps to 16384 (BACKLOG-4)
    await master.client.config("SET", "repl-backlog-size", "100");
    expect(await master.client.config("GET", "repl-backlog-size")).toEqual(["repl-backlog-size", "16384"]);
    m = await info(master);
    expect(num(m.repl_backlog_histlen)).toBe(16384);
    expect(num(m.repl_backlog_first_byte_offset)).toBe(total - 16383);

    // the window is what PSYNC serves, byte for byte
    const first = total - 16383;
    const ok = await raw(master.port);
    await ok.handshake();
    expect(await ok.call("PSYNC", replid, String(first))).toBe(`+CONTINUE ${replid}`);
    expect((await ok.bytes(16384)).equals(stream.subarray(first - 1))).toBe(true);
    const tooOld = await raw(master.port);
    await tooOld.handshake();
    expect(await tooOld.call("PSYNC", replid, String(first - 1))).toBe(`+FULLRESYNC ${replid} ${total}`);
  });

  it("start-up sizes are not clamped (BACKLOG-4); INFO without a backlog shows 0/0 (BACKLOG-9)", async () => {
    const master = await nodes.start({ "repl-backlog-size": "1" });
    const m = await info(master);
    expect([
      m.repl_backlog_active,
      m.repl_backlog_size,
      m.repl_backlog_first_byte_offset,
      m.repl_backlog_histlen,
    ]).toEqual(["0", "1", "0", "0"]);
    const r = await raw(master.port);
    await r.handshake();
    await r.call("PSYNC", "?", "-1");
    await master.client.set("k", "v");
    const after = await info(master);
    expect([after.master_repl_offset, after.repl_backlog_histlen, after.repl_backlog_first_byte_offset]).toEqual([
      "50",
      "1",
      "50",
    ]);
  });
});

describe("backlog ttl and cron PINGs", () => {
  it("a master alone for longer than repl-backlog-ttl frees its backlog and changes its replid; the offset stays (BACKLOG-6, REPLID-6)", async () => {
    const master = await nodes.start({ "repl-backlog-ttl": "1" });
    const replica = await nodes.start({ replicaof: `127.0.0.1 ${master.port}` });
    await linkUp(replica);
    await master.client.set("k", "v");
    await inSync(master, replica);
    const before = await info(master);
    await replica.client.replicaof("NO", "ONE");
    await waitFor("the backlog freed", async () => (await info(master)).repl_backlog_active === "0");
    const after = await info(master);
    expect(after.master_replid).not.toBe(before.master_replid);
    expect([after.master_repl_offset, after.master_replid2, after.second_repl_offset]).toEqual([
      before.master_repl_offset,
      "0".repeat(40),
      "-1",
    ]);
    expect([after.repl_backlog_first_byte_offset, after.repl_backlog_histlen]).toEqual(["0", "0"]);
  });

  it("repl-ping-replica-period 1: 14-byte pings reach the whole chain, replicas inject none (OFFSET-4, CHAIN-2)", async () => {
    const master = await nodes.start();
    const a = await nodes.start({ replicaof: `127.0.0.1 ${master.port}` });
    await linkUp(a);
    const b = await nodes.start({ replicaof: `127.0.0.1 ${a.port}`, "repl-ping-replica-period": "1" });
    await linkUp(b);
    await inSync(master, a, b);
    const start = await offset(master);
    await master.client.config("SET", "repl-ping-replica-period", "1");
    await waitFor("two pings", async () => (await offset(master)) >= start + 28);
    await inSync(master, a, b);
    expect(((await offset(master)) - start) % 14).toBe(0);
  });
});

describe("PSYNC on the wire", () => {
  it("PSYNC ... FAILOVER to a master is refused (PSYNC-8)", async () => {
    const master = await nodes.start();
    const r = await raw(master.port);
    expect(await r.call("PSYNC", "a".repeat(40), "1", "FAILOVER")).toBe(
      "-ERR PSYNC FAILOVER can't be sent to a master.",
    );
  });

  it("PSYNC-2's reference table: seven requests, counters full +4, ok +3, err +3 (PSYNC-1..5)", async () => {
    const master = await nodes.start();
    const first = await raw(master.port);
    await first.handshake();
    const [, replid] = (await first.call("PSYNC", "?", "-1")).split(" ");
    await first.payload();
    first.send("REPLCONF", "ACK", "0");
    await master.client.set("k", "v");
    for (let i = 0; i < 3; i++) await master.client.set("key", `value-${i}`);
    const O = await offset(master);
    const stream = await first.bytes(O);
    const before = await stats(master);

    const ask = async (id: string, off: string, capas = ["eof", "psync2"]) => {
      const r = await raw(master.port);
      await r.handshake(capas);
      return { r, reply: await r.call("PSYNC", id, off) };
    };
    expect((await ask(replid, String(O + 1))).reply).toBe(`+CONTINUE ${replid}`);
    expect((await ask(replid, String(O + 1), ["eof"])).reply).toBe("+CONTINUE");
    const all = await ask(replid, "1");
    expect(all.reply).toBe(`+CONTINUE ${replid}`);
    const tail = await all.r.bytes(O);
    expect(tail.equals(stream)).toBe(true);
    expect(tail.subarray(0, 23).toString()).toBe("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n");
    expect((await ask(replid, "0")).reply).toBe(`+FULLRESYNC ${replid} ${O}`);
    expect((await ask(replid, String(O + 2))).reply).toBe(`+FULLRESYNC ${replid} ${O}`);
    expect((await ask("?", "-1")).reply).toBe(`+FULLRESYNC ${replid} ${O}`);
    expect((await ask("a".repeat(40), String(O + 1))).reply).toBe(`+FULLRESYNC ${replid} ${O}`);
    expect(await stats(master)).toEqual({ full: before.full + 4, ok: before.ok + 3, err: before.err + 3 });
    // case-insensitive id compare (PSYNC-1)
    expect((await ask(replid.toUpperCase(), String(O + 1))).reply).toBe(`+CONTINUE ${replid}`);
  });

  it("refusals: non-integer offset, NOMASTERLINK on a replica without link, arity (PSYNC-8, CHAIN-3)", async () => {
    const master = await nodes.start();
    const r = await raw(master.port);
    expect(await r.call("PSYNC", "?", "abc")).toBe("-ERR value is not an integer or out of range");
    expect(await r.call("PSYNC", "?")).toBe("-ERR wrong number of arguments for 'psync' command");
    expect(await stats(master)).toEqual({ full: 0, ok: 0, err: 0 });
    expect((await info(master)).repl_backlog_active).toBe("0");

    const orphan = await nodes.start({ replicaof: "127.0.0.1 1" }); // nothing listens on port 1
    const s = await raw(orphan.port);
    expect(await s.call("PSYNC", "?", "-1")).toBe("-NOMASTERLINK Can't SYNC while not connected with my master");
    expect(await s.call("SYNC")).toBe("-NOMASTERLINK Can't SYNC while not connected with my master");
  });

  it("SYNC gets no +FULLRESYNC line, just the payload (PSYNC-6)", async () => {
    const master = await nodes.start({ "repl-diskless-sync": "no" });
    await master.client.set("a", "1");
    const r = await raw(master.port);
    r.send("SYNC");
    const { rdb, mode } = await r.payload();
    expect(mode).toBe("length");
    expect(readRdb(rdb).databases.get(0)?.has("a")).toBe(true);
    expect(await stats(master)).toEqual({ full: 1, ok: 0, err: 0 });
  });

  it("diskless delay: wait_bgsave state, newline keepalives, +FULLRESYNC when the snapshot is taken (FULLSYNC-6, INFO-4, PSYNC-6)", async () => {
    const master = await nodes.start({ "repl-diskless-sync-delay": "1" });
    const r = await raw(master.port);
    await r.handshake();
    r.send("PSYNC", "?", "-1");
    await waitFor("a waiting replica", async () => (await info(master)).slave0?.includes("state=wait_bgsave") ?? false);
    expect((await info(master)).connected_slaves).toBe("1");
    expect(await master.client.role()).toEqual(["master", 0, []]);
    await master.client.set("during", "delay"); // before the snapshot: in it and in the offset
    let line = await r.line();
    let keepalives = 0;
    while (line === "") {
      keepalives++;
      line = await r.line();
    }
    expect(keepalives).toBeGreaterThanOrEqual(1);
    const [, , off] = line.split(" ");
    expect(num(off)).toBe(await offset(master));
    const { rdb, mode } = await r.payload();
    expect(mode).toBe("eof-mark");
    expect(readRdb(rdb).databases.get(0)?.has("during")).toBe(true);
  });
});

describe("DEBUG CHANGE-REPL-ID", () => {
  it("changes the replid and clears replid2 with enable-debug-command yes (REPLID-6)", async () => {
    const master = await nodes.start({ "enable-debug-command": "yes" });
    const before = await info(master);
    expect(await master.client.call("DEBUG", "CHANGE-REPL-ID")).toBe("OK");
    const after = await info(master);
    expect(after.master_replid).not.toBe(before.master_replid);
    expect([after.master_replid2, after.second_repl_offset]).toEqual(["0".repeat(40), "-1"]);
  });
});
