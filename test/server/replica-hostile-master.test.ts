// The built-in replica against a master that sends what it should not (issue 11, defect 2): bad
// input from the master is at worst a broken link, never a dead process. test/fuzz/replica-side
// sends generated malformed streams and payloads to this replica and to a real redis-server.

import { afterEach, describe, expect, it } from "vitest";
import { diskPreamble, writeRdb } from "../../server/rdb/index.js";
import { encodeCommand } from "./helpers/raw-client.js";
import { FakeMaster } from "./helpers/fake-master.js";
import { info, Nodes, num, waitFor, type TestNode } from "./helpers/replication-nodes.js";

const nodes = new Nodes();
const masters: FakeMaster[] = [];
afterEach(async () => {
  await nodes.stopAll();
  for (const m of masters.splice(0)) await m.close();
});

const REPLID = "0123456789abcdef0123456789abcdef01234567";
const PATIENCE = 30_000; // polling deadlines only; generous for a busy machine

/** A replica of a scripted master, synced (disk framing) at offset 100 with key a=1. */
async function syncedReplica(): Promise<{ master: FakeMaster; replica: TestNode }> {
  const master = await FakeMaster.start();
  masters.push(master);
  const replica = await nodes.start({ replicaof: `127.0.0.1 ${master.port}` });
  await master.accepted();
  expect(await master.command()).toEqual(["PING"]);
  master.write("+PONG\r\n");
  expect((await master.command()).slice(0, 2)).toEqual(["REPLCONF", "listening-port"]);
  master.write("+OK\r\n");
  expect((await master.command())[0]).toBe("REPLCONF");
  master.write("+OK\r\n");
  expect(await master.command()).toEqual(["PSYNC", "?", "-1"]);
  const db = new Map([["a", { value: { type: "string" as const, value: Buffer.from("1") } }]]);
  const rdb = writeRdb({
    databases: [db],
    checksum: true,
    compression: false,
    now: () => Date.now(),
    replInfo: { replId: REPLID, replOffset: 100, streamDb: 0 },
  });
  master.write(Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 100\r\n`), diskPreamble(rdb.length), rdb]));
  await waitFor("link up", async () => (await info(replica)).master_link_status === "up", PATIENCE);
  return { master, replica };
}

/** The replica dropped the link and came back: the PSYNC it sends on its new connection. */
async function nextPsync(master: FakeMaster): Promise<string[]> {
  await master.accepted(2);
  expect(await master.command()).toEqual(["PING"]);
  master.write("+PONG\r\n");
  await master.command(); // REPLCONF listening-port
  master.write("+OK\r\n");
  await master.command(); // REPLCONF capa
  master.write("+OK\r\n");
  return master.command();
}

describe("the built-in replica under a hostile master", () => {
  it("a bulk of 5 000 000 000 bytes on the stream is waited for like Redis: the replica lives and serves", async () => {
    const { master, replica } = await syncedReplica();
    master.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000000000\r\nabc");
    master.write(Buffer.alloc(200_000, 0x61));
    const expected = 100 + Buffer.byteLength("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000000000\r\nabc") + 200_000;
    await waitFor(
      "the bytes received",
      () =>
        replica.handle.replication.link.master?.readReploff === expected ||
        String(replica.handle.replication.link.master?.readReploff),
      PATIENCE,
    );
    expect(await replica.client.get("a")).toBe("1");
    const i = await info(replica);
    expect([i.master_link_status, num(i.slave_repl_offset)]).toEqual(["up", 100]);
  });

  it("a protocol error on the stream breaks the link, logs it and discards the cached master: the next sync is full", async () => {
    const { master, replica } = await syncedReplica();
    master.write(encodeCommand(["SET", "b", "2"]));
    await waitFor("SET applied", async () => (await replica.client.get("b")) === "2", PATIENCE);
    master.write("*1\r\n$x\r\n");
    expect(await nextPsync(master)).toEqual(["PSYNC", "?", "-1"]);
    expect(
      replica.handle.server.log
        .lines()
        .some((l) => l.includes("Protocol error (Protocol error: invalid bulk length) from the MASTER")),
    ).toBe(true);
    expect((await info(replica)).master_link_status).toBe("down");
    expect(await replica.client.get("b")).toBe("2"); // the data stays until a new sync replaces it
  });

  it("an inline command from the master is a protocol error too; a bare newline is a keepalive", async () => {
    const { master, replica } = await syncedReplica();
    master.write("\n");
    master.write(encodeCommand(["SET", "c", "3"]));
    await waitFor("SET applied", async () => (await replica.client.get("c")) === "3", PATIENCE);
    expect(num((await info(replica)).slave_repl_offset)).toBe(100 + 1 + encodeCommand(["SET", "c", "3"]).length);
    master.write("SET d 4\r\n");
    expect(await nextPsync(master)).toEqual(["PSYNC", "?", "-1"]);
    expect(await replica.client.exists("d")).toBe(0);
  });

  it("an exception while applying the master's stream breaks the link instead of killing the process", async () => {
    const { master, replica } = await syncedReplica();
    const hooks = replica.handle.server.hooks;
    const before = hooks.beforeCommand;
    hooks.beforeCommand = (client, check) => {
      if (client.kind === "master") throw new Error("injected fault");
      return before(client, check);
    };
    master.write(encodeCommand(["SET", "e", "5"]));
    expect(await nextPsync(master)).toEqual(["PSYNC", "?", "-1"]);
    hooks.beforeCommand = before;
    expect(replica.handle.server.internalErrors).toBe(1);
    expect(
      replica.handle.server.log.lines().some((l) => l.includes("Internal error") && l.includes("injected fault")),
    ).toBe(true);
    expect(await replica.client.ping()).toBe("PONG");
  });
});
