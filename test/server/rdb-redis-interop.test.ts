// Interop with the real redis-server 7.0.15: it must load what our writer produces, and our reader must
// load what it produces, in every encoding, including the framing of a real full sync.

import { readFile, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import fc from "fast-check";
import type { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { Entry } from "../../server/keyspace/types.js";
import { readRdb } from "../../server/rdb/reader.js";
import { SyncPayloadReceiver } from "../../server/rdb/sync-payload.js";
import { writeRdb, type RdbSnapshot } from "../../server/rdb/writer.js";
import { databases as arbitraryDatabases } from "./rdb-support/arbitraries.js";
import { canonicalLines, fetchKeyspace } from "./rdb-support/dataset.js";
import { redis62File, redis70File } from "./rdb-support/legacy-files.js";
import {
  checkRdbFile,
  makeTempDir,
  redisAvailability,
  removeDir,
  startRedis,
  strictMode,
  type RedisProcess,
} from "./rdb-support/redis-process.js";

const availability = redisAvailability();
const runLive = availability.ok;
if (!runLive && !strictMode()) {
  console.warn(`[rdb interop] skipping the real-Redis tests: ${availability.reason}`);
}

/** Everything started here, so afterAll can stop what a failing test left behind. */
const started = new Set<RedisProcess>();
const tempDirs = new Set<string>();

async function tempDir(): Promise<string> {
  const dir = await makeTempDir();
  tempDirs.add(dir);
  return dir;
}

async function withRedis<T>(opts: Parameters<typeof startRedis>[0], body: (r: RedisProcess) => Promise<T>): Promise<T> {
  const r = await startRedis(opts);
  started.add(r);
  try {
    return await body(r);
  } finally {
    await r.stop();
    started.delete(r);
  }
}

afterAll(async () => {
  for (const r of started) await r.stop();
  for (const dir of tempDirs) await removeDir(dir);
});

/** Writes `file` as <tmp>/x.rdb, checks it with redis-check-rdb, loads it into a server, returns its keyspace. */
async function loadIntoRedis(
  file: Buffer,
  args: string[] = [],
): Promise<{ keyspace: Map<number, Map<string, Entry>>; info: string }> {
  const dir = await tempDir();
  const path = join(dir, "x.rdb");
  await writeFile(path, file);
  await checkRdbFile(path);
  return withRedis({ dir, dbfilename: "x.rdb", args }, async (r) => ({
    keyspace: await fetchKeyspace(r.client),
    info: String(await r.client.call("INFO", "replication")),
  }));
}

const FUTURE = Date.now() + 3_600_000;
const str = (s: string | Buffer): Entry => ({
  value: { type: "string", value: typeof s === "string" ? Buffer.from(s, "latin1") : s },
});

function noise(n: number, seed = 7): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** A keyspace that hits every edge the writer has: integer text, LZF, big collections, binary, expiry. */
function edgeKeyspace(): Map<string, Entry>[] {
  const db0 = new Map<string, Entry>();
  for (const t of [
    "",
    "0",
    "-0",
    "007",
    "127",
    "128",
    "-129",
    "32768",
    "2147483647",
    "2147483648",
    "-2147483648",
    "9223372036854775807",
    "9223372036854775808",
    " 1",
    "1.5",
  ]) {
    db0.set(`str:${t}`, str(t));
    db0.set(t === "" ? "\x00" : t, str(`key is ${t}`));
  }
  db0.set("compressible", str("abc".repeat(5000)));
  db0.set("incompressible", str(noise(100_000)));
  db0.set("exactly-21", str("a".repeat(21)));
  db0.set("binary\x00\xff\r\n", {
    value: { type: "string", value: Buffer.from([0, 255, 13, 10, 0]) },
    expireAt: FUTURE + 1,
  });
  db0.set("list-small", {
    value: { type: "list", value: ["a", "1", "", "-5", "x".repeat(100)].map((s) => Buffer.from(s)) },
  });
  db0.set("list-big", {
    value: { type: "list", value: Array.from({ length: 20_000 }, (_, i) => Buffer.from(i % 3 ? `e${i}` : String(i))) },
  });
  db0.set("list-huge-element", {
    value: { type: "list", value: [Buffer.from("h".repeat(200_000)), noise(70_000, 3)] },
  });
  db0.set("set-ints", { value: { type: "set", value: new Set(["1", "2", "-3", "1099511627776"]) } });
  db0.set("set-ints-big", {
    value: { type: "set", value: new Set(Array.from({ length: 1000 }, (_, i) => String(i * 7 - 300))) },
  });
  db0.set("set-mixed", { value: { type: "set", value: new Set(["a", "1", "b\x00c", "007"]) } });
  db0.set("set-big", { value: { type: "set", value: new Set(Array.from({ length: 2000 }, (_, i) => `member-${i}`)) } });
  db0.set("zset-small", {
    value: {
      type: "zset",
      value: new Map([
        ["a", 1],
        ["b", -Infinity],
        ["c", Infinity],
        ["d", 1.5e-300],
        ["e", -0.125],
        ["g", 0],
      ]),
    },
  });
  // A skiplist keeps a -0 score; a small (listpack) zset would turn it into 0 inside Redis.
  db0.set("zset-big", {
    value: {
      type: "zset",
      value: new Map([
        ...Array.from({ length: 500 }, (_, i) => [`m${i}`, i / 7 - 30] as [string, number]),
        ["neg-zero", -0],
      ]),
    },
  });
  db0.set("hash-small", {
    value: {
      type: "hash",
      value: new Map([
        ["f", Buffer.from("v")],
        ["n", Buffer.from("42")],
        ["", Buffer.from("")],
      ]),
    },
  });
  db0.set("hash-long-value", { value: { type: "hash", value: new Map([["f", Buffer.from("v".repeat(1000))]]) } });
  db0.set("hash-big", {
    value: {
      type: "hash",
      value: new Map(Array.from({ length: 1000 }, (_, i) => [`f${i}`, Buffer.from(String(i))] as [string, Buffer])),
    },
  });
  const db1 = new Map<string, Entry>([["in-db-1", { ...str("one"), expireAt: FUTURE }]]);
  const db15 = new Map<string, Entry>([["in-db-15", str("fifteen")]]);
  return [db0, db1, new Map(), ...Array.from({ length: 12 }, () => new Map<string, Entry>()), db15];
}

const snapshot = (databases: Map<string, Entry>[], extra: Partial<RdbSnapshot> = {}): RdbSnapshot => ({
  databases,
  checksum: true,
  compression: true,
  now: () => Date.now(),
  ...extra,
});

describe.runIf(runLive)("real redis-server loads what the writer writes", () => {
  for (const compression of [true, false]) {
    for (const checksum of [true, false]) {
      it(`edge-case keyspace (compression ${compression ? "on" : "off"}, checksum ${checksum ? "on" : "off"})`, async () => {
        const dbs = edgeKeyspace();
        const { keyspace } = await loadIntoRedis(writeRdb(snapshot(dbs, { compression, checksum })));
        expect(canonicalLines(keyspace)).toEqual(canonicalLines(dbs));
      });
    }
  }

  it("arbitrary keyspaces (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryDatabases(4, 20, FUTURE, FUTURE + 10 * 365 * 86_400_000),
        fc.boolean(),
        async (dbs, compression) => {
          const { keyspace } = await loadIntoRedis(writeRdb(snapshot(dbs, { compression })));
          expect(canonicalLines(keyspace, false)).toEqual(canonicalLines(dbs, false));
        },
      ),
      { numRuns: 12 },
    );
  });

  it("takes the repl info aux fields (7.0 master restart: replid2/second offset from the file)", async () => {
    const replId = "0123456789abcdef0123456789abcdef01234567";
    const file = writeRdb(
      snapshot([new Map([["k", str("v")]])], { replInfo: { replId, replOffset: 1000, streamDb: 0 } }),
    );
    const { info } = await loadIntoRedis(file);
    expect(info).toContain(`master_replid2:${replId}`);
    expect(info).toContain("second_repl_offset:1001");
    expect(info).toContain("master_repl_offset:1000");
  });

  for (const compress of [false, true]) {
    it(`loads the hand-built 6.2 and 7.0 encodings the same way our reader does (${compress ? "LZF" : "raw"} blobs)`, async () => {
      for (const legacy of [redis62File(compress), redis70File(compress)]) {
        const ours = readRdb(legacy.file);
        expect(canonicalLines(ours.databases)).toEqual(canonicalLines(legacy.expected));
        const { keyspace } = await loadIntoRedis(legacy.file);
        expect(canonicalLines(keyspace)).toEqual(canonicalLines(ours.databases));
      }
    });
  }
});

