// fast-check arbitraries of client byte streams for the differential fuzzer: valid commands of the
// built-in server's data set with wrong arity and wrong types, inline commands, MULTI blocks,
// malformed headers, huge declared lengths, big arguments, binary junk, long pipelines; and where
// the stream is cut into separate writes. What is never generated, and why, is in
// known-differences.ts.

import fc from "fast-check";

/** What a generated frame is (a well-formed command, an inline one, a malformed header, junk ...). */
export type FrameKind =
  | "command"
  | "inline"
  | "wrong-arity"
  | "transaction"
  | "empty"
  | "malformed"
  | "huge-length"
  | "big-argument"
  | "long-line"
  | "junk"
  | "mutated"
  | "quit"
  | "auth";

/** One generated piece of a client stream, with its kind for the statistics. */
export interface Frame {
  kind: FrameKind;
  bytes: Buffer;
}

/** One connection's worth of input. */
export interface FuzzCase {
  /** "auth": against servers with requirepass (the unauthenticated limits, AUTH); else none. */
  profile: "default" | "auth";
  frames: Frame[];
  /** Where the stream is cut into separate writes (taken modulo its length). */
  cuts: number[];
  /** Yield to the event loop between writes, so reads are more likely to see the cuts. */
  pauses: boolean;
}

/** The requirepass of the "auth" servers of a run. */
export const AUTH_PASSWORD = "fuzz-pw";

/** All bytes a case sends, in order. */
export function caseBytes(c: FuzzCase): Buffer {
  return Buffer.concat(c.frames.map((f) => f.bytes));
}

/** The writes a case is sent as. */
export function caseChunks(c: FuzzCase): Buffer[] {
  const bytes = caseBytes(c);
  if (bytes.length === 0) return [];
  const points = [...new Set(c.cuts.map((p) => p % bytes.length).filter((p) => p > 0))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

// ---- encodings -------------------------------------------------------------------------------

const b = (s: string | Buffer): Buffer => (typeof s === "string" ? Buffer.from(s, "latin1") : s);

/** A RESP multibulk request of `args`. */
export function multibulk(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [b(`*${args.length}\r\n`)];
  for (const a of args) {
    const v = b(a);
    parts.push(b(`$${v.length}\r\n`), v, b("\r\n"));
  }
  return Buffer.concat(parts);
}

/** An inline line for args: plain when possible, else double-quoted with \xHH escapes (sdssplitargs). */
export function inline(args: readonly (string | Buffer)[], separator = " "): Buffer {
  const words = args.map((a) => {
    const v = b(a);
    const plain = v.length > 0 && v.every((c) => c > 0x20 && c < 0x7f && c !== 0x22 && c !== 0x27 && c !== 0x5c);
    if (plain) return v.toString("latin1");
    let q = '"';
    for (const c of v)
      q +=
        c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c
          ? String.fromCharCode(c)
          : `\\x${c.toString(16).padStart(2, "0")}`;
    return `${q}"`;
  });
  return b(`${words.join(separator)}\r\n`);
}

// ---- arguments -------------------------------------------------------------------------------

const KEYS = ["k", "k2", "str", "n", "f", "list", "hash", "set", "zset", "", "ÿkey", "a b"];
const key = fc.constantFrom(...KEYS);
const keys = fc.array(key, { minLength: 1, maxLength: 4 });

/** Protocol and argument integers at the edges string2ll cares about. */
export const EDGE_INTEGERS = [
  "0",
  "-0",
  "1",
  "-1",
  "2",
  "10",
  "+1",
  "01",
  "00",
  " 1",
  "1 ",
  "1.5",
  "1e3",
  "0x10",
  "",
  "x",
  "-",
  "2147483647",
  "2147483648",
  "-2147483648",
  "4294967296",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775808",
  "-9223372036854775809",
  "18446744073709551615",
  "18446744073709551616",
  "99999999999999999999",
];
const integer = fc.oneof(fc.constantFrom(...EDGE_INTEGERS), fc.integer({ min: -5, max: 20 }).map(String));

const FLOATS = [
  "0",
  "-0",
  "0.0",
  "-0.0",
  "1.5",
  "-2.25",
  "0.1",
  "1e308",
  "1e309",
  "-1e309",
  "1e-400",
  "3.0000000000000004",
  "inf",
  "-inf",
  "+inf",
  "INF",
  "nan",
  "1e",
  "1.",
  ".5",
  "5.",
  " 1",
  "0x1p3",
  "123456789012345678",
  "1e21",
  "2.5e-5",
];
const float = fc.oneof(
  fc.constantFrom(...FLOATS),
  fc.integer({ min: -10, max: 10 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
);

const value = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "v",
      "",
      "0",
      "1",
      "-1",
      "10",
      "3.5",
      "abc",
      "x y",
      '"q"',
      "a\r\nb",
      "\0",
      "ÿþ",
      "9223372036854775807",
      "1e3",
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a).toString("latin1")) },
);
const member = fc.oneof(fc.constantFrom("a", "b", "c", "m", "1", "2", "-1", "", "x".repeat(65)), value);

