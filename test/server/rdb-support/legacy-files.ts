// Hand-assembled RDB files in the encodings our writer never produces: the Redis 6.2 era (ziplists,
// zipmap, QUICKLIST v1, text-double ZSET, second-precision expiry, IDLE/FREQ opcodes) and the Redis 7.0
// compact ones (QUICKLIST_2 with packed and plain nodes, HASH_LISTPACK, ZSET_LISTPACK, FUNCTION2). Each
// comes with the keyspace it must load as; the interop test also loads them into a real server.

import type { Entry } from "../../../server/keyspace/types.js";
import { QuicklistContainer, RdbOpcode, RdbType } from "../../../server/rdb/constants.js";
import { encodeIntset, encodeListpack, encodeZiplist, encodeZipmap, type BlobEntry } from "./blob-encoders.js";
import { RawRdb } from "./raw-rdb.js";

export interface LegacyFile {
  file: Buffer;
  expected: Map<number, Map<string, Entry>>;
}

const text = (e: BlobEntry): Buffer =>
  Buffer.from(typeof e === "string" ? e : typeof e === "object" ? e.toString("latin1") : String(e), "latin1");
const bin = (e: BlobEntry): string => text(e).toString("latin1");

function pairs(flat: BlobEntry[]): Array<[BlobEntry, BlobEntry]> {
  const out: Array<[BlobEntry, BlobEntry]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

const ALL_INT_WIDTHS: BlobEntry[] = [
  0,
  12,
  13,
  127,
  128,
  -1,
  -128,
  -129,
  4095,
  -4096,
  4096,
  -4097,
  32767,
  -32768,
  32768,
  -32769,
  8388607,
  -8388608,
  8388608,
  2147483647,
  -2147483648,
  2147483648n,
  9223372036854775807n,
  -9223372036854775808n,
];

/** Redis 6.2-style file (RDB version 9). */
export function redis62File(compress: boolean): LegacyFile {
  const db0 = new Map<string, Entry>();
  const db3 = new Map<string, Entry>();
  const rdb = new RawRdb(9, compress)
    .aux("redis-ver", "6.2.14")
    .aux("redis-bits", "64")
    .aux("ctime", "1700000000")
    .aux("used-mem", "1000000")
    .aux("aof-preamble", "0")
    .selectDb(0)
    .resizeDb(11, 1);

  const zlList: BlobEntry[] = [
    "a",
    ...ALL_INT_WIDTHS,
    "x".repeat(63),
    "y".repeat(64),
    "z".repeat(300),
    "w".repeat(16384),
    "",
  ];
  rdb.key(RdbType.LIST_ZIPLIST, "zl-list").string(encodeZiplist(zlList));
  db0.set("zl-list", { value: { type: "list", value: zlList.map(text) } });

  const node1: BlobEntry[] = ["n1a", "n1b", 5];
  const node2: BlobEntry[] = ["n2a", 1000, "q".repeat(40)];
  rdb.key(RdbType.LIST_QUICKLIST, "ql-list").length(2).string(encodeZiplist(node1)).string(encodeZiplist(node2));
  db0.set("ql-list", { value: { type: "list", value: [...node1, ...node2].map(text) } });

  const zlZset: BlobEntry[] = ["m3", "-inf", "m5", -7, "m1", 1, "m2", "1.5", "m6", "1e+300", "m4", "inf"];
  rdb.key(RdbType.ZSET_ZIPLIST, "zl-zset").string(encodeZiplist(zlZset));
  db0.set("zl-zset", {
    value: {
      type: "zset",
      value: new Map([
        ["m3", -Infinity],
        ["m5", -7],
        ["m1", 1],
        ["m2", 1.5],
        ["m6", 1e300],
        ["m4", Infinity],
      ]),
    },
  });

  const zlHash: BlobEntry[] = ["f1", "v1", "f2", 42, "f3", "", "big", "v".repeat(60), "n", -9223372036854775808n];
  rdb.key(RdbType.HASH_ZIPLIST, "zl-hash").string(encodeZiplist(zlHash));
  db0.set("zl-hash", { value: { type: "hash", value: new Map(pairs(zlHash).map(([f, v]) => [bin(f), text(v)])) } });

  const zm: Array<[string, string]> = [
    ["a", "1"],
    ["bb", "hello"],
    ["c".repeat(300), "d".repeat(10)],
  ];
  rdb.key(RdbType.HASH_ZIPMAP, "zm-hash").string(encodeZipmap(zm, 1));
  db0.set("zm-hash", { value: { type: "hash", value: new Map(zm.map(([f, v]) => [f, Buffer.from(v, "latin1")])) } });

  const sets: Array<[string, bigint[], 2 | 4 | 8]> = [
    ["intset16", [1n, -5n, 300n], 2],
    ["intset32", [70000n, -1n], 4],
    ["intset64", [1n << 40n, -(1n << 62n), 3n], 8],
  ];
  for (const [name, values, width] of sets) {
    rdb.key(RdbType.SET_INTSET, name).string(encodeIntset(values, width));
    db0.set(name, { value: { type: "set", value: new Set(values.map(String)) } });
  }

  // ZSET (type 3): scores as length-prefixed text, 253/254/255 for nan/+inf/-inf.
  rdb.key(RdbType.ZSET, "old-zset").length(4);
  rdb.string("a").byte(3).bytes(Buffer.from("1.5"));
  rdb.string("b").byte(254);
  rdb.string("c").byte(255);
  rdb.string("d").byte(5).bytes(Buffer.from("-3.25"));
  db0.set("old-zset", {
    value: {
      type: "zset",
      value: new Map([
        ["a", 1.5],
        ["b", Infinity],
        ["c", -Infinity],
        ["d", -3.25],
      ]),
    },
  });

  // Second-precision expiry (EXPIRETIME), and LRU/LFU hints before a key.
  rdb.expireSeconds(2_100_000_000).key(RdbType.STRING, "exp-sec").string("v");
  db0.set("exp-sec", { value: { type: "string", value: Buffer.from("v") }, expireAt: 2_100_000_000_000 });
  rdb.byte(RdbOpcode.IDLE).length(1234).byte(RdbOpcode.FREQ).byte(7).key(RdbType.STRING, "hinted").string("12");
  db0.set("hinted", { value: { type: "string", value: Buffer.from("12") } });

  rdb.selectDb(3).resizeDb(1, 0).key(RdbType.STRING, "k").string("in db 3");
  db3.set("k", { value: { type: "string", value: Buffer.from("in db 3") } });

  return {
    file: rdb.finish(),
    expected: new Map([
      [0, db0],
      [3, db3],
    ]),
  };
}

export const LUA_LIBRARY = "#!lua name=replcheck_lib\nredis.register_function('replcheck_f', function() return 1 end)";

/** Redis 7.0-style compact encodings, hand-built (RDB version 10). */
export function redis70File(compress: boolean): LegacyFile {
  const db0 = new Map<string, Entry>();
  const rdb = new RawRdb(10, compress)
    .aux("redis-ver", "7.0.15")
    .aux("redis-bits", "64")
    .aux("ctime", "1700000000")
    .aux("used-mem", "1000000")
    .aux("aof-base", "0");
  rdb.byte(RdbOpcode.FUNCTION2).string(LUA_LIBRARY);
  rdb.selectDb(0).resizeDb(4, 1);

  // 16378-byte string: entry size 16383 is the first that needs a 3-byte backlen.
  const packed1: BlobEntry[] = [
    ...ALL_INT_WIDTHS,
    "",
    "s".repeat(63),
    "t".repeat(64),
    "u".repeat(4095),
    "v".repeat(4096),
    "w".repeat(16378),
  ];
  const plain = Buffer.from("a plain node holds exactly one element");
  const packed2: BlobEntry[] = ["last", 1];
  rdb.key(RdbType.LIST_QUICKLIST_2, "lp-list").length(3);
  rdb.length(QuicklistContainer.PACKED).string(encodeListpack(packed1));
  rdb.length(QuicklistContainer.PLAIN).string(plain);
  rdb.length(QuicklistContainer.PACKED).string(encodeListpack(packed2));
  db0.set("lp-list", { value: { type: "list", value: [...packed1.map(text), plain, ...packed2.map(text)] } });

  const lpHash: BlobEntry[] = ["f1", "v1", "f2", 12345, "", "empty field name", "i", -4096];
  rdb.key(RdbType.HASH_LISTPACK, "lp-hash").string(encodeListpack(lpHash));
  db0.set("lp-hash", { value: { type: "hash", value: new Map(pairs(lpHash).map(([f, v]) => [bin(f), text(v)])) } });

  const lpZset: BlobEntry[] = ["c", "-inf", "a", 1, "b", "2.5", "d", "inf"];
  rdb.key(RdbType.ZSET_LISTPACK, "lp-zset").string(encodeListpack(lpZset));
  db0.set("lp-zset", {
    value: {
      type: "zset",
      value: new Map([
        ["c", -Infinity],
        ["a", 1],
        ["b", 2.5],
        ["d", Infinity],
      ]),
    },
  });

  rdb
    .expireMs(4_000_000_000_000)
    .key(RdbType.STRING, "exp-ms")
    .string(Buffer.from("x".repeat(100)));
  db0.set("exp-ms", { value: { type: "string", value: Buffer.from("x".repeat(100)) }, expireAt: 4_000_000_000_000 });

  return { file: rdb.finish(), expected: new Map([[0, db0]]) };
}
