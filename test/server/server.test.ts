import { afterEach, describe, expect, it } from "vitest";
import net from "node:net";
import { Redis } from "ioredis";
import { startServer, type ServerHandle, type PropagatedOp, type Client } from "../../server/index.js";
import { RawClient, encodeCommand } from "./helpers/raw-client.js";

const handles: ServerHandle[] = [];
const redisClients: Redis[] = [];
const raws: RawClient[] = [];

afterEach(async () => {
  for (const r of redisClients.splice(0)) r.disconnect();
  for (const r of raws.splice(0)) r.close();
  for (const h of handles.splice(0)) await h.close();
});

async function start(config: Record<string, string> = {}, now?: () => number): Promise<ServerHandle> {
  const h = await startServer({ config, now });
  handles.push(h);
  return h;
}

async function ioredis(h: ServerHandle): Promise<Redis> {
  const r = new Redis({
    port: h.port,
    host: h.host,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
  });
  redisClients.push(r);
  await r.connect();
  return r;
}

async function raw(h: ServerHandle): Promise<RawClient> {
  const c = await RawClient.connect(h.port);
  raws.push(c);
  return c;
}

/** A controllable clock. */
function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** Records propagated units as readable strings. */
function recordPropagation(h: ServerHandle): string[][] {
  const units: string[][] = [];
  h.server.hooks.propagate = (ops: PropagatedOp[]) =>
    units.push(ops.map((o) => `${o.db}:${o.argv.map((a) => a.toString("latin1")).join(" ")}`));
  return units;
}