// Times: never a small positive one, whose outcome would depend on how fast each server is
// (known-differences.ts, "timing"): past, zero, negative, far future, or not a number.
const SECONDS = [
  "-1",
  "0",
  "-100",
  "100000",
  "1000000",
  "100000000",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775808",
  "1.5",
  "x",
  "",
  " 10",
  "+5",
];
const MILLISECONDS = [
  "-1",
  "0",
  "100000000",
  "1000000000000",
  "9223372036854775807",
  "-9223372036854775808",
  "1e3",
  "x",
];
const UNIX_SECONDS = ["0", "1", "1000", "99999999999", "9223372036854775807", "-1", "x"];
const UNIX_MS = ["0", "1", "99999999999999", "9223372036854775807", "-1", "x"];
const seconds = fc.constantFrom(...SECONDS);
const milliseconds = fc.constantFrom(...MILLISECONDS);

const flag = (...names: string[]) => fc.constantFrom(...names);
const optional = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T[]> =>
  fc.option(a, { nil: undefined }).map((v) => (v === undefined ? [] : [v]));
const some = <T>(a: fc.Arbitrary<T>, max = 3): fc.Arbitrary<T[]> => fc.array(a, { maxLength: max });
const pairs = <A, B>(x: fc.Arbitrary<A>, y: fc.Arbitrary<B>, min = 1): fc.Arbitrary<(A | B)[]> =>
  fc.array(fc.tuple(x, y), { minLength: min, maxLength: 3 }).map((ps) => ps.flat());
const tail = (...parts: fc.Arbitrary<string[]>[]): fc.Arbitrary<string[]> => fc.tuple(...parts).map((xs) => xs.flat());

const setOption = fc.oneof(
  flag("NX", "XX", "GET", "KEEPTTL", "nx", "Get").map((f) => [f]),
  fc.tuple(flag("EX", "PX", "ex"), fc.oneof(seconds, milliseconds)).map(([f, t]) => [f, t]),
  fc.tuple(flag("EXAT", "PXAT"), fc.constantFrom(...UNIX_SECONDS, ...UNIX_MS)).map(([f, t]) => [f, t]),
  flag("EX", "FOO").map((f) => [f]),
);
const zaddFlags = some(flag("NX", "XX", "GT", "LT", "CH", "INCR"), 3);
const zrangeOptions = some(
  fc.oneof(
    flag("BYSCORE", "BYLEX", "REV", "WITHSCORES").map((f) => [f]),
    fc.tuple(fc.constant("LIMIT"), integer, integer).map((x) => [...x]),
  ),
  3,
).map((xs) => xs.flat());
const zrangeBound = fc.oneof(
  integer,
  float,
  fc.constantFrom("(1", "[a", "(a", "-", "+", "-inf", "+inf", "(", "[", "a"),
);
const scanOptions = some(
  fc.oneof(
    fc.tuple(flag("MATCH", "match"), fc.constantFrom("*", "k*", "*e*", "[a-z]*", "\\", "?", "")).map((x) => [...x]),
    fc.tuple(flag("COUNT"), integer).map((x) => [...x]),
    fc
      .tuple(flag("TYPE"), fc.constantFrom("string", "list", "hash", "set", "zset", "nosuch", "STRING"))
      .map((x) => [...x]),
    flag("FOO").map((f) => [f]),
  ),
  2,
).map((xs) => xs.flat());
const expireCondition = optional(flag("NX", "XX", "GT", "LT", "nx", "FOO"));

