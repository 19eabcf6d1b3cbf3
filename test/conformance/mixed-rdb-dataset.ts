// The dataset the mixed RDB tests send through a full sync: every data type the scenario generator
// draws, in every encoding Redis 7.0 gives them in memory and so writes to an RDB (int, embstr and
// raw strings, LZF-compressible and incompressible big strings; quicklists of listpacks, one node
// or many, compressed nodes, every listpack integer width and string length class; intsets of each
// width and hashtable sets; listpack and skiplist zsets with special scores; listpack and
// hashtable hashes), with expiries, in several dbs. And a byte-exact reader of a node's dataset.

import type { Redis } from "ioredis";

/** A write, in the db it goes to. */
export interface DatasetWrite {
  db: number;
  argv: (string | Buffer)[];
}

/** Absolute expiries (unix ms) far in the future, distinct per key so a mix-up shows. */
export const EXPIRE_BASE_MS = 4_102_444_800_000; // 2100-01-01

/** Deterministic bytes (xorshift): incompressible for LZF, the same on every run. */
export function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const rep = (c: string, n: number) => c.repeat(n);

// Each listpack integer width (7-bit uint, 13, 16, 24, 32 and 64-bit) at its bounds, and each
// string length class (6-bit, 12-bit, 32-bit lengths) at its bounds.
const LISTPACK_INTEGERS = [
  "0",
  "127",
  "128",
  "-1",
  "4095",
  "-4096",
  "32767",
  "-32768",
  "8388607",
  "-8388608",
  "2147483647",
  "-2147483648",
  "9223372036854775807",
  "-9223372036854775808",
];
const LISTPACK_STRINGS = ["", "a", rep("x", 63), rep("y", 64), rep("z", 4095), rep("w", 4096), "12a", "007", " 1"];

/** The writes, in order (per db). `bigBytes` scales the big values (1 MiB by default). */
export function mixedDataset(bigBytes = 1024 * 1024): DatasetWrite[] {
  const w: DatasetWrite[] = [];
  const add = (db: number, ...argv: (string | Buffer)[]) => w.push({ db, argv });
  let expiries = 0;
  const expire = (db: number, key: string) => add(db, "PEXPIREAT", key, String(EXPIRE_BASE_MS + ++expiries * 1000));

  // Strings: int-encoded (32-bit and beyond), embstr, raw, empty, binary, LZF-compressible, big.
  for (const [k, v] of [
    ["s:int", "12345"],
    ["s:neg", "-7"],
    ["s:int64max", "9223372036854775807"],
    ["s:int64min", "-9223372036854775808"],
    ["s:notint", "0123"],
    ["s:embstr", "hello"],
    ["s:raw", rep("r", 45)],
    ["s:empty", ""],
    ["s:float", "3.25"],
  ] as const)
    add(0, "SET", k, v);
  add(0, "SET", "s:binary", Buffer.from(range(256)));
  add(0, Buffer.from("SET"), Buffer.from([0xff, 0x00, 0x80, 0x0a]), "binary key");
  add(0, "SET", "s:lzf", rep("abcdefgh", 4096));
  add(0, "SET", "s:big", pseudoRandomBytes(bigBytes, 7));
  add(0, "SET", "s:bigzip", rep("0123456789", Math.floor(bigBytes / 10)));
  expire(0, "s:embstr");
  expire(0, "s:int");
  expire(0, "s:big");

  // Lists: one listpack node with every integer width and string class; many nodes; a node per
  // huge element; and the generator's own shapes (l:k1 ...).
  add(0, "RPUSH", "l:widths", ...LISTPACK_INTEGERS, ...LISTPACK_STRINGS);
  add(0, "RPUSH", "l:many", ...range(5000).map((i) => `element-${i}`));
  add(0, "RPUSH", "l:huge", "before", pseudoRandomBytes(200_000, 11), "after");
  add(0, "LPUSH", "l:k1", "a", "bb", "12", "-7");
  add(0, "RPUSH", "l:binary", Buffer.from([0, 1, 2, 255]), Buffer.from(range(200)));
  expire(0, "l:widths");
  expire(0, "l:many");

  // Sets: intsets of 16, 32 and 64-bit members; hashtable sets (strings, or more than 512 ints).
  add(0, "SADD", "st:int16", "1", "2", "-5", "32767");
  add(0, "SADD", "st:int32", "1", "70000", "-2147483648");
  add(0, "SADD", "st:int64", "1", "5000000000", "-9223372036854775808", "9223372036854775807");
  add(0, "SADD", "s:k1", "m1", "m2", "m3");
  add(0, "SADD", "st:manyints", ...range(600).map(String));
  add(0, "SADD", "st:mixed", "1", "m1", rep("v", 100));
  expire(0, "st:int16");
  expire(0, "s:k1");

  // Sorted sets: listpack (small), skiplist (many members, or a member over 64 bytes); integer,
  // fractional, huge and infinite scores.
  add(0, "ZADD", "z:k1", "1", "m1", "2.5", "m2", "-3", "m3", "0.125", "m4");
  add(
    0,
    "ZADD",
    "z:scores",
    "inf",
    "pinf",
    "-inf",
    "ninf",
    "1e300",
    "huge",
    "-1e-300",
    "tiny",
    "0.1",
    "tenth",
    "3.0000000000000004",
    "precise",
    "0",
    "zero",
  );
  add(0, "ZADD", "z:many", ...range(300).flatMap((i) => [String(i / 7), `member-${i}`]));
  add(0, "ZADD", "z:longmember", "1", rep("m", 100), "2", "short");
  expire(0, "z:k1");
  expire(0, "z:many");

  // Hashes: listpack (small), hashtable (many fields, or a value over 64 bytes).
  add(0, "HSET", "h:k1", "m1", "a", "m2", "12", "m3", "-7", "m4", "9223372036854775807");
  add(0, "HSET", "h:many", ...range(300).flatMap((i) => [`field-${i}`, String(i * 3)]));
  add(0, "HSET", "h:longvalue", "f", rep("v", 100), "g", "short");
  add(0, "HSET", "h:binary", Buffer.from([0xc3, 0x28]), Buffer.from(range(64)));
  expire(0, "h:k1");
  expire(0, "h:many");

  // Other dbs, as the generator's db choice reaches them (1, 9, 10) and the last one (15).
  for (const db of [1, 9, 10, 15]) {
    add(db, "SET", "k1", `in db ${db}`);
    add(db, "SET", "k2", String(db * 1000));
    add(db, "RPUSH", "l:k2", "x", String(db));
    add(db, "SADD", "s:k2", String(db), "7");
    add(db, "ZADD", "z:k2", String(db), "m1");
    add(db, "HSET", "h:k2", "m1", String(db));
    expire(db, "k1");
    expire(db, "z:k2");
  }
  return w;
}