/** Fills a server with every type in every 7.0 encoding (small and big, packed and plain, compressed). */
async function populate(c: Redis): Promise<void> {
  const call = (...args: (string | Buffer | number)[]) => c.call(String(args[0]), ...args.slice(1));
  await call("SET", "s:int", "12345");
  await call("SET", "s:neg", "-7");
  await call("SET", "s:bigint", "9223372036854775807");
  await call("SET", "s:minus-zero", "-0");
  await call("SET", "s:lead-zero", "007");
  await call("SET", "s:embstr", "short text");
  await call("SET", "s:raw", "r".repeat(100));
  await call("SET", "s:lzf", "hello world ".repeat(500));
  await call("SET", "s:noise", noise(10_000));
  await call("SET", Buffer.from([0, 1, 2, 255]), Buffer.from([255, 0, 10, 13]));
  await call("SET", "s:expiring", "soon", "PXAT", String(FUTURE));
  await call("SET", "s:empty", "");
  // Lists: small (one listpack node), big and compressed (list-compress-depth 1), plain nodes.
  await call(
    "RPUSH",
    "l:small",
    "a",
    "1",
    "-1",
    "127",
    "128",
    "4095",
    "-4096",
    "4096",
    "32767",
    "-32768",
    "32768",
    "8388607",
    "-8388608",
    "8388608",
    "2147483647",
    "-2147483648",
    "2147483648",
    "9223372036854775807",
    "-9223372036854775808",
    "",
    "s".repeat(63),
    "t".repeat(64),
    "u".repeat(4095),
    "v".repeat(5000),
  );
  const big = Array.from({ length: 30_000 }, (_, i) => (i % 2 ? `element-${i}` : String(i)));
  for (let i = 0; i < big.length; i += 1000) await call("RPUSH", "l:big", ...big.slice(i, i + 1000));
  await call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1000");
  await call("RPUSH", "l:plain", "small", "p".repeat(2000), "tiny", noise(3000, 5));
  // Sets: intset of each width, big intset (hashtable), string sets.
  await call("SADD", "set:int16", "1", "2", "-300");
  await call("SADD", "set:int32", "70000", "-5");
  await call("SADD", "set:int64", "1099511627776", "-4611686018427387904");
  await call("SADD", "set:int-big", ...Array.from({ length: 600 }, (_, i) => String(i * 3)));
  await call("SADD", "set:str", "a", "b", "c\x00d");
  await call("SADD", "set:str-big", ...Array.from({ length: 1000 }, (_, i) => `m${i}`));
  // Sorted sets: listpack (small) and skiplist (big or long members).
  await call("ZADD", "z:small", "1", "a", "1.5", "b", "-inf", "c", "inf", "d", "3.14159", "e", "-2", "f", "1e300", "g");
  const zargs: string[] = [];
  for (let i = 0; i < 300; i++) zargs.push(String(i / 3), `member-${i}`);
  await call("ZADD", "z:big", ...zargs);
  await call("ZADD", "z:long-member", "5", "m".repeat(100));
  // Hashes: listpack (small, with long values allowed), hashtable (big or long values).
  await call("HSET", "h:small", "f1", "v1", "f2", "12345", "f3", "", "f4", "-9223372036854775808");
  await call("HSET", "h:big", ...Array.from({ length: 1200 }, (_, i) => [`field-${i}`, `value-${i}`]).flat());
  await call("HSET", "h:long-value", "f", "x".repeat(100));
  await call("CONFIG", "SET", "hash-max-listpack-value", "10000");
  await call("HSET", "h:listpack-long", "f", "y".repeat(5000), "g", "z".repeat(300));
  await call("CONFIG", "SET", "hash-max-listpack-value", "64");
  // Other dbs.
  await call("SELECT", "3");
  await call("SET", "db3:key", "three");
  await call("HSET", "db3:hash", "a", "b");
  await call("SELECT", "0");
  await call(
    "FUNCTION",
    "LOAD",
    "#!lua name=replcheck_lib\nredis.register_function('replcheck_f', function() return 1 end)",
  );
}