/** Command name -> its arguments (after the name). Only commands whose replies are deterministic. */
const COMMANDS: Record<string, fc.Arbitrary<string[]>> = {
  ping: optional(value),
  echo: value.map((v) => [v]),
  get: key.map((k) => [k]),
  set: tail(
    key.map((k) => [k]),
    value.map((v) => [v]),
    some(setOption, 2).map((xs) => xs.flat()),
  ),
  setnx: fc.tuple(key, value).map((x) => [...x]),
  setex: fc.tuple(key, seconds, value).map((x) => [...x]),
  psetex: fc.tuple(key, milliseconds, value).map((x) => [...x]),
  getset: fc.tuple(key, value).map((x) => [...x]),
  getdel: key.map((k) => [k]),
  mget: keys,
  mset: pairs(key, value),
  append: fc.tuple(key, value).map((x) => [...x]),
  strlen: key.map((k) => [k]),
  incr: key.map((k) => [k]),
  decr: key.map((k) => [k]),
  incrby: fc.tuple(key, integer).map((x) => [...x]),
  decrby: fc.tuple(key, integer).map((x) => [...x]),
  incrbyfloat: fc.tuple(key, float).map((x) => [...x]),
  del: keys,
  unlink: keys,
  exists: keys,
  type: key.map((k) => [k]),
  expire: tail(
    fc.tuple(key, seconds).map((x) => [...x]),
    expireCondition,
  ),
  pexpire: tail(
    fc.tuple(key, milliseconds).map((x) => [...x]),
    expireCondition,
  ),
  expireat: tail(
    fc.tuple(key, fc.constantFrom(...UNIX_SECONDS)).map((x) => [...x]),
    expireCondition,
  ),
  pexpireat: tail(
    fc.tuple(key, fc.constantFrom(...UNIX_MS)).map((x) => [...x]),
    expireCondition,
  ),
  persist: key.map((k) => [k]),
  ttl: key.map((k) => [k]),
  pttl: key.map((k) => [k]),
  dbsize: fc.constant([]),
  flushdb: optional(flag("ASYNC", "SYNC", "async", "FOO")),
  flushall: optional(flag("ASYNC", "SYNC", "FOO")),
  select: fc.oneof(fc.constantFrom("0", "1", "15", "16", "-1", "x", "01"), integer).map((d) => [d]),
  lpush: tail(
    key.map((k) => [k]),
    fc.array(value, { minLength: 1, maxLength: 4 }),
  ),
  rpush: tail(
    key.map((k) => [k]),
    fc.array(value, { minLength: 1, maxLength: 4 }),
  ),
  lpop: tail(
    key.map((k) => [k]),
    optional(integer),
  ),
  rpop: tail(
    key.map((k) => [k]),
    optional(integer),
  ),
  lrange: fc.tuple(key, integer, integer).map((x) => [...x]),
  llen: key.map((k) => [k]),
  lindex: fc.tuple(key, integer).map((x) => [...x]),
  hset: tail(
    key.map((k) => [k]),
    pairs(member, value),
  ),
  hget: fc.tuple(key, member).map((x) => [...x]),
  hgetall: key.map((k) => [k]),
  hdel: tail(
    key.map((k) => [k]),
    fc.array(member, { minLength: 1, maxLength: 3 }),
  ),
  hlen: key.map((k) => [k]),
  hexists: fc.tuple(key, member).map((x) => [...x]),
  hincrby: fc.tuple(key, member, integer).map((x) => [...x]),
  sadd: tail(
    key.map((k) => [k]),
    fc.array(member, { minLength: 1, maxLength: 4 }),
  ),
  srem: tail(
    key.map((k) => [k]),
    fc.array(member, { minLength: 1, maxLength: 3 }),
  ),
  scard: key.map((k) => [k]),
  sismember: fc.tuple(key, member).map((x) => [...x]),
  smembers: key.map((k) => [k]),
  // only counts whose outcome is not random: none, all, or not a count (known-differences.ts)
  spop: fc.tuple(key, fc.constantFrom("0", "-1", "1000000", "x", "1.5", "9223372036854775807")).map((x) => [...x]),
  zadd: tail(
    key.map((k) => [k]),
    zaddFlags,
    pairs(float, member),
  ),
  zincrby: fc.tuple(key, float, member).map((x) => [...x]),
  zrem: tail(
    key.map((k) => [k]),
    fc.array(member, { minLength: 1, maxLength: 3 }),
  ),
  zscore: fc.tuple(key, member).map((x) => [...x]),
  zcard: key.map((k) => [k]),
  zrange: tail(
    fc.tuple(key, zrangeBound, zrangeBound).map((x) => [...x]),
    zrangeOptions,
  ),
  scan: tail(
    fc
      .oneof(
        fc.constantFrom("0", "-1", "1", "18446744073709551615", "18446744073709551616", " 0", "+0", "x", ""),
        integer,
      )
      .map((c) => [c]),
    scanOptions,
  ),
  // DEBUG is refused while enable-debug-command is off (the default of both servers)
  debug: some(fc.constantFrom("SLEEP", "0", "OBJECT", "k", "SET-ACTIVE-EXPIRE", "1", "CHANGE-REPL-ID"), 3),
  auth: some(fc.constantFrom("pw", "default", AUTH_PASSWORD, "", "x"), 3),
};

