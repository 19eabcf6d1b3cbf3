// Topology changes on the builtin server: chains, promotion, former siblings and the demoted
// master, REPLICAOF replies, ROLE and INFO states.
// Rules: CHAIN-1..6, REPLID-4/5/7, PSYNC-7, BACKLOG-8, LINK-2, LINK-7, LINK-8, INFO-3, CONV-3.

import { afterEach, describe, expect, it } from "vitest";
import {
  dataset,
  info,
  inSync,
  linkUp,
  Nodes,
  num,
  offset,
  stats,
  waitFor,
  type TestNode,
} from "./helpers/replication-nodes.js";

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

const replicaOf = (master: TestNode) => ({ replicaof: `127.0.0.1 ${master.port}` });

describe("chains", () => {
  it("A -> B -> C: same replid and offsets everywhere, B forwards byte for byte (CHAIN-1/2/6)", async () => {
    const a = await nodes.start();
    await a.client.set("before", "1");
    const b = await nodes.start(replicaOf(a));
    await linkUp(b);
    await a.client.select(7);
    await a.client.set("k7", "v");
    await inSync(a, b);
    const c = await nodes.start(replicaOf(b)); // full sync from B: the RDB carries repl-stream-db 7
    await linkUp(c);
    await a.client.set("k7b", "w"); // no SELECT in the stream: C must apply it in db 7
    await a.client.select(0);
    await a.client.rpush("list", "x", "y");
    await inSync(a, b, c);
    const [ia, ib, ic] = await Promise.all([info(a), info(b), info(c)]);
    expect(ib.master_replid).toBe(ia.master_replid);
    expect(ic.master_replid).toBe(ia.master_replid);
    expect(ic.master_repl_offset).toBe(ia.master_repl_offset);
    expect(await dataset(c)).toEqual(await dataset(a));
    expect((await stats(b)).full).toBe(1); // B served C itself; A's counters did not move for C
    expect((await stats(a)).full).toBe(1);
  });

  it("B losing A keeps C connected; B resyncs partially (CHAIN-4, psync2-pingoff case 3)", async () => {
    const a = await nodes.start();
    const b = await nodes.start(replicaOf(a));
    await linkUp(b);
    const c = await nodes.start(replicaOf(b));
    await linkUp(c);
    await a.client.set("x", "1");
    await inSync(a, b, c);
    const aBefore = await stats(a);
    const bBefore = await stats(b);
    await b.client.call("CLIENT", "KILL", "TYPE", "master");
    await a.client.set("y", "2");
    await waitFor("B continues", async () => (await stats(a)).ok === aBefore.ok + 1);
    await inSync(a, b, c);
    expect(await stats(b)).toEqual(bBefore); // C never resynced
    expect((await info(b)).connected_slaves).toBe("1");
    expect(await dataset(c)).toEqual(await dataset(a));
  });

  it("B's +CONTINUE with a new id: B shifts ids, drops C, C continues through replid2 (REPLID-5, CHAIN-5)", async () => {
    const root = await nodes.start();
    const a = await nodes.start(replicaOf(root));
    await linkUp(a);
    const b = await nodes.start(replicaOf(a));
    await linkUp(b);
    const c = await nodes.start(replicaOf(b));
    await linkUp(c);
    await root.client.set("k", "v");
    await inSync(root, a, b, c);
    const rootId = (await info(root)).master_replid;
    const off = await offset(root);
    const bBefore = await stats(b);
    const aBefore = await stats(a);

    expect(await a.client.replicaof("NO", "ONE")).toBe("OK"); // A shifts, drops B
    const ia = await info(a);
    expect(ia.master_replid2).toBe(rootId);
    expect(num(ia.second_repl_offset)).toBe(off + 1);
    await waitFor("B and C continue", async () => {
      const [ib, ic] = await Promise.all([info(b), info(c)]);
      return (
        (ib.master_replid === ia.master_replid &&
          ic.master_replid === ia.master_replid &&
          ic.master_link_status === "up") ||
        `${ib.master_replid} ${ic.master_replid}`
      );
    });
    const [ib, ic] = await Promise.all([info(b), info(c)]);
    expect([ib.master_replid2, ib.second_repl_offset]).toEqual([rootId, String(off + 1)]);
    expect([ic.master_replid2, ic.second_repl_offset]).toEqual([rootId, String(off + 1)]);
    expect(await stats(a)).toEqual({ ...aBefore, ok: aBefore.ok + 1 });
    expect(await stats(b)).toEqual({ ...bBefore, ok: bBefore.ok + 1 });
    await a.client.set("after", "promotion");
    await inSync(a, b, c);
    expect(await dataset(c)).toEqual(await dataset(a));
  });
});