const ENCODINGS_EXPECTED: Record<string, string> = {
  "s:int": "int",
  "s:embstr": "embstr",
  "s:raw": "raw",
  "l:small": "quicklist",
  "l:big": "quicklist",
  "set:int16": "intset",
  "set:int-big": "hashtable",
  "set:str": "hashtable",
  "z:small": "listpack",
  "z:big": "skiplist",
  "h:small": "listpack",
  "h:big": "hashtable",
  "h:listpack-long": "listpack",
};

describe.runIf(runLive)("the reader loads what real redis-server writes", () => {
  it("every type in every 7.0 encoding, after SAVE", async () => {
    const dir = await tempDir();
    await withRedis({ dir, args: ["--enable-debug-command", "yes", "--list-compress-depth", "1"] }, async (r) => {
      await populate(r.client);
      for (const [key, encoding] of Object.entries(ENCODINGS_EXPECTED)) {
        expect(String(await r.client.call("OBJECT", "ENCODING", key)), key).toBe(encoding);
      }
      const live = await fetchKeyspace(r.client);
      await r.client.call("SAVE");
      const dump = await readFile(join(dir, "dump.rdb"));
      const ours = readRdb(dump);
      expect(ours.version).toBe(10);
      expect(ours.checksum).toBe("verified");
      expect(ours.aux.get("redis-ver")).toBe("7.0.15");
      expect(ours.functions.length).toBe(1);
      expect(canonicalLines(ours.databases)).toEqual(canonicalLines(live));
      // The dump really contains the compact forms (type bytes 11, 16, 17, 18) and LZF blobs (0xc3).
      for (const type of [0x0b, 0x10, 0x11, 0x12, 0x02, 0x04, 0x05])
        expect(dump.includes(Buffer.from([type]))).toBe(true);
    });
  });

  it("a stream in the dump gives a clear unsupported-type error", async () => {
    const dir = await tempDir();
    await withRedis({ dir }, async (r) => {
      await r.client.call("XADD", "stream", "*", "f", "v");
      await r.client.call("SAVE");
      const dump = await readFile(join(dir, "dump.rdb"));
      expect(() => readRdb(dump)).toThrow(/unsupported type 19 \(stream\)/);
    });
  });

  it("repl info written by a replica (SAVE on a synced replica)", async () => {
    const masterDir = await tempDir();
    const replicaDir = await tempDir();
    await withRedis(
      { dir: masterDir, args: ["--repl-ping-replica-period", "3600", "--repl-diskless-sync-delay", "0"] },
      async (m) => {
        await m.client.call("SET", "k", "v");
        await m.client.call("SELECT", "2");
        await m.client.call("SET", "k2", "v2");
        await withRedis({ dir: replicaDir, args: ["--replicaof", "127.0.0.1", String(m.port)] }, async (rep) => {
          for (let i = 0; i < 200; i++) {
            const info = String(await rep.client.call("INFO", "replication"));
            if (info.includes("master_link_status:up")) break;
            await new Promise((res) => setTimeout(res, 50));
          }
          expect(String(await rep.client.call("INFO", "replication"))).toContain("master_link_status:up");
          // A write in db 2 through the stream makes the replica's master client select db 2.
          await m.client.call("SET", "k3", "v3");
          const masterOffset = Number(
            /master_repl_offset:(\d+)/.exec(String(await m.client.call("INFO", "replication")))?.[1],
          );
          let info = "";
          for (let i = 0; i < 200; i++) {
            info = String(await rep.client.call("INFO", "replication"));
            if (info.includes(`master_repl_offset:${masterOffset}\r`)) break;
            await new Promise((res) => setTimeout(res, 50));
          }
          expect(info).toContain(`master_repl_offset:${masterOffset}\r`);
          const replId = /master_replid:(\w+)/.exec(info)?.[1];
          await rep.client.call("SAVE");
          const ours = readRdb(await readFile(join(replicaDir, "dump.rdb")));
          expect(ours.replInfo).toEqual({ replId, replOffset: masterOffset, streamDb: 2 });
          expect(canonicalLines(ours.databases)).toEqual(canonicalLines(await fetchKeyspace(rep.client)));
        });
      },
    );
  });

  for (const diskless of [true, false]) {
    it(`frames a real full sync (${diskless ? "diskless: $EOF:<mark>" : "disk: $<len>"}) and the payload loads`, async () => {
      const dir = await tempDir();
      await withRedis(
        {
          dir,
          args: [
            "--repl-diskless-sync",
            diskless ? "yes" : "no",
            "--repl-diskless-sync-delay",
            "0",
            "--repl-ping-replica-period",
            "3600",
          ],
        },
        async (m) => {
          await m.client.call("SET", "k", "v".repeat(3000));
          await m.client.call("RPUSH", "l", "a", "b");
          const { payload, receiver } = await fakeReplicaFullSync(m.port);
          expect(receiver.mode).toBe(diskless ? "eof-mark" : "length");
          const ours = readRdb(payload);
          expect(canonicalLines(ours.databases)).toEqual(canonicalLines(await fetchKeyspace(m.client)));
          expect(ours.replInfo?.replId).toMatch(/^[0-9a-f]{40}$/);
        },
      );
    });
  }
});