/** The names the generator sends (what known-differences.ts compares against the server's set). */
export const GENERATED_COMMANDS = Object.keys(COMMANDS).concat(["multi", "exec", "discard", "quit"]);

const commandName = (name: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(name) },
    { weight: 2, arbitrary: fc.constant(name.toUpperCase()) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
        .map((up) => [...name].map((c, i) => (up[i] ? c.toUpperCase() : c)).join("")),
    },
  );

const commandArgs: fc.Arbitrary<string[]> = fc.oneof(
  ...Object.entries(COMMANDS).map(([name, args]) => fc.tuple(commandName(name), args).map(([n, a]) => [n, ...a])),
);

const frame = (kind: FrameKind, bytes: Buffer): Frame => ({ kind, bytes });

/** A frame holding one command (multibulk or inline, sometimes with a wrong arity). */
export const commandFrame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 8, arbitrary: commandArgs.map((args) => frame("command", multibulk(args))) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(commandArgs, fc.constantFrom(" ", "  ", "\t", " \t "))
      .map(([args, sep]) => frame("inline", inline(args, sep))),
  },
  {
    weight: 2,
    // wrong arity: drop arguments or add some
    arbitrary: fc.tuple(commandArgs, fc.integer({ min: 0, max: 3 }), some(value, 3)).map(([args, drop, extra]) => {
      const out = [...args.slice(0, Math.max(1, args.length - drop)), ...(drop === 0 ? extra : [])];
      // SPOP without a count pops a random member (known-differences.ts, random-pop)
      if (out.length === 2 && out[0].toLowerCase() === "spop") out.push("1000000");
      return frame("wrong-arity", multibulk(out));
    }),
  },
);

const transactionFrames: fc.Arbitrary<Frame[]> = fc
  .tuple(fc.array(commandFrame, { maxLength: 5 }), fc.constantFrom(["EXEC"], ["DISCARD"], ["EXEC", "x"], ["MULTI"], []))
  .map(([body, end]) => [
    frame("transaction", multibulk(["MULTI"])),
    ...body,
    ...(end.length > 0 ? [frame("transaction", multibulk(end))] : []),
  ]);

/** Frames that break the protocol somewhere: each must give Redis's error and close, or wait like Redis. */
const malformedFrame: fc.Arbitrary<Frame> = fc.oneof(
  fc.constantFrom(...EDGE_INTEGERS).map((n) => frame("malformed", b(`*${n}\r\n`))),
  fc
    .tuple(fc.constantFrom(...EDGE_INTEGERS), value)
    .map(([n, v]) => frame("malformed", b(`*2\r\n$4\r\nECHO\r\n$${n}\r\n${v}\r\n`))),
  fc
    .constantFrom("+x\r\n", ":1\r\n", "*\r\n", "x\r\n", "\r\n", "\n", "\0")
    .map((t) => frame("malformed", b(`*2\r\n$4\r\nPING\r\n${t}`))),
  fc
    .constantFrom(
      "*1\r$4\r\nPING\r\n", // the byte after CR is not checked
      "*1\r\n$4\rXPING\r\n",
      "*1\r\n$3\r\nPING\r\n", // data longer than declared: the CRLF is not checked either
      "*1\0\r\n",
      "*1\r\n$4\0\r\n",
      "*2\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n",
      'ECHO "unbalanced\r\n',
      "ECHO 'a'b\r\n",
      'ECHO "a"b\r\n',
      'ECHO "\\x4"\r\n',
      "ECHO a\0b\r\n",
      "\r\r\n",
    )
    .map((s) => frame("malformed", b(s))),
);