describe("sub-replicas across a master change (7.0)", () => {
  it("B REPLICAOF D keeps C until B loads D's snapshot; then C full-syncs from B with D's replid (CHAIN-5)", async () => {
    const a = await nodes.start();
    const b = await nodes.start(replicaOf(a));
    await linkUp(b);
    const c = await nodes.start(replicaOf(b));
    await linkUp(c);
    await a.client.set("from", "a");
    await inSync(a, b, c);
    const d = await nodes.start({ "repl-diskless-sync-delay": "2" });
    await d.client.set("from", "d");
    expect(await b.client.replicaof("127.0.0.1", String(d.port))).toBe("OK");
    await waitFor(
      "B waits for D's delayed snapshot",
      async () => (await info(d)).slave0?.includes("state=wait_bgsave") ?? false,
    );
    expect((await info(b)).connected_slaves).toBe("1"); // not dropped on REPLICAOF
    expect((await info(c)).master_link_status).toBe("up");
    await inSync(d, b, c);
    expect(await stats(b)).toEqual({ full: 2, ok: 0, err: 1 }); // C came back and could not continue (its first sync asked ? -1)
    expect(await c.client.get("from")).toBe("d");
  });
});

describe("repl-timeout on the replica side", () => {
  it("a connected replica that hears nothing drops its master and continues after the heal (LINK-4)", async () => {
    const m = await nodes.start();
    const proxy = await nodes.proxy(m);
    const r = await nodes.start({ replicaof: `127.0.0.1 ${proxy.port}`, "repl-timeout": "1" });
    await linkUp(r);
    await m.client.set("k", "v");
    await inSync(m, r);
    const before = await stats(m);
    await proxy.setState("blackhole");
    await waitFor("the replica timed out", () =>
      r.handle.server.log.lines().some((l) => l.includes("MASTER timeout: no data nor PING received")),
    );
    await proxy.setState("up");
    await m.client.set("k2", "v2");
    await inSync(m, r);
    expect((await stats(m)).ok).toBeGreaterThan(before.ok);
    expect((await stats(m)).full).toBe(before.full);
    expect(await r.client.get("k2")).toBe("v2");
  });
});

describe("promotion", () => {
  async function masterWithTwo() {
    const m = await nodes.start();
    const r1 = await nodes.start(replicaOf(m));
    const r2 = await nodes.start(replicaOf(m));
    await linkUp(r1);
    await linkUp(r2);
    await m.client.set("k", "v");
    await m.client.lpush("l", "1", "2");
    await inSync(m, r1, r2);
    return { m, r1, r2 };
  }

  it("REPLICAOF NO ONE keeps data and backlog; a sibling continues through replid2; first write costs a SELECT (REPLID-4/7, BACKLOG-8, CONV-3)", async () => {
    const { m, r1, r2 } = await masterWithTwo();
    const before = await info(r1);
    expect(await r1.client.replicaof("NO", "ONE")).toBe("OK");
    const after = await info(r1);
    expect(after.role).toBe("master");
    expect(after.master_replid2).toBe(before.master_replid);
    expect(num(after.second_repl_offset)).toBe(num(before.master_repl_offset) + 1);
    expect(after.master_replid).not.toBe(before.master_replid);
    expect([after.repl_backlog_first_byte_offset, after.repl_backlog_histlen, after.master_repl_offset]).toEqual([
      before.repl_backlog_first_byte_offset,
      before.repl_backlog_histlen,
      before.master_repl_offset,
    ]);
    expect(await dataset(r1)).toEqual(await dataset(m));

    expect(await r2.client.replicaof("127.0.0.1", String(r1.port))).toBe("OK");
    await inSync(r1, r2);
    expect(await stats(r1)).toEqual({ full: 0, ok: 1, err: 0 });
    const o = await offset(r1);
    await r1.client.set("k", "v");
    await inSync(r1, r2);
    expect(await offset(r1)).toBe(o + 50);
  });

  it("the demoted old master continues partially iff it wrote nothing after the promotion (REPLID-7)", async () => {
    const { m, r1 } = await masterWithTwo();
    await r1.client.replicaof("NO", "ONE");
    expect(await m.client.replicaof("127.0.0.1", String(r1.port))).toBe("OK");
    await inSync(r1, m);
    expect(await stats(r1)).toEqual({ full: 0, ok: 1, err: 0 });

    // second round: the new replica is promoted back, then the one that wrote meanwhile follows
    const { m: m2, r1: p2 } = await masterWithTwo();
    await p2.client.replicaof("NO", "ONE");
    await m2.client.set("written", "after the promotion");
    await m2.client.replicaof("127.0.0.1", String(p2.port));
    await inSync(p2, m2);
    expect(await stats(p2)).toEqual({ full: 1, ok: 0, err: 1 });
    expect(await m2.client.get("written")).toBeNull(); // FULLSYNC-1
  });
});

