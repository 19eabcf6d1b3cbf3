// The generator's vocabulary: the commands scenarios draw, over every data type the model covers.

import fc from "fast-check";

const KEYS = ["k1", "k2", "k3"];
/** A key name (typed keys get a prefix: l:, h:, s:, z:). */
export const key = fc.constantFrom(...KEYS);
const small = fc.constantFrom("a", "bb", "ccc", "12", "-7", "0");
// INCRBYFLOAT operands exact in binary (DATA-3): the model does not emulate long double rounding.
const floatIncr = fc.constantFrom("0.5", "1.25", "-0.75", "3");
const score = fc.constantFrom("1", "2.5", "-3", "0.125");
const member = fc.constantFrom("m1", "m2", "m3", "m4");

/** A database: mostly 0, sometimes others (9 is written on the chosen node itself, see kinds/command.ts). */
export const db = fc.constantFrom(0, 0, 0, 1, 9, 10);

/** Write commands over every data type the model covers. */
export const writeCommand: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.tuple(key, small).map(([k, v]) => ["SET", k, v]),
  fc.tuple(key, small).map(([k, v]) => ["SET", k, v, "EX", "100000"]),
  fc.tuple(key, small).map(([k, v]) => ["SET", k, v, "NX"]),
  fc.tuple(key, small).map(([k, v]) => ["SET", k, v, "XX", "GET"]),
  fc.tuple(key, small).map(([k, v]) => ["GETSET", k, v]),
  fc.tuple(key, small).map(([k, v]) => ["APPEND", k, v]),
  fc.tuple(key, small, key, small).map(([a, x, b, y]) => (a === b ? ["MSET", a, x] : ["MSET", a, x, b, y])),
  key.map((k) => ["INCR", k]),
  fc.tuple(key, fc.constantFrom("5", "-3")).map(([k, n]) => ["INCRBY", k, n]),
  fc.tuple(key, floatIncr).map(([k, n]) => ["INCRBYFLOAT", k, n]),
  fc.tuple(key, small).map(([k, v]) => ["LPUSH", `l:${k}`, v]),
  fc.tuple(key, small, small).map(([k, v, w]) => ["RPUSH", `l:${k}`, v, w]),
  key.map((k) => ["LPOP", `l:${k}`]),
  key.map((k) => ["RPOP", `l:${k}`, "2"]),
  fc.tuple(key, member, small).map(([k, f, v]) => ["HSET", `h:${k}`, f, v]),
  fc.tuple(key, member).map(([k, f]) => ["HDEL", `h:${k}`, f]),
  fc.tuple(key, member).map(([k, f]) => ["HINCRBY", `h:${k}`, f, "2"]),
  fc.tuple(key, member, member).map(([k, a, b]) => ["SADD", `s:${k}`, a, b]),
  fc.tuple(key, member).map(([k, m]) => ["SREM", `s:${k}`, m]),
  key.map((k) => ["SPOP", `s:${k}`]),
  key.map((k) => ["SPOP", `s:${k}`, "2"]),
  fc.tuple(key, score, member).map(([k, s, m]) => ["ZADD", `z:${k}`, s, m]),
  fc.tuple(key, score, member).map(([k, s, m]) => ["ZINCRBY", `z:${k}`, s, m]),
  fc.tuple(key, member).map(([k, m]) => ["ZREM", `z:${k}`, m]),
  key.map((k) => ["DEL", k]),
  fc.tuple(key, key).map(([a, b]) => ["DEL", a, `l:${b}`]),
  key.map((k) => ["EXPIRE", k, "100000"]),
  key.map((k) => ["PEXPIREAT", k, "4102444800000"]),
  key.map((k) => ["PEXPIREAT", k, "1"]),
  key.map((k) => ["PERSIST", k]),
  fc.constant(["FLUSHDB"]),
  fc.constant(["FLUSHALL"]),
);

/**
 * Writes whose effect does not depend on a random choice (no SPOP), for steps that do not check
 * each reply: a reply is what tells the checker which of the model's outcomes happened.
 */
export const deterministicWriteCommand: fc.Arbitrary<readonly string[]> = writeCommand.filter(
  (argv) => argv[0] !== "SPOP",
);

/** Read commands, used on replicas to check convergence and on any node for replies. */
export const readCommand: fc.Arbitrary<readonly string[]> = fc.oneof(
  key.map((k) => ["GET", k]),
  key.map((k) => ["LRANGE", `l:${k}`, "0", "-1"]),
  key.map((k) => ["HGETALL", `h:${k}`]),
  key.map((k) => ["SMEMBERS", `s:${k}`]),
  key.map((k) => ["ZRANGE", `z:${k}`, "0", "-1", "WITHSCORES"]),
  key.map((k) => ["TTL", k]),
  key.map((k) => ["TYPE", k]),
  fc.constant(["DBSIZE"]),
);
