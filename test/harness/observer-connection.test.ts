// The observer's connection (harness/observe/pipe.ts): one write per batch, replies in ioredis's
// shapes, error replies kept in their slot, and a batch without an answer in time closes the
// connection so that no later batch is paired with its late replies. Observation and digests
// through it match the ioredis path.

import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminClient } from "../../harness/client.js";
import { datasetDigest, observeNode } from "../../harness/observe/index.js";
import { CommandError, ObserverConnection, PipeClosed } from "../../harness/observe/pipe.js";
import { RespDecoder } from "../../harness/util/resp.js";
import { startServer, type ServerHandle } from "../../server/index.js";

/** A fake server: `answer` decides what each command gets (undefined: no answer at all). */
async function fakeServer(answer: (argv: string[], conn: number) => string | undefined) {
  const writes: number[] = [];
  let conns = 0;
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    const id = ++conns;
    sockets.push(socket);
    const decoder = new RespDecoder();
    socket.on("error", () => {});
    socket.on("data", (chunk) => {
      writes.push(id);
      for (const v of decoder.feed(chunk)) {
        const argv = (v.value as { value: string }[]).map((x) => x.value);
        const out = answer(argv, id);
        if (out !== undefined) socket.write(out);
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  return {
    port,
    writes,
    connections: () => conns,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

describe("ObserverConnection against a fake server", () => {
  it("sends a batch in one write and returns the replies in ioredis's shapes, errors in their slot", async () => {
    const fake = await fakeServer(([cmd]) => {
      if (cmd === "A") return "+OK\r\n";
      if (cmd === "B") return ":42\r\n";
      if (cmd === "C") return "$5\r\nhello\r\n";
      if (cmd === "D") return "*2\r\n$1\r\nx\r\n*1\r\n:1\r\n";
      if (cmd === "E") return "$-1\r\n";
      return "-ERR unknown command\r\n";
    });
    const conn = new ObserverConnection("127.0.0.1", fake.port);
    try {
      const replies = await conn.batch([["A"], ["B"], ["C"], ["D"], ["E"], ["F"]], 5000);
      expect(replies.slice(0, 5)).toEqual(["OK", 42, "hello", ["x", [1]], null]);
      expect(replies[5]).toBeInstanceOf(CommandError);
      expect((replies[5] as Error).message).toBe("ERR unknown command");
      expect(fake.writes).toEqual([1]);
      // Batches on one connection get their own replies, in order.
      const [x, y] = await Promise.all([conn.batch([["B"]], 5000), conn.batch([["C"], ["A"]], 5000)]);
      expect(x).toEqual([42]);
      expect(y).toEqual(["hello", "OK"]);
      expect(fake.connections()).toBe(1);
    } finally {
      conn.close();
      await fake.close();
    }
  });

  it("closes the connection when a batch gets no answer in time, and the next batch opens a new one", async () => {
    // The first connection never answers "SLOW" and answers the rest late; the second answers at once.
    const fake = await fakeServer(([cmd], id) => (id === 1 && cmd === "SLOW" ? undefined : `+${cmd}-${id}\r\n`));
    const conn = new ObserverConnection("127.0.0.1", fake.port);
    try {
      await expect(conn.batch([["SLOW"], ["A"]], 50)).rejects.toBeInstanceOf(PipeClosed);
      expect(await conn.batch([["A"], ["B"]], 5000)).toEqual(["A-2", "B-2"]);
      expect(fake.connections()).toBe(2);
    } finally {
      conn.close();
      await fake.close();
    }
  });

  it("fails every waiting batch when the server closes the connection, and refuses batches after close()", async () => {
    const fake = await fakeServer(() => undefined);
    const conn = new ObserverConnection("127.0.0.1", fake.port);
    const waiting = conn.batch([["A"]], 60_000);
    await new Promise((r) => setTimeout(r, 20));
    await fake.close();
    await expect(waiting).rejects.toBeInstanceOf(PipeClosed);
    conn.close();
    await expect(conn.batch([["A"]], 1000)).rejects.toBeInstanceOf(PipeClosed);
  });
});

describe("observation and digests through the observer connection (builtin server)", () => {
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startServer({ config: { port: "0" } });
    const admin = await createAdminClient({ host: server.host, port: server.port });
    try {
      for (const [db, argv] of [
        [0, ["SET", "a", "1"]],
        [0, ["HSET", "h", "f", "v", "g", "w"]],
        [0, ["ZADD", "z", "1.5", "m", "-2", "n"]],
        [2, ["RPUSH", "l", "x", "y"]],
        [2, ["SET", "e", "v", "PX", "600000"]],
        [5, ["SADD", "s", "q", "p"]],
      ] as const) {
        await admin.call("SELECT", String(db));
        await admin.call(...(argv as unknown as [string, ...string[]]));
      }
    } finally {
      admin.disconnect();
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it("gives the same observation and digest as the ioredis path, and leaves its connection on db 0", async () => {
    const admin = await createAdminClient({ host: server.host, port: server.port });
    const conn = new ObserverConnection(server.host, server.port);
    try {
      const viaPipe = await datasetDigest(conn);
      expect(viaPipe).toEqual(await datasetDigest(admin));
      expect(Object.keys(viaPipe)).toEqual(["0", "2", "5"]);
      expect(viaPipe[2].e).toEqual({ type: "string", value: "v", hasExpiry: true });
      // Tiny SCAN counts and batches walk the same keys across dbs.
      expect(await datasetDigest(conn, { scanCount: 1, batchSize: 2 })).toEqual(viaPipe);
      const [seen] = await conn.batch([["CLIENT", "INFO"]], 5000);
      expect(String(seen)).toContain(" db=0 ");
      // Whatever db an interrupted digest left selected, the next one starts from db 0.
      await conn.batch([["SELECT", "5"]], 5000);
      expect(await datasetDigest(conn)).toEqual(viaPipe);
      const [a, b] = await Promise.all([observeNode(conn), observeNode(admin)]);
      expect(a.dbsize).toEqual(b.dbsize);
      expect(a.replid).toBe(b.replid);
      expect(a.roleReply).toEqual(b.roleReply);
      expect(a.masterReplOffset).toBe(b.masterReplOffset);
    } finally {
      conn.close();
      admin.disconnect();
    }
  });
});
