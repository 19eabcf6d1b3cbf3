// The replica side of the builtin server against a scripted master: the exact handshake, the
// payload framings, ACKs, offsets at command and transaction boundaries, PSYNC retries.
// Rules: LINK-1, LINK-2, LINK-5, PSYNC-7, OFFSET-9, REPLID-3, REPLID-5, FULLSYNC-2, FULLSYNC-3, FULLSYNC-6.

import { afterEach, describe, expect, it } from "vitest";
import { diskPreamble, eofMarkPreamble, newEofMark, writeRdb } from "../../server/rdb/index.js";
import { encodeCommand } from "./helpers/raw-client.js";
import { FakeMaster } from "./helpers/fake-master.js";
import { info, Nodes, num, waitFor } from "./helpers/replication-nodes.js";

const nodes = new Nodes();
const masters: FakeMaster[] = [];
afterEach(async () => {
  await nodes.stopAll();
  for (const m of masters.splice(0)) await m.close();
});

async function fakeMaster(): Promise<FakeMaster> {
  const m = await FakeMaster.start();
  masters.push(m);
  return m;
}

const REPLID = "0123456789abcdef0123456789abcdef01234567";

function rdbWith(
  key: string,
  value: string,
  replInfo?: { replId: string; replOffset: number; streamDb: number },
): Buffer {
  const db = new Map([[key, { value: { type: "string" as const, value: Buffer.from(value) } }]]);
  return writeRdb({
    databases: [db],
    checksum: true,
    compression: false,
    now: () => Date.now(),
    ...(replInfo ? { replInfo } : {}),
  });
}

/** Plays the master's side of the handshake up to PSYNC; returns the PSYNC arguments. */
async function handshake(master: FakeMaster, expectAuth?: string[]): Promise<string[]> {
  expect(await master.command()).toEqual(["PING"]);
  master.write("+PONG\r\n");
  if (expectAuth) {
    expect(await master.command()).toEqual(expectAuth);
    master.write("+OK\r\n");
  }
  const port = await master.command();
  expect(port.slice(0, 2)).toEqual(["REPLCONF", "listening-port"]);
  master.write("+OK\r\n");
  expect(await master.command()).toEqual(["REPLCONF", "capa", "eof", "capa", "psync2"]);
  master.write("+OK\r\n");
  return master.command();
}