/** One key as a node holds it: its type, its value (sorted where the type has no order), its TTL. */
export interface KeyContent {
  type: string;
  value: string[];
  /** PTTL when read; -1 without expiry. */
  pttl: number;
}

/** Per db, per key (hex of its bytes): everything a full sync must carry. */
export type DatasetContent = Record<number, Record<string, KeyContent>>;

const hex = (b: Buffer) => b.toString("hex");

/**
 * Reads every key of every db in `dbs`, byte-exact (Buffers, shown as hex), through `client`
 * (which it leaves on db 0). Set members and hash fields are sorted; lists and zsets keep their order.
 */
export async function readDataset(client: Redis, dbs: readonly number[]): Promise<DatasetContent> {
  const out: DatasetContent = {};
  for (const db of dbs) {
    await client.call("SELECT", String(db));
    const keys: Buffer[] = [];
    let cursor = "0";
    do {
      const [next, batch] = (await client.callBuffer("SCAN", cursor, "COUNT", "1000")) as [Buffer, Buffer[]];
      cursor = next.toString();
      keys.push(...batch);
    } while (cursor !== "0");
    const content: Record<string, KeyContent> = {};
    for (const key of keys) {
      const type = String(await client.call("TYPE", key));
      const pttl = Number(await client.call("PTTL", key));
      content[hex(key)] = { type, value: await readValue(client, type, key), pttl };
    }
    if (keys.length > 0) out[db] = content;
  }
  await client.call("SELECT", "0");
  return out;
}

async function readValue(client: Redis, type: string, key: Buffer): Promise<string[]> {
  const read = async (...argv: string[]) => {
    const reply = (await client.callBuffer(argv[0], key, ...argv.slice(1))) as Buffer | Buffer[];
    return (Array.isArray(reply) ? reply : [reply]).map(hex);
  };
  switch (type) {
    case "string":
      return read("GET");
    case "list":
      return read("LRANGE", "0", "-1");
    case "set":
      return (await read("SMEMBERS")).sort();
    case "zset":
      return read("ZRANGE", "0", "-1", "WITHSCORES");
    case "hash": {
      const flat = await read("HGETALL");
      const pairs = range(flat.length / 2).map((i) => `${flat[2 * i]}=${flat[2 * i + 1]}`);
      return pairs.sort();
    }
    default:
      throw new Error(`the mixed dataset has no key of type ${type}`);
  }
}

/**
 * The content with each TTL replaced by whether the key has one: the values must be equal on both
 * nodes, the TTLs only agree with the absolute expiry (see expiryAgrees).
 */
export function withoutTtl(
  content: DatasetContent,
): Record<number, Record<string, Omit<KeyContent, "pttl"> & { expires: boolean }>> {
  return Object.fromEntries(
    Object.entries(content).map(([db, keys]) => [
      db,
      Object.fromEntries(
        Object.entries(keys).map(([k, { type, value, pttl }]) => [k, { type, value, expires: pttl >= 0 }]),
      ),
    ]),
  );
}

/**
 * Whether a PTTL read between `before` and `after` (unix ms, this machine's clock, which the nodes
 * share) agrees with an absolute expiry `at`: the server computed it as `at - now` with `now` in
 * that interval (1 ms of rounding either side).
 */
export function expiryAgrees(pttl: number, at: number, before: number, after: number): boolean {
  return pttl >= at - after - 1 && pttl <= at - before + 1;
}

/** Each expiring key's absolute expiry, from the writes (db -> hex key -> unix ms). */
export function expectedExpiries(writes: readonly DatasetWrite[]): Record<number, Record<string, number>> {
  const out: Record<number, Record<string, number>> = {};
  for (const { db, argv } of writes) {
    if (String(argv[0]) !== "PEXPIREAT") continue;
    out[db] ??= {};
    out[db][hex(Buffer.from(argv[1]))] = Number(argv[2]);
  }
  return out;
}
