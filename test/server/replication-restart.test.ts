// Restarts with RDB replication info (7.0 semantics) and the full-sync loop of a too-small
// replica output buffer.
// Rules: RESTART-1..4, OFFSET-12, PSYNC-7, FULLSYNC-5.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readRdb, writeRdb } from "../../server/rdb/index.js";
import { readFileSync } from "node:fs";
import { dataset, info, inSync, linkUp, Nodes, num, offset, stats, waitFor } from "./helpers/replication-nodes.js";

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

describe("restart with saved replication info", () => {
  it("a replica restarted after SAVE resumes with a partial resync (RESTART-1, RESTART-3)", async () => {
    const m = await nodes.start();
    const r = await nodes.start({ replicaof: `127.0.0.1 ${m.port}` });
    await linkUp(r);
    await m.client.set("a", "1");
    await m.client.select(2);
    await m.client.set("b", "2");
    await inSync(m, r);
    expect(await r.client.save()).toBe("OK");
    const saved = readRdb(readFileSync(join(r.dir, "dump.rdb"))).replInfo;
    expect(saved).toEqual({ replId: (await info(m)).master_replid, replOffset: await offset(m), streamDb: 2 });
    await m.client.set("c", "3"); // after the save: must come back through the partial resync
    await inSync(m, r);
    const before = await stats(m);

    await nodes.restart(r);
    await inSync(m, r);
    expect(await stats(m)).toEqual({ full: before.full, ok: before.ok + 1, err: before.err });
    expect(await dataset(r)).toEqual(await dataset(m));
  });

  it("a replica restarted on the RDB of its last full sync also continues (RESTART-1, RESTART-4)", async () => {
    const m = await nodes.start({ "repl-diskless-sync": "yes" });
    await m.client.set("a", "1");
    const r = await nodes.start({ replicaof: `127.0.0.1 ${m.port}` });
    await linkUp(r);
    await m.client.set("b", "2");
    await inSync(m, r);
    const before = await stats(m);
    await nodes.restart(r);
    await inSync(m, r);
    expect(await stats(m)).toEqual({ full: before.full, ok: before.ok + 1, err: before.err });
    expect(await dataset(r)).toEqual(await dataset(m));
  });

  it("a master restarted after SAVE keeps its history: replicas continue (RESTART-2, 7.0)", async () => {
    const m = await nodes.start();
    const r = await nodes.start({ replicaof: `127.0.0.1 ${m.port}` });
    await linkUp(r);
    for (let i = 0; i < 10; i++) await m.client.set(`k${i}`, `v${i}`);
    await inSync(m, r);
    const old = await info(m);
    expect(await m.client.save()).toBe("OK");

    await nodes.restart(m);
    const fresh = await info(m);
    expect(fresh.master_replid).not.toBe(old.master_replid);
    expect([fresh.master_replid2, fresh.second_repl_offset, fresh.master_repl_offset]).toEqual([
      old.master_replid,
      String(num(old.master_repl_offset) + 1),
      old.master_repl_offset,
    ]);
    expect([fresh.repl_backlog_active, fresh.repl_backlog_first_byte_offset, fresh.repl_backlog_histlen]).toEqual([
      "1",
      String(num(old.master_repl_offset) + 1),
      "0",
    ]);
    await inSync(m, r);
    expect(await stats(m)).toEqual({ full: 0, ok: 1, err: 0 });
    await m.client.set("after", "restart");
    await inSync(m, r);
    expect(await dataset(r)).toEqual(await dataset(m));
  });

  it("start-up DELs for keys already expired in the RDB advance the offset (OFFSET-12)", async () => {
    const withInfo = await nodes.start();
    const dir = withInfo.dir;
    await withInfo.handle.close();
    const past = Date.now() - 60_000;
    const db = new Map([
      ["k", { value: { type: "string" as const, value: Buffer.from("gone") }, expireAt: past }],
      ["live", { value: { type: "string" as const, value: Buffer.from("here") } }],
    ]);
    const replId = "a".repeat(40);
    writeFileSync(
      join(dir, "dump.rdb"),
      writeRdb({
        databases: [db],
        replInfo: { replId, replOffset: 1000, streamDb: 0 },
        checksum: true,
        compression: false,
        now: Date.now,
      }),
    );
    const m = await nodes.start({}, dir);
    const i = await info(m);
    // SELECT 0 (23) + DEL k (20) after the saved offset; the backlog holds exactly those bytes
    expect([
      i.master_repl_offset,
      i.master_replid2,
      i.second_repl_offset,
      i.repl_backlog_first_byte_offset,
      i.repl_backlog_histlen,
    ]).toEqual(["1043", replId, "1001", "1001", "43"]);
    expect(await m.client.dbsize()).toBe(1);

    writeFileSync(
      join(dir, "dump.rdb"),
      writeRdb({ databases: [db], checksum: true, compression: false, now: Date.now }),
    );
    await nodes.restart(m);
    const j = await info(m);
    expect([j.master_repl_offset, j.repl_backlog_active, j.second_repl_offset]).toEqual(["43", "0", "-1"]);
  });
});

describe("client-output-buffer-limit for replicas", () => {
  it("a throttled replica under a steady write load is dropped and full-syncs again and again (FULLSYNC-5)", async () => {
    const m = await nodes.start({
      "client-output-buffer-limit": "replica 64kb 0 0",
      "repl-backlog-size": "16384",
      "repl-diskless-sync": "no",
    });
    const big = "x".repeat(10_000);
    for (let i = 0; i < 200; i++) await m.client.set(`data:${i}`, big); // ~2 MB snapshot
    const proxy = await nodes.proxy(m);
    await proxy.setState({ throttle: 500_000 });
    const r = await nodes.start({ replicaof: `127.0.0.1 ${proxy.port}` });

    let writing = true;
    const writer = nodes.redis(m.port);
    const load = (async () => {
      for (let i = 0; writing; i++) await writer.set(`w:${i % 10}`, big);
    })();
    try {
      await waitFor(
        "three full syncs",
        async () => (await stats(m)).full >= 3 || `sync_full ${(await stats(m)).full}`,
        30_000,
      );
      expect(m.handle.server.log.lines().some((l) => l.includes("overcoming of output buffer limits"))).toBe(true);
      expect((await info(r)).master_link_status).toBe("down");
    } finally {
      writing = false;
      await load;
    }
    // once the load stops the next attempt completes
    await proxy.setState("up");
    await inSync(m, r);
    expect(await dataset(r)).toEqual(await dataset(m));
  }, 60_000);
});
