import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Entry } from "../../server/keyspace/types.js";
import { readRdb } from "../../server/rdb/reader.js";
import { rdbChunks, writeRdb, type RdbSnapshot } from "../../server/rdb/writer.js";
import { databases, replInfo } from "./rdb-support/arbitraries.js";
import { canonicalLines } from "./rdb-support/dataset.js";

const NOW = 1_700_000_000_123;

const snapshot = (dbs: Map<string, Entry>[], extra: Partial<RdbSnapshot> = {}): RdbSnapshot => ({
  databases: dbs,
  checksum: true,
  compression: true,
  now: () => NOW,
  ...extra,
});

describe("RDB writer -> reader round trip", () => {
  it("reproduces arbitrary keyspaces (binary keys, integer-like text, big values, expiry, dbs, repl info)", () => {
    fc.assert(
      fc.property(
        databases(),
        fc.option(replInfo()),
        fc.boolean(),
        fc.boolean(),
        (dbs, repl, checksum, compression) => {
          const snap = snapshot(dbs, { checksum, compression, ...(repl ? { replInfo: repl } : {}) });
          const file = writeRdb(snap);
          const back = readRdb(file);
          expect(canonicalLines(back.databases)).toEqual(canonicalLines(dbs));
          expect(back.version).toBe(10);
          expect(back.length).toBe(file.length);
          expect(back.checksum).toBe(checksum ? "verified" : "zero");
          expect(back.replInfo).toEqual(repl ?? undefined);
          expect(back.aux.get("ctime")).toBe(String(Math.floor(NOW / 1000)));
          // Only non-empty dbs appear.
          for (const [, db] of back.databases) expect(db.size).toBeGreaterThan(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("writes the aux fields in rdbSaveInfoAuxFields order", () => {
    const file = writeRdb(
      snapshot([], { replInfo: { replId: "f".repeat(40), replOffset: 987654321, streamDb: 3 }, usedMem: 123456 }),
    );
    const back = readRdb(file);
    expect([...back.aux.keys()]).toEqual([
      "redis-ver",
      "redis-bits",
      "ctime",
      "used-mem",
      "repl-stream-db",
      "repl-id",
      "repl-offset",
      "aof-base",
    ]);
    expect(back.aux.get("redis-ver")).toBe("7.0.15");
    expect(back.aux.get("used-mem")).toBe("123456");
    expect(back.aux.get("aof-base")).toBe("0");
    expect(file.subarray(0, 9).toString()).toBe("REDIS0010");
    expect(back.databases.size).toBe(0);
    const plain = readRdb(writeRdb(snapshot([])));
    expect([...plain.aux.keys()]).toEqual(["redis-ver", "redis-bits", "ctime", "used-mem", "aof-base"]);
    expect(plain.replInfo).toBeUndefined();
  });

  it("streams in chunks that concatenate to the one-buffer form", () => {
    fc.assert(
      fc.property(databases(3, 40), fc.integer({ min: 16, max: 70_000 }), (dbs, chunkSize) => {
        const snap = snapshot(dbs);
        const chunks = [...rdbChunks(snap, chunkSize)];
        for (const c of chunks.slice(0, -1)) expect(c.length).toBe(chunkSize);
        expect(Buffer.concat(chunks).equals(writeRdb(snap))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("encodes integer-looking strings exactly as Redis does and decodes them byte for byte", () => {
    const values = [
      "0",
      "-0",
      "007",
      "127",
      "-128",
      "128",
      "32767",
      "-32768",
      "32768",
      "2147483647",
      "-2147483648",
      "2147483648",
      "9223372036854775808",
      "-1",
      " 1",
      "+1",
    ];
    const db = new Map<string, Entry>(values.map((v) => [v, { value: { type: "string", value: Buffer.from(v) } }]));
    const file = writeRdb(snapshot([db], { compression: false }));
    const back = readRdb(file).databases.get(0) as Map<string, Entry>;
    for (const v of values) {
      const e = back.get(v);
      expect(e?.value.type).toBe("string");
      expect((e!.value.value as Buffer).toString()).toBe(v);
    }
    // "127" as a key and value: INT8 encoding c0 7f, twice.
    expect(file.includes(Buffer.from([0x00, 0xc0, 0x7f, 0xc0, 0x7f]))).toBe(true);
    // "-0" stays raw text: length 2 then the bytes.
    expect(file.includes(Buffer.from([0x00, 0x02, 0x2d, 0x30, 0x02, 0x2d, 0x30]))).toBe(true);
  });

  it("skips empty collections and empty dbs, as Redis never stores them", () => {
    const db0 = new Map<string, Entry>([
      ["empty-list", { value: { type: "list", value: [] } }],
      ["empty-set", { value: { type: "set", value: new Set() } }],
    ]);
    const db1 = new Map<string, Entry>([
      ["k", { value: { type: "string", value: Buffer.from("v") }, expireAt: 5 }],
      ["e", { value: { type: "hash", value: new Map() } }],
    ]);
    const back = readRdb(writeRdb(snapshot([db0, db1])));
    expect([...back.databases.keys()]).toEqual([1]);
    expect([...(back.databases.get(1) as Map<string, Entry>).keys()]).toEqual(["k"]);
    expect(back.databases.get(1)?.get("k")?.expireAt).toBe(5);
  });

  it("refuses to write a NaN score", () => {
    const db = new Map<string, Entry>([["z", { value: { type: "zset", value: new Map([["m", NaN]]) } }]]);
    expect(() => writeRdb(snapshot([db]))).toThrow(/NaN/);
  });
});