const hugeLengthFrame: fc.Arbitrary<Frame> = fc
  .constantFrom(
    "*2147483647\r\n", // waits for the arguments
    "*2147483648\r\n",
    "*2\r\n$4\r\nECHO\r\n$536870912\r\nabc", // proto-max-bulk-len exactly: waits
    "*2\r\n$4\r\nECHO\r\n$536870913\r\n",
    "*2\r\n$4\r\nECHO\r\n$5000000000\r\nabc",
    "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\nabc",
    "*-9223372036854775808\r\n",
    "*-9223372036854775809\r\n",
  )
  .map((s) => frame("huge-length", b(s)));

const bigArgumentFrame: fc.Arbitrary<Frame> = fc
  .tuple(
    fc.integer({ min: 30_000, max: 120_000 }),
    fc.constantFrom("SET", "ECHO", "RPUSH", "APPEND"),
    fc.integer({ min: 0, max: 255 }),
  )
  .map(([n, cmd, fill]) => {
    const v = Buffer.alloc(n, fill);
    return frame("big-argument", multibulk(cmd === "ECHO" ? [cmd, v] : [cmd, "big", v]));
  });

/**
 * Long lines whose fate does not depend on where reads fall: within 64 KiB with their terminator,
 * or over 64 KiB with none at all (an error at the latest when the last byte is read).
 */
const longLineFrame: fc.Arbitrary<Frame> = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1000, max: 65_000 }), fc.integer({ min: 65_600, max: 81_000 })),
    fc.constantFrom("inline", "mbulk", "bulk"),
  )
  .map(([n, where]) => {
    const end = n <= 65_000 ? "\r\n" : "";
    if (where === "inline") return frame("long-line", b(`ECHO ${"x".repeat(n)}${end}`));
    if (where === "mbulk") return frame("long-line", b(`*${"1".repeat(n)}${end}`));
    return frame("long-line", b(`*1\r\n$${"2".repeat(n)}${end}`));
  });

const junkFrame: fc.Arbitrary<Frame> = fc
  .uint8Array({ minLength: 1, maxLength: 24 })
  .map((a) => frame("junk", Buffer.from(a)));

/** A valid command with its bytes damaged: one replaced, dropped or inserted (a protocol byte likely). */
const mutatedFrame: fc.Arbitrary<Frame> = fc
  .tuple(
    commandArgs,
    fc.nat(),
    fc.constantFrom("replace", "drop", "insert"),
    fc.oneof(
      fc.constantFrom(0x0d, 0x0a, 0x00, 0x24, 0x2a, 0x2d, 0x30, 0x39, 0x22, 0x20),
      fc.integer({ min: 0, max: 255 }),
    ),
    fc.boolean(),
  )
  .map(([args, at, how, byte, asInline]) => {
    const bytes = asInline ? inline(args) : multibulk(args);
    const i = at % bytes.length;
    const out =
      how === "replace"
        ? Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i + 1)])
        : how === "drop"
          ? Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)])
          : Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
    return frame("mutated", out);
  });

const emptyFrame: fc.Arbitrary<Frame> = fc
  .constantFrom("\r\n", "\n", "   \r\n", "*0\r\n", "*-1\r\n")
  .map((s) => frame("empty", b(s)));

/** Frames after which the server keeps reading requests. */
const frameGroup: fc.Arbitrary<Frame[]> = fc.oneof(
  { weight: 40, arbitrary: commandFrame.map((f) => [f]) },
  { weight: 4, arbitrary: transactionFrames },
  { weight: 2, arbitrary: emptyFrame.map((f) => [f]) },
  { weight: 1, arbitrary: bigArgumentFrame.map((f) => [f]) },
  {
    weight: 1,
    arbitrary: longLineFrame
      .filter((f) => f.bytes.length < 65_100 && f.bytes.at(-1) === 0x0a && f.bytes[0] === 0x45)
      .map((f) => [f]),
  },
);

