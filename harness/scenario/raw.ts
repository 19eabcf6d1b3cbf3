// Scenario choices as fast-check generates and shrinks them. A raw step does not name concrete
// nodes' roles: it is resolved against the model's current state into concrete steps (resolve.ts),
// so that shrinking one step never turns the rest of the scenario into nonsense.

import fc from "fast-check";

export type RawStep =
  | { t: "write"; node: number; db: number; argv: readonly string[] }
  | { t: "read"; node: number; db: number; argv: readonly string[] }
  | { t: "multi"; node: number; commands: readonly (readonly string[])[] }
  | { t: "big"; node: number; key: string; size: number }
  | { t: "wait"; node: number; replicas: number; timeoutMs: number }
  | { t: "cut" | "heal" | "blackhole"; node: number }
  | { t: "throttle"; node: number; bytesPerSecond: number }
  | { t: "failover"; node: number; demoteOldMaster: boolean }
  | { t: "replicaof"; node: number; master: number }
  | { t: "backlog-size"; node: number; size: string }
  | { t: "min-replicas"; node: number; count: number }
  | { t: "restart"; node: number };

const KEYS = ["k1", "k2", "k3"];
const key = fc.constantFrom(...KEYS);
const small = fc.constantFrom("a", "bb", "ccc", "12", "-7", "0");
// INCRBYFLOAT operands exact in binary (DATA-3): the model does not emulate long double rounding.
const floatIncr = fc.constantFrom("0.5", "1.25", "-0.75", "3");
const score = fc.constantFrom("1", "2.5", "-3", "0.125");
const member = fc.constantFrom("m1", "m2", "m3", "m4");

/** Write commands over every data type the model covers (the generator's vocabulary). */
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

const db = fc.constantFrom(0, 0, 0, 1, 9, 10);

export function rawStep(nodes: number): fc.Arbitrary<RawStep> {
  const node = fc.nat(nodes - 1);
  return fc.oneof(
    { weight: 20, arbitrary: fc.record({ t: fc.constant("write" as const), node, db, argv: writeCommand }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant("read" as const), node, db, argv: readCommand }) },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant("multi" as const),
        node,
        commands: fc.array(writeCommand, { minLength: 1, maxLength: 3 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ t: fc.constant("big" as const), node, key, size: fc.integer({ min: 4000, max: 24000 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant("wait" as const),
        node,
        replicas: fc.nat(3),
        timeoutMs: fc.constantFrom(20, 50),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ t: fc.constantFrom("cut" as const, "heal" as const, "blackhole" as const), node }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant("throttle" as const),
        node,
        bytesPerSecond: fc.constantFrom(250_000, 1_000_000),
      }),
    },
    { weight: 2, arbitrary: fc.record({ t: fc.constant("failover" as const), node, demoteOldMaster: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant("replicaof" as const), node, master: node }) },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant("backlog-size" as const),
        node,
        size: fc.constantFrom("16384", "32768", "1mb"),
      }),
    },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("min-replicas" as const), node, count: fc.nat(2) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant("restart" as const), node }) },
  );
}

export function scenarioArbitrary(nodes: number, maxSteps: number): fc.Arbitrary<RawStep[]> {
  return fc.array(rawStep(nodes), { minLength: 1, maxLength: maxSteps, size: "max" });
}
