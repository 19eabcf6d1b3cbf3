import { describe, expect, it } from "vitest";
import { RdbType } from "../../server/rdb/constants.js";
import { readRdb } from "../../server/rdb/reader.js";
import { encodeListpack } from "./rdb-support/blob-encoders.js";
import { canonicalLines } from "./rdb-support/dataset.js";
import { LUA_LIBRARY, redis62File, redis70File } from "./rdb-support/legacy-files.js";
import { RawRdb } from "./rdb-support/raw-rdb.js";

describe("RDB reader: encodings the writer never produces", () => {
  for (const compress of [false, true]) {
    const label = compress ? "LZF-compressed blobs" : "raw blobs";

    it(`loads Redis 6.2 encodings (ziplist, zipmap, intset, QUICKLIST, text-double ZSET, EXPIRETIME) — ${label}`, () => {
      const { file, expected } = redis62File(compress);
      const back = readRdb(file);
      expect(back.version).toBe(9);
      expect(back.aux.get("redis-ver")).toBe("6.2.14");
      expect(canonicalLines(back.databases)).toEqual(canonicalLines(expected));
    });

    it(`loads Redis 7.0 compact encodings (QUICKLIST_2 packed+plain, HASH/ZSET_LISTPACK, FUNCTION2) — ${label}`, () => {
      const { file, expected } = redis70File(compress);
      const back = readRdb(file);
      expect(canonicalLines(back.databases)).toEqual(canonicalLines(expected));
      expect(back.functions.map((f) => f.toString())).toEqual([LUA_LIBRARY]);
    });
  }

  it("loads SET_LISTPACK (7.2's type 20) when it appears", () => {
    const file = new RawRdb(10)
      .selectDb(0)
      .key(RdbType.SET_LISTPACK, "s")
      .string(encodeListpack(["a", 5, "b"]))
      .finish();
    const set = readRdb(file).databases.get(0)?.get("s");
    expect(set?.value.type).toBe("set");
    expect([...(set!.value.value as Set<string>)].sort()).toEqual(["5", "a", "b"]);
  });

  it("drops empty collections like Redis (rdbLoadObject 'empty keys skipped')", () => {
    const file = new RawRdb(10)
      .selectDb(0)
      .key(RdbType.LIST, "empty")
      .length(0)
      .key(RdbType.HASH_LISTPACK, "empty-hash")
      .string(encodeListpack([]))
      .key(RdbType.STRING, "kept")
      .string("1")
      .finish();
    expect([...(readRdb(file).databases.get(0)?.keys() ?? [])]).toEqual(["kept"]);
  });

  it("skips the pre-GA FUNCTION opcode, rebuilding the library text as Redis does", () => {
    const file = new RawRdb(10).byte(0xf6).string("lib").string("LUA").length(1).string("desc").string("body").finish();
    expect(readRdb(file).functions.map(String)).toEqual(["#!LUA name=lib\nbody"]);
  });
});