describe("REPLICAOF, ROLE and link states", () => {
  it("replies of REPLICAOF (LINK-7)", async () => {
    const m = await nodes.start();
    const r = await nodes.start();
    expect(await r.client.replicaof("NO", "ONE")).toBe("OK");
    const id = (await info(r)).master_replid;
    expect((await info(r)).master_replid).toBe(id); // no-op on a master
    await expect(r.client.replicaof("127.0.0.1", "99999")).rejects.toThrow("ERR Invalid master port");
    await expect(r.client.replicaof("127.0.0.1", "abc")).rejects.toThrow("ERR Invalid master port");
    expect(await r.client.replicaof("127.0.0.1", String(m.port))).toBe("OK");
    expect(await r.client.replicaof("127.0.0.1", String(m.port))).toBe("OK Already connected to specified master");
    expect(await r.client.config("GET", "replicaof")).toEqual(["replicaof", `127.0.0.1 ${m.port}`]);
    await linkUp(r);
  });

  it("ROLE and INFO of a master, a connected replica and an unreachable one (LINK-2, LINK-6, LINK-8, INFO-3)", async () => {
    const m = await nodes.start();
    const r = await nodes.start(replicaOf(m));
    await linkUp(r);
    await inSync(m, r);
    await waitFor("an ack", async () => (await info(m)).slave0?.includes("offset=0") ?? false);
    const rPort = (await r.client.config("GET", "port"))[1];
    expect(await m.client.role()).toEqual(["master", 0, [["127.0.0.1", rPort, "0"]]]);
    expect(await r.client.role()).toEqual(["slave", "127.0.0.1", m.port, "connected", 0]);

    const lost = await nodes.start({ replicaof: "127.0.0.1 1" });
    await waitFor("a failed connect", () =>
      lost.handle.server.log.lines().some((l) => l.includes("Error condition on socket for SYNC: Connection refused")),
    );
    const role = (await lost.client.role()) as unknown[];
    expect(role.slice(0, 3)).toEqual(["slave", "127.0.0.1", 1]);
    expect(["connect", "connecting"]).toContain(role[3]);
    expect(role[4]).toBe(-1);
    const i = await info(lost);
    expect([
      i.master_link_status,
      i.master_last_io_seconds_ago,
      i.master_sync_in_progress,
      i.slave_repl_offset,
      i.master_link_down_since_seconds,
    ]).toEqual(["down", "-1", "0", "1", "-1"]);
    expect(i.master_repl_offset).toBe("0");
  });

  it("a replica's link-down INFO after it was connected shows the cached offset (INFO-3)", async () => {
    const m = await nodes.start();
    const proxy = await nodes.proxy(m);
    const r = await nodes.start({ replicaof: `127.0.0.1 ${proxy.port}` });
    await linkUp(r);
    await m.client.set("k", "v");
    await inSync(m, r);
    await proxy.setState("cut", { whileCut: "refuse" });
    await waitFor("link down", async () => (await info(r)).master_link_status === "down");
    const i = await info(r);
    expect(i.slave_repl_offset).toBe("50");
    expect(num(i.master_link_down_since_seconds)).toBeGreaterThanOrEqual(0);
    expect((await r.client.role())[4]).toBe(-1);
    expect(await r.client.get("k")).toBe("v"); // CONV-2: stale data is served
  });
});