/**
 * Frames that may end the connection (a protocol error, QUIT) or leave the server waiting: only
 * ever last. A server that closes with input still unread resets the connection (TCP RST), which
 * can drop the replies in flight, so nothing is sent after them.
 */
export const terminalFrame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 4, arbitrary: malformedFrame },
  { weight: 4, arbitrary: mutatedFrame },
  { weight: 2, arbitrary: hugeLengthFrame },
  { weight: 2, arbitrary: junkFrame },
  { weight: 1, arbitrary: longLineFrame },
  { weight: 1, arbitrary: fc.constant(frame("quit", multibulk(["QUIT"]))) },
);

/** AUTH, and commands before and after it. */
const authFrameGroup: fc.Arbitrary<Frame[]> = fc.oneof(
  { weight: 3, arbitrary: commandFrame.map((f) => [f]) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(["AUTH", AUTH_PASSWORD], ["AUTH", "wrong"], ["AUTH", "default", AUTH_PASSWORD], ["AUTH"])
      .map((a) => [frame("auth", multibulk(a))]),
  },
  {
    weight: 1,
    // within the unauthenticated limits
    arbitrary: fc.constantFrom<Frame[]>(
      [frame("auth", multibulk(["ECHO", "y".repeat(16_384)]))],
      [frame("auth", multibulk(["MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e"]))],
    ),
  },
);

/** The unauthenticated limits: over them is an error (and a close) only until AUTH succeeded. */
const authTerminalFrame: fc.Arbitrary<Frame> = fc.oneof(
  fc.integer({ min: 11, max: 13 }).map((n) => frame("auth", b(`*${n}\r\n`))),
  fc.constantFrom(16_385, 20_000, 100_000).map((n) => frame("auth", b(`*2\r\n$4\r\nECHO\r\n$${n}\r\n`))),
  terminalFrame,
);

/** The shape of generated cases. */
export interface CaseOptions {
  /** Share of cases for the "auth" profile, 0..1 (default 0.15). */
  authShare?: number;
  /** Most frame groups in an ordinary case (default 30); one case in 20 is a long pipeline. */
  maxGroups?: number;
}

/** The arbitrary of whole cases: a profile, frames ending in at most one terminal frame, how they are written. */
export function fuzzCase(options: CaseOptions = {}): fc.Arbitrary<FuzzCase> {
  const maxGroups = options.maxGroups ?? 30;
  const authPercent = Math.round((options.authShare ?? 0.15) * 100);
  const body = (g: fc.Arbitrary<Frame[]>) =>
    fc.oneof(
      { weight: 19, arbitrary: fc.array(g, { minLength: 1, maxLength: maxGroups, size: "max" }) },
      {
        weight: 1,
        arbitrary: fc.array(
          commandFrame.map((f) => [f]),
          { minLength: 100, maxLength: 400 },
        ),
      },
    );
  const frames = (g: fc.Arbitrary<Frame[]>, last: fc.Arbitrary<Frame>) =>
    fc
      .tuple(body(g), fc.option(last, { freq: 3, nil: undefined }))
      .map(([gs, t]) => [...gs.flat(), ...(t === undefined ? [] : [t])]);
  // No chain(): a record per profile shrinks frame by frame.
  const caseOf = (
    profile: FuzzCase["profile"],
    g: fc.Arbitrary<Frame[]>,
    last: fc.Arbitrary<Frame>,
  ): fc.Arbitrary<FuzzCase> =>
    fc.record({
      profile: fc.constant(profile),
      frames: frames(g, last),
      cuts: fc.array(fc.nat(), { maxLength: 8 }),
      pauses: fc.boolean(),
    });
  const plain = caseOf("default", frameGroup, terminalFrame);
  const auth = caseOf("auth", authFrameGroup, authTerminalFrame);
  if (authPercent <= 0) return plain;
  if (authPercent >= 100) return auth;
  return fc.oneof({ weight: 100 - authPercent, arbitrary: plain }, { weight: authPercent, arbitrary: auth });
}
