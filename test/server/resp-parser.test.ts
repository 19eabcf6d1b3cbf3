import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { RequestParser } from "../../server/resp/request-parser.js";
import { ProtocolError } from "../../server/resp/protocol-error.js";
import { splitInlineArgs } from "../../server/resp/inline-args.js";

type Outcome = { commands: string[][]; error: string | null };

/** Feeds the chunks and drains the parser after each one, like the server does. */
function parseChunks(chunks: Buffer[], maxBulkLen?: number): Outcome {
  const p = new RequestParser();
  if (maxBulkLen !== undefined) p.maxBulkLen = maxBulkLen;
  const commands: string[][] = [];
  for (const chunk of chunks) {
    p.feed(chunk);
    for (;;) {
      const r = p.next();
      if (r === null) break;
      if (r instanceof ProtocolError) return { commands, error: r.message };
      if (r.length > 0) commands.push(r.map((b) => b.toString("latin1")));
    }
  }
  return { commands, error: null };
}

const parse = (s: string | Buffer, maxBulkLen?: number): Outcome =>
  parseChunks([typeof s === "string" ? Buffer.from(s, "latin1") : s], maxBulkLen);

describe("RESP request parser: multibulk", () => {
  it("parses pipelined commands", () => {
    expect(parse("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n").commands).toEqual([["PING"], ["GET", "k"]]);
  });
  it("waits for incomplete input", () => {
    expect(parse("*2\r\n$3\r\nGET\r\n$1\r\n")).toEqual({ commands: [], error: null });
  });
  it("treats *0 and negative counts as empty requests", () => {
    expect(parse("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n").commands).toEqual([["PING"]]);
  });
  it("accepts binary bulks with CR LF and NUL inside", () => {
    expect(parse("*2\r\n$4\r\nECHO\r\n$4\r\na\r\n\0\r\n").commands).toEqual([["ECHO", "a\r\n\0"]]);
  });
  it("rejects a multibulk count beyond INT_MAX (Redis 7.0.15 limit)", () => {
    expect(parse("*2147483648\r\n").error).toBe("Protocol error: invalid multibulk length");
    expect(parse("*2147483647\r\n").error).toBeNull();
  });
  it("rejects non-canonical counts", () => {
    for (const c of ["*01\r\n", "*\r\n", "*+1\r\n", "*1x\r\n", "* 1\r\n"]) {
      expect(parse(c).error).toBe("Protocol error: invalid multibulk length");
    }
  });
  it("rejects bad bulk lengths", () => {
    expect(parse("*1\r\n$-1\r\n").error).toBe("Protocol error: invalid bulk length");
    expect(parse("*1\r\n$01\r\nx\r\n").error).toBe("Protocol error: invalid bulk length");
    expect(parse("*1\r\n$536870913\r\n").error).toBe("Protocol error: invalid bulk length");
    expect(parse("*1\r\n$536870912\r\n").error).toBeNull();
    expect(parse("*1\r\n$2000000\r\n", 1024 * 1024).error).toBe("Protocol error: invalid bulk length");
  });
  it("reports the unexpected type byte", () => {
    expect(parse("*2\r\n$4\r\nPING\r\n+x\r\n")).toEqual({
      commands: [],
      error: "Protocol error: expected '$', got '+'",
    });
  });
  it("rejects header lines longer than 64 KiB", () => {
    expect(parse(`*${"1".repeat(70000)}`).error).toBe("Protocol error: too big mbulk count string");
    expect(parse(`*1\r\n$${"1".repeat(70000)}`).error).toBe("Protocol error: too big bulk count string");
    expect(parse(`*${"1".repeat(100)}`).error).toBeNull();
  });
  it("skips the byte after CR without checking it, like Redis", () => {
    expect(parse("*1\rX$4\r\nPINGxy").commands).toEqual([["PING"]]);
  });
  it("assembles big arguments delivered in many chunks", () => {
    const value = Buffer.alloc(200_000, 0x61);
    const whole = Buffer.concat([
      Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${value.length}\r\n`),
      value,
      Buffer.from("\r\n*1\r\n$4\r\nPING\r\n"),
    ]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < whole.length; i += 1000) chunks.push(whole.subarray(i, i + 1000));
    const out = parseChunks(chunks);
    expect(out.error).toBeNull();
    expect(out.commands.length).toBe(2);
    expect(out.commands[0][2].length).toBe(200_000);
    expect(out.commands[1]).toEqual(["PING"]);
  });
});

describe("RESP request parser: inline", () => {
  it("splits on spaces and accepts LF or CRLF", () => {
    expect(parse("SET a  b\r\nGET a\nPING\r\n").commands).toEqual([["SET", "a", "b"], ["GET", "a"], ["PING"]]);
  });
  it("ignores empty lines", () => {
    expect(parse("\r\n\n  \r\nPING\r\n").commands).toEqual([["PING"]]);
  });
  it("understands double quotes with escapes and single quotes", () => {
    expect(parse('ECHO "a\\x41\\n\\"b" \'c\\\'d\' ""\r\n').commands).toEqual([["ECHO", 'aA\n"b', "c'd", ""]]);
  });
  it("starts a quoted section inside a token", () => {
    expect(parse('ECHO ab"c d"\r\n').commands).toEqual([["ECHO", "abc d"]]);
  });
  it("rejects unbalanced quotes and a closing quote followed by a letter", () => {
    for (const line of ['ECHO "abc\r\n', "ECHO 'abc\r\n", 'ECHO "a"b\r\n', "ECHO 'a'b\r\n"]) {
      expect(parse(line).error).toBe("Protocol error: unbalanced quotes in request");
    }
  });
  it("waits forever on a NUL before the newline, then fails at 64 KiB like strchr() in Redis", () => {
    expect(parse("ECHO a\0b\r\n")).toEqual({ commands: [], error: null });
    expect(parse(`ECHO a\0${"x".repeat(70000)}\n`).error).toBe("Protocol error: too big inline request");
  });
  it("rejects inline requests longer than 64 KiB", () => {
    expect(parse(`SET k ${"x".repeat(70000)}`).error).toBe("Protocol error: too big inline request");
  });
  it("keeps \\v and \\f inside unquoted tokens", () => {
    expect(splitInlineArgs(Buffer.from("a\vb c"), 0, 5)?.map(String)).toEqual(["a\vb", "c"]);
  });
});

describe("RESP request parser: properties", () => {
  const command = fc
    .array(fc.uint8Array({ maxLength: 20 }), { minLength: 1, maxLength: 5 })
    .map((args) =>
      Buffer.concat([
        Buffer.from(`*${args.length}\r\n`),
        ...args.flatMap((a) => [Buffer.from(`$${a.length}\r\n`), Buffer.from(a), Buffer.from("\r\n")]),
      ]),
    );
  const splits = (len: number) => fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, len) }), { maxLength: 12 });
  const splitAt = (buf: Buffer, points: number[]): Buffer[] => {
    const sorted = [...points].sort((a, b) => a - b);
    const out: Buffer[] = [];
    let prev = 0;
    for (const p of sorted) {
      out.push(buf.subarray(prev, p));
      prev = p;
    }
    out.push(buf.subarray(prev));
    return out;
  };

  it("arbitrary bytes never throw and give the same outcome whatever the split points", () => {
    const stream = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc
        .array(
          fc.oneof(
            command,
            fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a)),
          ),
          { maxLength: 8 },
        )
        .map((parts) => Buffer.concat(parts)),
    );
    fc.assert(
      fc.property(
        stream.chain((buf) => fc.tuple(fc.constant(buf), splits(buf.length))),
        ([buf, points]) => {
          const whole = parseChunks([buf]);
          const pieces = parseChunks(splitAt(buf, points));
          expect(pieces).toEqual(whole);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("well-formed pipelines come out exactly, whatever the split points", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 4 }), {
            minLength: 1,
            maxLength: 10,
          })
          .chain((cmds) => {
            const buf = Buffer.concat(
              cmds.map((args) =>
                Buffer.concat([
                  Buffer.from(`*${args.length}\r\n`),
                  ...args.flatMap((a) => [Buffer.from(`$${a.length}\r\n`), Buffer.from(a), Buffer.from("\r\n")]),
                ]),
              ),
            );
            return fc.tuple(fc.constant(cmds), fc.constant(buf), splits(buf.length));
          }),
        ([cmds, buf, points]) => {
          const out = parseChunks(splitAt(buf, points));
          expect(out.error).toBeNull();
          expect(out.commands).toEqual(cmds.map((args) => args.map((a) => Buffer.from(a).toString("latin1"))));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("RESP request parser: hostile input (issue 11)", () => {
  it("big arguments (collected on their own past 32 KiB) come out the same whatever the split points", () => {
    const bigCommand = fc
      .array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 30_000, max: 70_000 })), {
        minLength: 1,
        maxLength: 3,
      })
      .chain((sizes) => fc.tuple(fc.constant(sizes), fc.integer({ min: 0, max: 255 })))
      .map(([sizes, fill]) => sizes.map((n, i) => Buffer.alloc(n, (fill + i) & 0xff)));
    fc.assert(
      fc.property(
        fc.array(bigCommand, { minLength: 1, maxLength: 3 }).chain((cmds) => {
          const buf = Buffer.concat(
            cmds.map((args) =>
              Buffer.concat([
                Buffer.from(`*${args.length}\r\n`),
                ...args.flatMap((a) => [Buffer.from(`$${a.length}\r\n`), a, Buffer.from("\r\n")]),
              ]),
            ),
          );
          return fc.tuple(
            fc.constant(cmds),
            fc.constant(buf),
            fc.uniqueArray(fc.integer({ min: 0, max: buf.length }), { maxLength: 12 }),
          );
        }),
        ([cmds, buf, points]) => {
          const sorted = [...points].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let prev = 0;
          for (const at of sorted) {
            chunks.push(buf.subarray(prev, at));
            prev = at;
          }
          chunks.push(buf.subarray(prev));
          const out = parseChunks(chunks);
          expect(out.error).toBeNull();
          expect(out.commands).toEqual(cmds.map((args) => args.map((a) => a.toString("latin1"))));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("parses protocol integers exactly like string2ll: -2^63 is an empty request, one below is invalid", () => {
    expect(parse("*-9223372036854775808\r\n*1\r\n$4\r\nPING\r\n")).toEqual({ commands: [["PING"]], error: null });
    expect(parse("*-9223372036854775809\r\n").error).toBe("Protocol error: invalid multibulk length");
    expect(parse("*-99999999999999999999\r\n").error).toBe("Protocol error: invalid multibulk length");
    // bulk lengths at the 64-bit edge, with no proto-max-bulk-len in the way
    expect(parse("*1\r\n$9223372036854775807\r\n", Number.MAX_VALUE).error).toBeNull();
    expect(parse("*1\r\n$9223372036854775808\r\n", Number.MAX_VALUE).error).toBe("Protocol error: invalid bulk length");
    expect(parse("*1\r\n$18446744073709551616\r\n", Number.MAX_VALUE).error).toBe(
      "Protocol error: invalid bulk length",
    );
  });

  it("never allocates a declared bulk length up front: 5 GB declared, a few bytes sent", () => {
    const p = new RequestParser();
    p.maxBulkLen = 8 * 1024 ** 3; // CONFIG SET proto-max-bulk-len 8gb
    const before = process.memoryUsage().arrayBuffers;
    p.feed(Buffer.from("*2\r\n$4\r\nECHO\r\n$5000000000\r\nabc"));
    expect(p.next()).toBeNull(); // waits for the data, like Redis
    p.feed(Buffer.from("def"));
    expect(p.next()).toBeNull();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect(p.pendingBytes).toBe(Buffer.byteLength("*2\r\n$4\r\nECHO\r\n$5000000000\r\nabcdef"));
  });

  it("a declared 500 MB bulk costs what has arrived, not what was declared", () => {
    const p = new RequestParser();
    const before = process.memoryUsage().arrayBuffers;
    p.feed(Buffer.from("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$500000000\r\n"));
    p.feed(Buffer.alloc(100_000, 0x61));
    expect(p.next()).toBeNull();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect(p.heldBytes).toBeLessThan(200_000);
    p.release();
    expect(p.pendingBytes).toBe(0);
  });

  it("the arguments of an unfinished multibulk cost their bytes plus a few, not a Buffer each", () => {
    v8.setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const args = 1_000_000;
    const p = new RequestParser();
    const chunk = Buffer.from("$1\r\nx\r\n".repeat(9000)); // 63 KB, like one socket read
    const used = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    p.feed(Buffer.from("*2147483647\r\n"));
    expect(p.next()).toBeNull();
    const before = used();
    for (let sent = 0; sent < args; sent += 9000) {
      p.feed(chunk);
      expect(p.next()).toBeNull();
    }
    const perArg = (used() - before) / args;
    // Redis 7.0 holds about 43 bytes per argument; one Buffer view each costs over 100 in V8.
    expect(perArg).toBeLessThan(24);
    expect(p.heldBytes).toBeGreaterThan(args * 100); // what the server bounds with client-query-buffer-limit
    p.release();
  });

  it("accepts an inline line over 64 KiB when its newline came within the read that crossed the limit, like Redis's 16 KiB reads", () => {
    const line = (n: number) => `ECHO ${"x".repeat(n - 7)}\r\n`; // n bytes with CRLF
    expect(parse(line(70_000)).commands[0][1].length).toBe(70_000 - 7);
    expect(parse(line(81_902)).commands[0][1].length).toBe(81_902 - 7);
    expect(parse(line(81_932)).error).toBe("Protocol error: too big inline request");
    // the same 70 000 bytes arriving in small pieces cross 64 KiB with no newline yet
    const bytes = Buffer.from(line(70_000));
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 1000) pieces.push(bytes.subarray(i, i + 1000));
    expect(parseChunks(pieces).error).toBe("Protocol error: too big inline request");
  });

  it("refuses more than 10 arguments or bulks over 16384 bytes while authentication is required", () => {
    const unauth = (s: string) => {
      const p = new RequestParser();
      p.authRequired = () => true;
      p.feed(Buffer.from(s));
      const r = p.next();
      return r instanceof ProtocolError ? r.message : r;
    };
    expect(unauth("*11\r\n")).toBe("Protocol error: unauthenticated multibulk length");
    expect(unauth("*1\r\n$16385\r\n")).toBe("Protocol error: unauthenticated bulk length");
    expect(unauth("*10\r\n$16384\r\n")).toBeNull();
    expect(unauth("*2147483648\r\n")).toBe("Protocol error: invalid multibulk length"); // invalid comes first
  });

  it("a master may send a bare newline but no inline command", () => {
    const p = new RequestParser();
    p.isMaster = true;
    p.feed(Buffer.from("\n\r\n*1\r\n$4\r\nPING\r\nPING\r\n"));
    expect(p.next()).toEqual([]);
    expect(p.next()).toEqual([]);
    expect(p.next()).toEqual([Buffer.from("PING")]);
    expect((p.next() as ProtocolError).message).toBe("Protocol error: Master using the inline protocol. Desync?");
  });

  it("counts pending bytes exactly across reads and big arguments (a replica's reploff depends on it)", () => {
    const big = Buffer.alloc(100_000, 0x62);
    const whole = Buffer.concat([
      Buffer.from("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n"),
      big,
      Buffer.from("\r\n*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET"),
    ]);
    for (const step of [1, 7, 1000, 16_384, 70_000, whole.length]) {
      const p = new RequestParser();
      let consumed = 0;
      let received = 0;
      for (let i = 0; i < whole.length; i += step) {
        const piece = whole.subarray(i, i + step);
        p.feed(piece);
        received += piece.length;
        for (;;) {
          const r = p.next();
          if (r === null) break;
          expect(r).not.toBeInstanceOf(ProtocolError);
          consumed = received - p.pendingBytes;
        }
        expect(received - p.pendingBytes).toBe(consumed);
      }
      expect(consumed).toBe(whole.length - "*2\r\n$3\r\nGET".length);
    }
  });
});
