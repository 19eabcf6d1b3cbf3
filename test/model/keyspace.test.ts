// Keyspace semantics the model relies on (spec/keyspace.md); replies as Redis 7.0.15 gives them.

import { describe, expect, it } from "vitest";
import { formatG17, formatLongDoubleHuman, isExactInDouble, parseInt64 } from "../../model/numbers.js";
import { step, type StepOutcome } from "../../model/step.js";
import { cluster, cmd, cmdDb, info, multi, run } from "./helpers.js";

const m = () => cluster("redis-7.0", ["m"]);
const reply = (...argvs: string[][]) => {
  let s = m();
  let last: StepOutcome | undefined;
  for (const argv of argvs) ({ state: s, last } = run(s, cmd("m", ...argv)));
  return last!.reply;
};
const e = (value: string) => ({ kind: "error", value });

describe("DATA-1: WRONGTYPE", () => {
  it.each([
    [["GET", "l"]],
    [["INCR", "l"]],
    [["SADD", "l", "x"]],
    [["HGET", "l", "f"]],
    [["ZADD", "l", "1", "m"]],
    [["SET", "l", "v", "GET"]],
    [["APPEND", "l", "x"]],
  ])("%j on a list", (argv) => {
    expect(reply(["RPUSH", "l", "x"], argv)).toEqual(
      e("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
  });
});

describe("DATA-2: integers", () => {
  it("non-integer values and overflows", () => {
    expect(reply(["SET", "y", "1.5"], ["INCR", "y"])).toEqual(e("ERR value is not an integer or out of range"));
    expect(reply(["INCR", "x"], ["INCRBY", "x", "9223372036854775807"])).toEqual(
      e("ERR increment or decrement would overflow"),
    );
    expect(reply(["HSET", "h", "f", "v"], ["HINCRBY", "h", "f", "1"])).toEqual(e("ERR hash value is not an integer"));
    expect(reply(["HINCRBY", "h", "n", "1.5"])).toEqual(e("ERR value is not an integer or out of range"));
    expect(reply(["SET", "n", "10"], ["DECRBY", "n", "3"])).toEqual({ kind: "int", value: 7 });
  });
  it("Redis's strict integer syntax (string2ll)", () => {
    expect(["0", "-1", "9223372036854775807", "-9223372036854775808"].map(parseInt64)).not.toContain(null);
    expect(["", "+1", "01", "-0", " 1", "1 ", "9223372036854775808", "1e3"].map(parseInt64)).toEqual(
      Array(8).fill(null),
    );
  });
});

describe("DATA-3: float formatting", () => {
  it("INCRBYFLOAT uses %.17Lf without trailing zeros", () => {
    expect(reply(["INCRBYFLOAT", "f", "1.5"], ["INCRBYFLOAT", "f", "0.25"])).toEqual({ kind: "bulk", value: "1.75" });
    expect(reply(["SET", "f", "10"], ["INCRBYFLOAT", "f", "-10"])).toEqual({ kind: "bulk", value: "0" });
    expect(formatLongDoubleHuman(3)).toBe("3");
    expect(formatLongDoubleHuman(-0.5)).toBe("-0.5");
  });
  it("operands not exact in binary are outside the model (long double rounding)", () => {
    expect(isExactInDouble("0.1")).toBe(false);
    expect(isExactInDouble("2.375")).toBe(true);
    expect(() => reply(["INCRBYFLOAT", "f", "0.1"])).toThrow(/long double/);
  });
  it("7.0 float replies are %.17g (ZINCRBY 0.1 + 0.2 = 0.30000000000000004 on 7.0.15)", () => {
    expect(formatG17(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(formatG17(1.5)).toBe("1.5");
    expect(formatG17(1e20)).toBe("1e+20");
    expect(formatG17(0.0001)).toBe("0.0001");
    expect(formatG17(0.00001)).toBe("1.0000000000000001e-05");
    expect(reply(["ZADD", "z", "0.1", "a"], ["ZINCRBY", "z", "0.2", "a"])).toEqual({
      kind: "bulk",
      value: "0.30000000000000004",
    });
  });
});

describe("DATA-4: empty collections are deleted", () => {
  it.each([
    [
      ["RPUSH", "k", "a"],
      ["LPOP", "k"],
    ],
    [
      ["SADD", "k", "a"],
      ["SREM", "k", "a"],
    ],
    [
      ["HSET", "k", "f", "v"],
      ["HDEL", "k", "f"],
    ],
    [
      ["ZADD", "k", "1", "a"],
      ["ZREM", "k", "a"],
    ],
  ])("%j then %j leaves no key", (a, b) => {
    expect(reply(a, b, ["EXISTS", "k"])).toEqual({ kind: "int", value: 0 });
  });
});

describe("DATA-5: databases", () => {
  it("are independent; FLUSHDB empties one, FLUSHALL all", () => {
    let s = run(m(), cmd("m", "SET", "k", "0"), cmdDb("m", 1, "SET", "k", "1")).state;
    expect(run(s, cmdDb("m", 1, "GET", "k")).last.reply).toEqual({ kind: "bulk", value: "1" });
    s = run(s, cmdDb("m", 1, "FLUSHDB")).state;
    expect(Object.keys(info(s, "m").dataset)).toEqual(["0"]);
    s = run(s, cmdDb("m", 1, "SET", "x", "1"), cmd("m", "FLUSHALL")).state;
    expect(info(s, "m").dataset).toEqual({});
  });
});

describe("DATA-6: MULTI/EXEC", () => {
  it("runtime errors do not abort the other commands", () => {
    const { last } = run(m(), cmd("m", "RPUSH", "l", "x"), multi("m", ["SET", "k", "v"], ["INCR", "l"], ["GET", "k"]));
    expect(last.reply).toEqual({
      kind: "array",
      value: [
        { kind: "status", value: "OK" },
        e("WRONGTYPE Operation against a key holding the wrong kind of value"),
        { kind: "bulk", value: "v" },
      ],
    });
  });
  it("a command rejected at queue time aborts EXEC", () => {
    const { last } = run(m(), multi("m", ["SET", "k", "v"], ["GET"]));
    expect(last.reply).toEqual(e("EXECABORT Transaction discarded because of previous errors."));
    expect(info(last.state, "m").dataset).toEqual({});
  });
});

describe("DATA-7: expiry", () => {
  it("a key with a future expiry is present; PERSIST removes the expiry; a past expiry deletes", () => {
    let s = run(m(), cmd("m", "SET", "k", "v", "PXAT", "4102444800000")).state;
    expect(info(s, "m").dataset[0].k.hasExpiry).toBe(true);
    expect(run(s, cmd("m", "TTL", "k")).last.reply).toMatchObject({ kind: "int-range", min: 0 });
    s = run(s, cmd("m", "PERSIST", "k")).state;
    expect(run(s, cmd("m", "TTL", "k")).last.reply).toEqual({ kind: "int", value: -1 });
    s = run(s, cmd("m", "PEXPIREAT", "k", "1")).state;
    expect(run(s, cmd("m", "TTL", "k")).last.reply).toEqual({ kind: "int", value: -2 });
  });
  it("SET with an expiry already in the past is outside the model", () => {
    expect(() => reply(["SET", "k", "v", "PXAT", "1"])).toThrow(/past/);
    expect(reply(["SET", "k", "v", "EX", "0"])).toEqual(e("ERR invalid expire time in 'set' command"));
  });
});

describe("DATA-8: unknown commands and arity", () => {
  it("use Redis's texts", () => {
    expect(reply(["FOO", "a", "b"])).toEqual(e("ERR unknown command 'FOO', with args beginning with: 'a' 'b' "));
    expect(reply(["foo"])).toEqual(e("ERR unknown command 'foo', with args beginning with: "));
    expect(reply(["GET"])).toEqual(e("ERR wrong number of arguments for 'get' command"));
    expect(reply(["HSET", "h", "f"])).toEqual(e("ERR wrong number of arguments for 'hset' command"));
  });
});

describe("replies the harness compares", () => {
  it("SPOP's reply says which member went: one outcome per member", () => {
    const s = run(m(), cmd("m", "SADD", "s", "a", "b", "c")).state;
    const replies = step(s, cmd("m", "SPOP", "s"))
      .map((o) => (o.reply as { value: string }).value)
      .sort();
    expect(replies).toEqual(["a", "b", "c"]);
  });
  it("SMEMBERS and HGETALL are unordered; ZRANGE is ordered by score then member", () => {
    expect(reply(["SADD", "s", "b", "a"], ["SMEMBERS", "s"])).toMatchObject({ order: "any" });
    expect(reply(["HSET", "h", "a", "1"], ["HGETALL", "h"])).toMatchObject({ order: "pairs-any" });
    expect(reply(["ZADD", "z", "2", "a", "1", "c", "1", "b"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"])).toEqual({
      kind: "array",
      value: ["b", "1", "c", "1", "a", "2"].map((value) => ({ kind: "bulk", value })),
    });
  });
});