describe("server through ioredis", () => {
  it("runs basic commands of every type", async () => {
    const h = await start();
    const r = await ioredis(h);
    expect(await r.set("k", "v")).toBe("OK");
    expect(await r.get("k")).toBe("v");
    expect(await r.incrbyfloat("f", "3e10")).toBe("30000000000");
    expect(await r.incrbyfloat("f", "1.6")).toBe("30000000001.59999999962747097");
    expect(await r.rpush("l", "a", "b")).toBe(2);
    expect(await r.lrange("l", 0, -1)).toEqual(["a", "b"]);
    expect(await r.hset("h", "f", "1")).toBe(1);
    expect(await r.hgetall("h")).toEqual({ f: "1" });
    expect(await r.sadd("s", "m")).toBe(1);
    expect(await r.zadd("z", "1.1", "a")).toBe(1);
    expect(await r.zscore("z", "a")).toBe("1.1000000000000001");
    expect(await r.dbsize()).toBe(6);
    await expect(r.incr("l")).rejects.toThrow("WRONGTYPE Operation against a key holding the wrong kind of value");
    const info = await r.info("server");
    expect(info).toContain("redis_version:7.0.15");
    expect(info).toMatch(/replcheck_version:\d+\.\d+\.\d+/);
    expect(await r.info("keyspace")).toContain("db0:keys=6,expires=0,avg_ttl=0");
  });

  it("AUTH with requirepass", async () => {
    const h = await start({ requirepass: "secret" });
    const c = await raw(h);
    expect(await c.call("GET", "k")).toBe("-NOAUTH Authentication required.\r\n");
    expect(await c.call("AUTH", "wrong")).toBe("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
    expect(await c.call("AUTH", "secret")).toBe("+OK\r\n");
    expect(await c.call("GET", "k")).toBe("$-1\r\n");
  });

  it("SELECT isolates databases and INFO stats counts connections, commands and expiries", async () => {
    const h = await start();
    const c = await raw(h);
    await c.call("SET", "k", "0");
    await c.call("SELECT", "3");
    expect(await c.call("GET", "k")).toBe("$-1\r\n");
    const stats = String(await c.call("INFO", "stats"));
    for (const f of [
      "total_connections_received:1",
      "total_commands_processed:",
      "expired_keys:0",
      "sync_full:0",
      "sync_partial_ok:0",
      "sync_partial_err:0",
      "total_net_repl_input_bytes:0",
      "total_net_repl_output_bytes:0",
    ]) {
      expect(stats).toContain(f);
    }
    h.server.stats.syncFull += 2;
    expect(String(await c.call("INFO", "stats"))).toContain("sync_full:2");
    await c.call("CONFIG", "RESETSTAT");
    expect(String(await c.call("INFO", "stats"))).toContain("sync_full:0");
  });
});

describe("propagation hook", () => {
  it("reports the rewritten argv of each execution unit like Redis 7.0", async () => {
    const t = clock();
    const h = await start({}, t.now);
    const units = recordPropagation(h);
    const c = await raw(h);
    const abs = t.now() + 100_000;
    const script: [string[], string[][]][] = [
      [["SET", "a", "1"], [["0:SET a 1"]]],
      [["SET", "a", "1", "EX", "100"], [[`0:SET a 1 PXAT ${abs}`]]],
      [["SET", "a", "1", "PXAT", "99999999999999", "NX"], []],
      [["SET", "a", "2", "PXAT", "99999999999999", "GET"], [["0:SET a 2 PXAT 99999999999999"]]],
      [["SETEX", "b", "100", "v"], [[`0:SET b v PXAT ${abs}`]]],
      [["PSETEX", "b", "100000", "v"], [[`0:SET b v PXAT ${abs}`]]],
      [["SET", "c", "1", "GET", "KEEPTTL"], [["0:SET c 1 KEEPTTL"]]],
      [["SET", "c", "2", "NX"], []],
      [["GETSET", "c", "3"], [["0:SET c 3"]]],
      [["GETDEL", "c"], [["0:DEL c"]]],
      [["DEL", "nokey"], []],
      [["EXPIRE", "a", "100", "nx"], []],
      [["EXPIRE", "b", "100"], [[`0:PEXPIREAT b ${abs}`]]],
      [["PEXPIRE", "b", "100000", "GT"], []],
      [
        ["EXPIREAT", "b", String(Math.floor(abs / 1000) + 10)],
        [[`0:PEXPIREAT b ${(Math.floor(abs / 1000) + 10) * 1000}`]],
      ],
      [["EXPIRE", "b", "-1"], [["0:DEL b"]]],
      [["SET", "f", "1.5"], [["0:SET f 1.5"]]],
      [["INCRBYFLOAT", "f", "1"], [["0:SET f 2.5 KEEPTTL"]]],
      [["SADD", "s", "x"], [["0:SADD s x"]]],
      [["SPOP", "s"], [["0:SREM s x"]]],
      [["SADD", "s", "p", "q"], [["0:SADD s p q"]]],
      [["SPOP", "s", "5"], [["0:DEL s"]]],
      [["FLUSHDB"], [["0:FLUSHDB"]]],
      [["FLUSHALL"], [["0:FLUSHALL"]]],
      [["SELECT", "5"], []],
      [["SET", "k5", "v"], [["5:SET k5 v"]]],
      [["GET", "k5"], []],
      [["INCR", "notthere", "extra"], []],
    ];
    for (const [argv, expected] of script) {
      units.length = 0;
      await c.call(...argv);
      expect(units, argv.join(" ")).toEqual(expected);
    }
  });

  it("SPOP with a count below the size propagates one SREM per member in one unit", async () => {
    const h = await start();
    const units = recordPropagation(h);
    const c = await raw(h);
    await c.call("SADD", "s", "a", "b", "c", "d");
    units.length = 0;
    await c.call("SPOP", "s", "2");
    expect(units.length).toBe(1);
    expect(units[0].length).toBe(2);
    for (const op of units[0]) expect(op).toMatch(/^0:SREM s [abcd]$/);
  });

  it("MULTI/EXEC is one unit, and a failed command inside propagates nothing of its own", async () => {
    const h = await start();
    const units = recordPropagation(h);
    const c = await raw(h);
    await c.call("LPUSH", "l", "x");
    units.length = 0;
    for (const cmd of [["MULTI"], ["SET", "a", "1"], ["INCR", "l"], ["SELECT", "1"], ["SET", "b", "2"], ["GET", "a"]])
      await c.call(...cmd);
    expect(await c.call("EXEC")).toBe(
      "*5\r\n+OK\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n+OK\r\n+OK\r\n$-1\r\n",
    );
    expect(units).toEqual([["0:SET a 1", "1:SET b 2"]]);
  });

  it("a lazily expired key found by a write is deleted first, in the same unit", async () => {
    const t = clock();
    const h = await start({}, t.now);
    const units = recordPropagation(h);
    const c = await raw(h);
    await c.call("SET", "f", "1", "PX", "100");
    t.advance(200);
    units.length = 0;
    await c.call("SET", "f", "2");
    expect(units).toEqual([["0:DEL f", "0:SET f 2"]]);
    await c.call("SET", "g", "1", "PX", "100");
    t.advance(200);
    units.length = 0;
    expect(await c.call("GET", "g")).toBe("$-1\r\n");
    expect(units).toEqual([["0:DEL g"]]);
    expect(String(await c.call("INFO", "stats"))).toContain("expired_keys:2");
  });
});

describe("expiry", () => {
  it("active expiry deletes expired keys and propagates each DEL as its own unit", async () => {
    const t = clock();
    const h = await start({}, t.now);
    const units = recordPropagation(h);
    const c = await raw(h);
    for (let i = 0; i < 50; i++) await c.call("SET", `k${i}`, "v", "PX", "1000");
    await c.call("SET", "keep", "v", "EX", "100");
    units.length = 0;
    t.advance(2000);
    let expired = 0;
    for (let i = 0; i < 20 && expired < 50; i++) expired += h.activeExpireCycle().expired;
    expect(expired).toBe(50);
    expect(units.length).toBe(50);
    expect(units.every((u) => u.length === 1 && /^0:DEL k\d+$/.test(u[0]))).toBe(true);
    expect(await c.call("DBSIZE")).toBe(":1\r\n");
  });

  it("the cron runs active expiry by itself", async () => {
    const t = clock();
    const h = await start({ hz: "100" }, t.now);
    const c = await raw(h);
    await c.call("SET", "k", "v", "PX", "10");
    t.advance(100);
    for (let i = 0; i < 500 && (await c.call("DBSIZE")) !== ":0\r\n"; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await c.call("DBSIZE")).toBe(":0\r\n");
  });

  it("in replica mode expired keys are hidden, never deleted, and visible to the master link", async () => {
    const t = clock();
    const h = await start({}, t.now);
    const units = recordPropagation(h);
    const c = await raw(h);
    await c.call("SET", "k", "v", "PX", "100");
    h.server.keyspace.mode = "replica";
    t.advance(1000);
    units.length = 0;
    expect(await c.call("GET", "k")).toBe("$-1\r\n");
    expect(await c.call("EXISTS", "k")).toBe(":0\r\n");
    expect(await c.call("TTL", "k")).toBe(":-2\r\n");
    expect(h.activeExpireCycle().expired).toBe(0);
    expect(await c.call("DBSIZE")).toBe(":1\r\n");
    expect(await c.call("EXPIRE", "x", "-1")).toBe(":0\r\n");
    expect(units).toEqual([]);
    const master = await raw(h);
    await master.call("PING");
    const masterClient = [...h.server.clients.values()].find(
      (cl) => cl.id === Math.max(...h.server.clients.keys()),
    ) as Client;
    masterClient.kind = "master";
    masterClient.reply.muted = true;
    master.sendRaw(encodeCommand(["APPEND", "k", "w"]));
    await c.call("PING");
    expect(h.server.keyspace.dbs[0].getRaw("k")?.value).toEqual({ type: "string", value: Buffer.from("vw") });
  });
});

describe("hooks for the replication layer", () => {
  it("beforeCommand refuses at queue time and at EXEC like processCommand", async () => {
    const h = await start();
    let readonly = false;
    h.server.hooks.beforeCommand = (_client, info) =>
      readonly && info.isWrite ? "READONLY You can't write against a read only replica." : null;
    const c = await raw(h);
    readonly = true;
    expect(await c.call("SET", "a", "1")).toBe("-READONLY You can't write against a read only replica.\r\n");
    expect(await c.call("GET", "a")).toBe("$-1\r\n");
    await c.call("MULTI");
    expect(await c.call("SET", "a", "1")).toBe("-READONLY You can't write against a read only replica.\r\n");
    expect(await c.call("EXEC")).toBe("-EXECABORT Transaction discarded because of previous errors.\r\n");
    readonly = false;
    await c.call("MULTI");
    expect(await c.call("SET", "a", "1")).toBe("+QUEUED\r\n");
    readonly = true;
    expect(await c.call("EXEC")).toBe(
      "-EXECABORT Transaction discarded because of: READONLY You can't write against a read only replica.\r\n",
    );
    expect(await c.call("EXEC")).toBe("-ERR EXEC without MULTI\r\n");
  });

  it("CLIENT KILL TYPE master/replica uses the kinds the replication layer sets", async () => {
    const h = await start();
    const a = await raw(h);
    const b = await raw(h);
    const admin = await raw(h);
    await a.call("PING");
    await b.call("PING");
    const [ca, cb] = [...h.server.clients.values()];
    ca.kind = "master";
    cb.kind = "replica";
    expect(await admin.call("CLIENT", "KILL", "TYPE", "master")).toBe(":1\r\n");
    expect(await admin.call("CLIENT", "KILL", "TYPE", "slave")).toBe(":1\r\n");
    expect(await a.readUntilClose()).toBe("");
    expect(await b.readUntilClose()).toBe("");
  });

  it("config change events and the replication INFO provider", async () => {
    const h = await start();
    const seen: string[] = [];
    h.server.config.onChange((name, value) => seen.push(`${name}=${String(value)}`));
    h.server.info.setProvider("replication", () => ["role:slave", "master_host:127.0.0.1"]);
    const c = await raw(h);
    expect(await c.call("CONFIG", "SET", "repl-backlog-size", "1", "slave-read-only", "no")).toBe("+OK\r\n");
    expect(seen).toEqual(["repl-backlog-size=16384", "replica-read-only=false"]);
    expect(String(await c.call("INFO", "replication"))).toContain(
      "# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\n",
    );
  });
});

describe("networking", () => {
  it("many servers in one process are independent", async () => {
    const servers = await Promise.all([start(), start(), start(), start()]);
    const clients = await Promise.all(servers.map((s) => raw(s)));
    await Promise.all(clients.map((c, i) => c.call("SET", "k", String(i))));
    expect(await Promise.all(clients.map((c) => c.call("GET", "k")))).toEqual([
      "$1\r\n0\r\n",
      "$1\r\n1\r\n",
      "$1\r\n2\r\n",
      "$1\r\n3\r\n",
    ]);
    expect(new Set(servers.map((s) => s.port)).size).toBe(4);
  });

  it("a taken port rejects with a clear message", async () => {
    const h = await start();
    await expect(startServer({ config: { port: String(h.port) } })).rejects.toThrow(
      `127.0.0.1:${h.port}: address already in use`,
    );
  });

  it("bad options reject startServer", async () => {
    await expect(startServer({ config: { nosuch: "1" } })).rejects.toThrow("Bad server option 'nosuch'");
    await expect(startServer({ config: { hz: "abc" } })).rejects.toThrow("argument couldn't be parsed into an integer");
  });

  it("start-up repl-backlog-size is not clamped, CONFIG SET is", async () => {
    const h = await start({ "repl-backlog-size": "1" });
    const c = await raw(h);
    expect(await c.call("CONFIG", "GET", "repl-backlog-size")).toBe("*2\r\n$17\r\nrepl-backlog-size\r\n$1\r\n1\r\n");
  });

  it("garbage on one client does not disturb another", async () => {
    const h = await start();
    const good = await raw(h);
    const bad = await raw(h);
    await good.call("SET", "k", "v");
    bad.sendRaw(Buffer.from([0x2a, 0x31, 0x0d, 0x0a, 0x2b, 0xff, 0x01, 0x0d, 0x0a]));
    expect(await bad.readUntilClose()).toBe("-ERR Protocol error: expected '$', got '+'\r\n");
    const bad2 = await raw(h);
    bad2.sendRaw(Buffer.alloc(100_000, 0x41));
    expect(await bad2.readUntilClose()).toBe("-ERR Protocol error: too big inline request\r\n");
    expect(await good.call("GET", "k")).toBe("$1\r\nv\r\n");
  });

  it("client-query-buffer-limit closes the client without a reply", async () => {
    const h = await start({ "client-query-buffer-limit": "1mb" });
    const c = await raw(h);
    c.sendRaw(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${4 * 1024 * 1024}\r\n`);
    c.sendRaw(Buffer.alloc(2 * 1024 * 1024, 0x61));
    expect(await c.readUntilClose()).toBe("");
  });

  it("1000 pipelined commands get their replies in few socket writes", async () => {
    const h = await start();
    const writes: number[] = [];
    const client = h.server.createClient({
      write: (chunks) => writes.push(chunks.length),
      close: () => {},
      remoteAddress: "127.0.0.1",
      remotePort: 1,
      localAddress: "127.0.0.1",
      localPort: h.port,
    });
    const pipeline = Buffer.concat(Array.from({ length: 1000 }, (_, i) => encodeCommand(["SET", `k${i}`, "v"])));
    h.server.feed(client, pipeline);
    h.server.flushAll();
    expect(writes.length).toBe(1);
    expect(h.server.keyspace.dbs[0].size).toBe(1000);
  });

  it("QUIT replies +OK and closes; SHUTDOWN calls onShutdown", async () => {
    let shutdowns = 0;
    const h = await startServer({ onShutdown: () => shutdowns++ });
    handles.push(h);
    const c = await raw(h);
    expect(await c.call("QUIT")).toBe("+OK\r\n");
    expect(await c.readUntilClose()).toBe("");
    const d = await raw(h);
    d.sendRaw(encodeCommand(["SHUTDOWN", "NOSAVE"]));
    for (let i = 0; i < 100 && shutdowns === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(shutdowns).toBe(1);
  });

  it("close() closes clients and the listener", async () => {
    const h = await startServer();
    const c = await RawClient.connect(h.port);
    await c.call("PING");
    await h.close();
    expect(await c.readUntilClose()).toBe("");
    await expect(
      new Promise((resolve, reject) => {
        const s = net.connect(h.port, "127.0.0.1");
        s.once("connect", () => {
          s.destroy();
          resolve("connected");
        });
        s.once("error", reject);
      }),
    ).rejects.toThrow();
  });
});