/** Acts as a replica with capa eof: REPLCONF, PSYNC ? -1, then collects the payload through the receiver. */
async function fakeReplicaFullSync(port: number): Promise<{ payload: Buffer; receiver: SyncPayloadReceiver }> {
  const socket = connect(port, "127.0.0.1");
  const receiver = new SyncPayloadReceiver();
  const chunks: Buffer[] = [];
  try {
    return await new Promise((resolve, reject) => {
      let header = Buffer.alloc(0);
      let stage: "replconf" | "psync" | "payload" = "replconf";
      const timer = setTimeout(() => reject(new Error(`full sync timed out in stage ${stage}`)), 20_000);
      const feed = (data: Buffer): void => {
        const progress = receiver.push(data);
        chunks.push(...progress.data);
        if (progress.done) {
          clearTimeout(timer);
          resolve({ payload: Buffer.concat(chunks), receiver });
        }
      };
      socket.on("error", reject);
      socket.on("data", (data: Buffer) => {
        try {
          if (stage === "payload") return feed(data);
          header = Buffer.concat([header, data]);
          const nl = header.indexOf("\r\n");
          if (nl < 0) return;
          const line = header.subarray(0, nl).toString();
          const rest = header.subarray(nl + 2);
          header = Buffer.alloc(0);
          if (stage === "replconf") {
            if (line !== "+OK") throw new Error(`REPLCONF answered ${line}`);
            stage = "psync";
            socket.write("PSYNC ? -1\r\n");
            if (rest.length) socket.emit("data", rest);
          } else {
            if (!line.startsWith("+FULLRESYNC")) throw new Error(`PSYNC answered ${line}`);
            stage = "payload";
            if (rest.length) feed(rest);
          }
        } catch (e) {
          clearTimeout(timer);
          reject(e);
        }
      });
      socket.write("REPLCONF capa eof capa psync2\r\n");
    });
  } finally {
    socket.destroy();
  }
}

// Registered only when it must fail, so a machine with Redis reports no skipped test.
if (!runLive && strictMode()) {
  describe("real redis-server required (REPLCHECK_STRICT)", () => {
    it("has redis-server and redis-check-rdb", () => {
      throw new Error(`REPLCHECK_STRICT is set but the real-Redis tests cannot run: ${availability.reason}`);
    });
  });
}
