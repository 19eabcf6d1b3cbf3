// The harness's connections: the RESP2 decoder, the typed command connection (send) and the
// ioredis admin client, against fake servers and against a real redis-server 7.0.15.

import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAdminClient,
  flattenResult,
  openCommandConnection,
  send,
  type RespConnection,
} from "../../harness/client.js";
import { findFreePort } from "../../harness/targets/free-port.js";
import { createBinaryTarget, type BinaryNodeHandle, type BinaryTarget } from "../../harness/targets/binary.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { encodeCommand, RespDecoder, RespProtocolError, type RespValue } from "../../harness/util/resp.js";
import { waitFor } from "../../harness/util/wait-for.js";
import { announceLiveRedis, REDIS_SERVER, redisAvailable } from "./live-redis.js";

announceLiveRedis("client");

const status = (value: string): RespValue => ({ kind: "status", value });
const bulk = (value: string | null): RespValue => ({ kind: "bulk", value });
const int = (value: number): RespValue => ({ kind: "int", value });
const error = (value: string): RespValue => ({ kind: "error", value });
const array = (value: RespValue[] | null): RespValue => ({ kind: "array", value });

describe("RESP2 encoding and decoding", () => {
  it("encodes a command as a multibulk with byte lengths, empty arguments included", () => {
    expect(encodeCommand(["SET", "k", ""]).toString()).toBe("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
    expect(encodeCommand(["SET", "é", Buffer.from([0, 255])])).toEqual(
      Buffer.concat([
        Buffer.from("*3\r\n$3\r\nSET\r\n$2\r\n"),
        Buffer.from("é"),
        Buffer.from("\r\n$2\r\n"),
        Buffer.from([0, 255]),
        Buffer.from("\r\n"),
      ]),
    );
  });

  const wire =
    "+OK\r\n$2\r\nOK\r\n:-42\r\n$-1\r\n*-1\r\n*0\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n" +
    "*3\r\n+OK\r\n-ERR boom\r\n*2\r\n$1\r\na\r\n*1\r\n:7\r\n$0\r\n\r\n$4\r\nh\u00e9!\r\n";
  const expected: RespValue[] = [
    status("OK"),
    bulk("OK"),
    int(-42),
    bulk(null),
    array(null),
    array([]),
    error("WRONGTYPE Operation against a key holding the wrong kind of value"),
    array([status("OK"), error("ERR boom"), array([bulk("a"), array([int(7)])])]),
    bulk(""),
    bulk("hé!"),
  ];

  it("keeps every reply type apart, nested arrays and errors inside arrays included", () => {
    expect(new RespDecoder().feed(Buffer.from(wire))).toEqual(expected);
  });

  it("decodes the same replies fed one byte at a time", () => {
    const decoder = new RespDecoder();
    const bytes = Buffer.from(wire);
    const out: RespValue[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...decoder.feed(bytes.subarray(i, i + 1)));
    expect(out).toEqual(expected);
  });

  it("decodes a large bulk string split over many chunks", () => {
    const value = "x".repeat(100_000);
    const bytes = Buffer.from(`$${value.length}\r\n${value}\r\n:1\r\n`);
    const decoder = new RespDecoder();
    const out: RespValue[] = [];
    for (let i = 0; i < bytes.length; i += 1000) out.push(...decoder.feed(bytes.subarray(i, i + 1000)));
    expect(out).toEqual([bulk(value), int(1)]);
  });

  it("rejects bytes that are not RESP2", () => {
    expect(() => new RespDecoder().feed(Buffer.from("%1\r\n"))).toThrow(RespProtocolError);
    expect(() => new RespDecoder().feed(Buffer.from(":12x\r\n"))).toThrow(RespProtocolError);
    expect(() => new RespDecoder().feed(Buffer.from("$1\r\nabc\r\n"))).toThrow(/CRLF/);
  });
});

describe("command connection against a scripted server", () => {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  });

  /** A server that answers each command line-by-line with `answer(commandName, socket)`. */
  async function scripted(answer: (name: string, socket: Socket) => void): Promise<number> {
    const server = createServer((socket) => {
      const decoder = new RespDecoder();
      // Commands are multibulks: the decoder reads them as arrays of bulk strings.
      socket.on("data", (chunk: Buffer) => {
        for (const cmd of decoder.feed(chunk)) {
          const name = cmd.kind === "array" && cmd.value?.[0]?.kind === "bulk" ? String(cmd.value[0].value) : "?";
          answer(name, socket);
        }
      });
      socket.on("error", () => {});
    });
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return (server.address() as { port: number }).port;
  }

  it("reports a timeout, drops the late reply and keeps later replies aligned", async () => {
    let held: (() => void) | undefined;
    const port = await scripted((name, socket) => {
      if (name === "SLOW") held = () => socket.write("+LATE\r\n");
      else socket.write(`+${name}-REPLY\r\n`);
    });
    const conn = await openCommandConnection({ host: "127.0.0.1", port });
    try {
      expect(await send(conn, ["SLOW"], { timeoutMs: 50 })).toEqual({ kind: "timeout" });
      expect(conn.outstanding).toBe(1);
      const next = send(conn, ["PING"], { timeoutMs: 5000 });
      held!();
      expect(await next).toEqual({ kind: "reply", value: status("PING-REPLY") });
      expect(conn.outstanding).toBe(0);
    } finally {
      conn.close();
    }
  });

  it("reports a closed connection as connection-lost, now and for later commands; never resends", async () => {
    let received = 0;
    const port = await scripted((_name, socket) => {
      received++;
      socket.destroy();
    });
    const conn = await openCommandConnection({ host: "127.0.0.1", port });
    const r = await send(conn, ["GET", "k"], { timeoutMs: 5000 });
    expect(r.kind).toBe("connection-lost");
    expect(conn.isOpen).toBe(false);
    expect(await send(conn, ["GET", "k"], { timeoutMs: 5000 })).toMatchObject({ kind: "connection-lost" });
    expect(received).toBe(1);
  });

  it("treats a protocol error as a lost connection", async () => {
    const port = await scripted((_name, socket) => socket.write("?what\r\n"));
    const conn = await openCommandConnection({ host: "127.0.0.1", port });
    const r = await send(conn, ["PING"], { timeoutMs: 5000 });
    expect(r).toMatchObject({ kind: "connection-lost" });
    expect((r as { message: string }).message).toMatch(/protocol error/);
  });

  it("fails to open on a closed port, naming the address", async () => {
    const port = await findFreePort();
    await expect(openCommandConnection({ host: "127.0.0.1", port })).rejects.toThrow(`127.0.0.1:${port}`);
  });

  it("flattens results into the checker's reply shape", () => {
    expect(flattenResult({ kind: "reply", value: status("OK") })).toEqual(status("OK"));
    expect(flattenResult({ kind: "error", message: "ERR x" })).toEqual(error("ERR x"));
    expect(flattenResult({ kind: "timeout" })).toEqual({ kind: "timeout" });
    expect(flattenResult({ kind: "connection-lost", message: "gone" })).toEqual({
      kind: "connection-lost",
      value: "gone",
    });
  });
});