describe("replica side against a scripted master", () => {
  it("handshake, diskless payload, ACK after the load, offsets at command and EXEC boundaries, GETACK (LINK-1, LINK-5, OFFSET-9)", async () => {
    const master = await fakeMaster();
    const replica = await nodes.start({ replicaof: `127.0.0.1 ${master.port}`, masterauth: "pw", masteruser: "repl" });
    await master.accepted();
    const psync = await handshake(master, ["AUTH", "repl", "pw"]);
    expect(psync).toEqual(["PSYNC", "?", "-1"]); // started with replicaof and no RDB: no cached master
    await waitFor("handshake state", async () => (await replica.client.role())[3] === "handshake");
    expect((await info(replica)).master_sync_in_progress).toBe("0");

    master.write("\n"); // keepalive before the reply (FULLSYNC-6)
    master.write(`+FULLRESYNC ${REPLID} 1000\r\n`);
    await waitFor(
      "sync state",
      async () =>
        (await replica.client.role())[3] === "sync" ||
        JSON.stringify([await replica.client.role(), replica.handle.server.log.lines().slice(-5)]),
    );
    expect((await info(replica)).master_sync_in_progress).toBe("1");
    const mark = newEofMark();
    master.write(
      Buffer.concat([
        eofMarkPreamble(mark),
        rdbWith("a", "1", { replId: REPLID, replOffset: 1000, streamDb: 3 }),
        Buffer.from(mark),
      ]),
    );
    expect(await master.command()).toEqual(["REPLCONF", "ACK", "1000"]); // right after a diskless load
    let i = await info(replica);
    expect([
      i.master_link_status,
      i.master_replid,
      i.master_repl_offset,
      i.slave_repl_offset,
      i.repl_backlog_first_byte_offset,
    ]).toEqual(["up", REPLID, "1000", "1000", "1001"]);
    expect(await replica.client.get("a")).toBe("1");

    // repl-stream-db 3 from the RDB: the stream applies to db 3 without a SELECT (CHAIN-6)
    const set = encodeCommand(["SET", "k", "v"]);
    master.write(set);
    await waitFor("SET applied", async () => num((await info(replica)).slave_repl_offset) === 1027);
    const r3 = nodes.redis(replica.port);
    await r3.select(3);
    expect(await r3.get("k")).toBe("v");

    // a transaction counts only at its EXEC, even when it arrives in pieces
    const multi = Buffer.concat([encodeCommand(["MULTI"]), encodeCommand(["SET", "t", "1"])]);
    master.write(multi);
    await waitFor("MULTI read", async () => num((await info(replica)).slave_read_repl_offset) === 1027 + multi.length);
    expect(num((await info(replica)).slave_repl_offset)).toBe(1027);
    const exec = encodeCommand(["EXEC"]);
    master.write(Buffer.concat([exec, encodeCommand(["REPLCONF", "GETACK", "*"])]));
    // the ACK for GETACK reports the offset before the GETACK's own 37 bytes
    expect(await master.command()).toEqual(["REPLCONF", "ACK", String(1027 + multi.length + exec.length)]);
    i = await info(replica);
    expect(num(i.master_repl_offset)).toBe(1027 + multi.length + exec.length + 37);
    expect(await r3.get("t")).toBe("1");
  });

  it("disk payload; old data served until the load; -NOMASTERLINK makes it retry (FULLSYNC-2/3, PSYNC-7)", async () => {
    const master = await fakeMaster();
    const replica = await nodes.start();
    await replica.client.set("old", "data");
    await replica.client.replicaof("127.0.0.1", String(master.port));
    await master.accepted();
    const myId = (await info(replica)).master_replid;
    // a master turned replica caches itself: PSYNC <own id> <own offset + 1>
    expect(await handshake(master)).toEqual(["PSYNC", myId, "1"]);
    master.write("-NOMASTERLINK Can't SYNC while not connected with my master\r\n");
    await master.accepted(2); // the retry comes from the 1 Hz cron
    expect(await handshake(master)).toEqual(["PSYNC", myId, "1"]);
    master.write(`+FULLRESYNC ${REPLID} 0\r\n`);
    const rdb = rdbWith("new", "data");
    master.write(Buffer.concat([diskPreamble(rdb.length), rdb.subarray(0, 10)]));
    await waitFor("transfer in progress", async () => (await info(replica)).master_sync_read_bytes === "10");
    const i = await info(replica);
    expect([i.master_sync_total_bytes, i.master_sync_left_bytes]).toEqual([
      String(rdb.length),
      String(rdb.length - 10),
    ]);
    expect(await replica.client.get("old")).toBe("data"); // FULLSYNC-2
    master.write(rdb.subarray(10));
    await waitFor("loaded", async () => (await info(replica)).master_link_status === "up");
    expect(await replica.client.get("old")).toBeNull();
    expect(await replica.client.get("new")).toBe("data");
  });

  it("+CONTINUE with a new id shifts the ids (REPLID-5); a dropped link reconnects at once and PSYNCs (LINK-3, PSYNC-7)", async () => {
    const master = await fakeMaster();
    const replica = await nodes.start({ replicaof: `127.0.0.1 ${master.port}` });
    await master.accepted();
    await handshake(master);
    master.write(`+FULLRESYNC ${REPLID} 500\r\n`);
    const rdb = rdbWith("a", "1", { replId: REPLID, replOffset: 500, streamDb: 0 });
    master.write(Buffer.concat([diskPreamble(rdb.length), rdb, encodeCommand(["SET", "b", "2"])]));
    await waitFor("applied", async () => (await info(replica)).slave_repl_offset === "527");
    master.drop();
    await master.accepted(2);
    expect(await handshake(master)).toEqual(["PSYNC", REPLID, "528"]);
    const NEW = "f".repeat(40);
    master.write(`+CONTINUE ${NEW}\r\n`);
    await waitFor("connected", async () => (await info(replica)).master_link_status === "up");
    const i = await info(replica);
    expect([i.master_replid, i.master_replid2, i.second_repl_offset, i.master_repl_offset]).toEqual([
      NEW,
      REPLID,
      "528",
      "527",
    ]);
    expect(await replica.client.get("b")).toBe("2");
  });
});