describe.runIf(redisAvailable)("clients against a real redis-server", () => {
  let target: BinaryTarget;
  let node: BinaryNodeHandle;
  let admin: Redis;
  let conn: RespConnection;
  const opened: { close(): void }[] = [];

  beforeAll(async () => {
    target = await createBinaryTarget({ binary: REDIS_SERVER });
    // DEBUG is disabled by default since 7.0; the timeout tests need DEBUG SLEEP.
    node = await target.startNode("n0", { ...deterministicConfig(), "enable-debug-command": "yes" });
    admin = await createAdminClient({ host: node.host, port: node.port, commandTimeoutMs: 5000 });
    conn = await openCommandConnection({ host: node.host, port: node.port });
  });

  afterAll(async () => {
    for (const c of opened) c.close();
    conn?.close();
    admin?.disconnect();
    await target?.stopAll();
  });

  const run = (argv: string[]) => send(conn, argv, { timeoutMs: 5000 });

  it("keeps status and bulk replies apart", async () => {
    expect(await run(["SET", "k", "OK"])).toEqual({ kind: "reply", value: status("OK") });
    expect(await run(["GET", "k"])).toEqual({ kind: "reply", value: bulk("OK") });
    expect(await run(["PING"])).toEqual({ kind: "reply", value: status("PONG") });
    expect(await run(["ECHO", "PONG"])).toEqual({ kind: "reply", value: bulk("PONG") });
    expect(await run(["TYPE", "k"])).toEqual({ kind: "reply", value: status("string") });
  });

  it("returns integers as numbers, nil as null, arrays as arrays", async () => {
    expect(await run(["INCR", "counter"])).toEqual({ kind: "reply", value: int(1) });
    expect(await run(["DEL", "missing"])).toEqual({ kind: "reply", value: int(0) });
    expect(await run(["GET", "missing"])).toEqual({ kind: "reply", value: bulk(null) });
    expect(await run(["RPUSH", "l", "a", "b"])).toEqual({ kind: "reply", value: int(2) });
    expect(await run(["LRANGE", "l", "0", "-1"])).toEqual({ kind: "reply", value: array([bulk("a"), bulk("b")]) });
    expect(await run(["LRANGE", "missing", "0", "-1"])).toEqual({ kind: "reply", value: array([]) });
    expect(await run(["ZADD", "z", "1.5", "m"])).toEqual({ kind: "reply", value: int(1) });
    expect(await run(["ZRANGE", "z", "0", "-1", "WITHSCORES"])).toEqual({
      kind: "reply",
      value: array([bulk("m"), bulk("1.5")]),
    });
    const scan = await run(["SCAN", "0", "MATCH", "z", "COUNT", "1000"]);
    expect(scan).toEqual({ kind: "reply", value: array([bulk("0"), array([bulk("z")])]) });
  });

  it("returns a null array for an EXEC aborted by WATCH", async () => {
    const other = await openCommandConnection({ host: node.host, port: node.port });
    opened.push(other);
    expect(await run(["WATCH", "w"])).toEqual({ kind: "reply", value: status("OK") });
    expect((await send(other, ["SET", "w", "1"], { timeoutMs: 5000 })).kind).toBe("reply");
    expect(await run(["MULTI"])).toEqual({ kind: "reply", value: status("OK") });
    expect(await run(["SET", "w", "2"])).toEqual({ kind: "reply", value: status("QUEUED") });
    expect(await run(["EXEC"])).toEqual({ kind: "reply", value: array(null) });
  });

  it("returns error replies with their full text, also inside EXEC", async () => {
    const wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
    expect(await run(["GET", "l"])).toEqual({ kind: "error", message: wrongType });
    expect(await run(["NOSUCHCOMMAND", "a", "b"])).toEqual({
      kind: "error",
      message: "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' 'b' ",
    });
    expect(await run(["GET"])).toEqual({ kind: "error", message: "ERR wrong number of arguments for 'get' command" });
    await run(["MULTI"]);
    await run(["SET", "t", "1"]);
    await run(["INCR", "l"]);
    expect(await run(["EXEC"])).toEqual({ kind: "reply", value: array([status("OK"), error(wrongType)]) });
  });

  it("sends and reads UTF-8", async () => {
    expect(await run(["SET", "u", "héllo"])).toEqual({ kind: "reply", value: status("OK") });
    expect(await run(["STRLEN", "u"])).toEqual({ kind: "reply", value: int(6) });
    expect(await run(["GET", "u"])).toEqual({ kind: "reply", value: bulk("héllo") });
  });

  it("reports a command still running at its timeout as a timeout, and the next reply is the next command's", async () => {
    expect(await send(conn, ["DEBUG", "SLEEP", "1"], { timeoutMs: 50 })).toEqual({ kind: "timeout" });
    // PING's reply comes after DEBUG SLEEP's late +OK, which must not be taken for it.
    expect(await send(conn, ["ECHO", "after"], { timeoutMs: 5000 })).toEqual({ kind: "reply", value: bulk("after") });
    expect(conn.outstanding).toBe(0);
  });

  it("reports a killed connection as connection-lost", async () => {
    const victim = await openCommandConnection({ host: node.host, port: node.port });
    opened.push(victim);
    const idReply = await send(victim, ["CLIENT", "ID"], { timeoutMs: 5000 });
    const id = idReply.kind === "reply" && idReply.value.kind === "int" ? idReply.value.value : -1;
    const blocked = send(victim, ["BLPOP", "never", "0"], { timeoutMs: 10_000 });
    expect(await admin.call("CLIENT", "KILL", "ID", String(id))).toBe(1);
    expect(await blocked).toMatchObject({ kind: "connection-lost" });
    expect(await send(victim, ["PING"], { timeoutMs: 5000 })).toMatchObject({ kind: "connection-lost" });
  });

  it("admin client: RESP2, per-command timeout, no offline queue, no reconnect", async () => {
    expect(admin.options).toMatchObject({
      protocol: 2,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      lazyConnect: true,
      commandTimeout: 5000,
    });
    // RESP2: ZRANGE WITHSCORES is flat (RESP3 would nest pairs), HGETALL an object via ioredis.
    expect(await admin.call("ZRANGE", "z", "0", "-1", "WITHSCORES")).toEqual(["m", "1.5"]);

    const quick = await createAdminClient({ host: node.host, port: node.port, commandTimeoutMs: 50 });
    try {
      await expect(quick.call("DEBUG", "SLEEP", "0.5")).rejects.toThrow(/timed out/i);
    } finally {
      quick.disconnect();
    }
    const closed = await createAdminClient({ host: node.host, port: node.port });
    closed.disconnect();
    await waitFor(() => closed.status === "end", { deadlineMs: 5000, what: "the admin connection to end" });
    // Not queued for a reconnect that will never come: rejected at once.
    await expect(closed.call("PING")).rejects.toThrow(/Connection is closed|writeable/);
  });

  it("admin client: fails within its deadline on a closed port, and stops trying", async () => {
    const port = await findFreePort();
    await expect(
      createAdminClient({
        host: "127.0.0.1",
        port,
        connectTimeoutMs: 1000,
        reconnectAttempts: 3,
        reconnectDelayMs: 10,
      }),
    ).rejects.toThrow(`cannot open an admin connection to 127.0.0.1:${port}`);
  });
});
