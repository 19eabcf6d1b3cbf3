import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Entry } from "../../server/keyspace/types.js";
import { RdbOpcode, RdbType } from "../../server/rdb/constants.js";
import { RdbError } from "../../server/rdb/errors.js";
import { readRdb } from "../../server/rdb/reader.js";
import { writeRdb } from "../../server/rdb/writer.js";
import { encodeListpack } from "./rdb-support/blob-encoders.js";
import { redis62File, redis70File } from "./rdb-support/legacy-files.js";
import { RawRdb } from "./rdb-support/raw-rdb.js";

function sampleFile(): Buffer {
  const db = new Map<string, Entry>([
    ["s", { value: { type: "string", value: Buffer.from("hello") } }],
    ["n", { value: { type: "string", value: Buffer.from("123456") }, expireAt: 1_800_000_000_000 }],
    ["lzf", { value: { type: "string", value: Buffer.from("abcabcabcabcabcabcabcabcabcabc") } }],
    ["l", { value: { type: "list", value: [Buffer.from("a"), Buffer.from("-5")] } }],
    ["set", { value: { type: "set", value: new Set(["x", "1"]) } }],
    ["z", { value: { type: "zset", value: new Map([["m", 2.5]]) } }],
    ["h", { value: { type: "hash", value: new Map([["f", Buffer.from("v")]]) } }],
  ]);
  return writeRdb({
    databases: [db, new Map([["k", { value: { type: "string", value: Buffer.from("v") } }]])],
    replInfo: { replId: "a1".repeat(20), replOffset: 77, streamDb: 0 },
    checksum: true,
    compression: true,
    now: () => 1_700_000_000_000,
  });
}

/** Reading must either succeed or fail with an RdbError: nothing else, no hang. */
function readOrRdbError(data: Buffer, verifyChecksum = true): void {
  try {
    readRdb(data, { verifyChecksum });
  } catch (e) {
    if (!(e instanceof RdbError)) throw new Error(`non-RdbError thrown: ${(e as Error)?.stack ?? e}`);
  }
}

const files: Array<[string, Buffer]> = [
  ["writer output", sampleFile()],
  ["6.2 encodings", redis62File(true).file],
  ["7.0 compact encodings", redis70File(true).file],
];

describe("RDB reader on malformed input", () => {
  for (const [name, file] of files) {
    it(`rejects every truncation of a small file with an RdbError (${name})`, () => {
      for (let len = 0; len < file.length; len++) {
        expect(() => readRdb(file.subarray(0, len)), `truncated to ${len}`).toThrow(RdbError);
      }
      expect(() => readRdb(file)).not.toThrow();
    });

    it(`survives random corruption: RdbError or a result, never a crash or hang (${name})`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(file.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
          fc.boolean(),
          (edits, verify) => {
            const bad = Buffer.from(file);
            for (const [at, byte] of edits) bad[at] = byte;
            readOrRdbError(bad, verify);
            // Without a checksum the parser is the only defence: exercise it on every position too.
            const unchecked = Buffer.from(bad);
            unchecked.fill(0, unchecked.length - 8);
            readOrRdbError(unchecked);
          },
        ),
        { numRuns: 1500 },
      );
    });
  }

  it("survives arbitrary bytes after a valid header", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        readOrRdbError(Buffer.concat([Buffer.from("REDIS0010"), tail]));
      }),
      { numRuns: 3000 },
    );
  });

  it("detects a bad checksum, and skips verification for a zero checksum like Redis", () => {
    const file = sampleFile();
    const bad = Buffer.from(file);
    bad[bad.length - 1] ^= 0x01;
    expect(() => readRdb(bad)).toThrow(/RDB CRC error/);
    expect(readRdb(bad, { verifyChecksum: false }).checksum).toBe("skipped");
    const flipped = Buffer.from(file);
    flipped[flipped.indexOf("hello") + 1] = 0x45; // "hEllo": parses, but the checksum no longer matches
    expect(() => readRdb(flipped)).toThrow(/RDB CRC error/);
    flipped.fill(0, flipped.length - 8);
    expect(readRdb(flipped).checksum).toBe("zero");
  });

  it("refuses newer versions with Redis's message, and bad magic", () => {
    const file = sampleFile();
    const v11 = Buffer.concat([Buffer.from("REDIS0011"), file.subarray(9)]);
    expect(() => readRdb(v11)).toThrow("Can't handle RDB format version 11");
    expect(() => readRdb(Buffer.concat([Buffer.from("REDIS0000"), file.subarray(9)]))).toThrow(
      "Can't handle RDB format version 0",
    );
    expect(() => readRdb(Buffer.concat([Buffer.from("REDIX0010"), file.subarray(9)]))).toThrow(/signature/);
    expect(() => readRdb(Buffer.alloc(0))).toThrow(RdbError);
  });

  it("names unsupported and unknown types and opcodes", () => {
    for (const type of [RdbType.STREAM_LISTPACKS, RdbType.STREAM_LISTPACKS_2, RdbType.STREAM_LISTPACKS_3]) {
      const file = new RawRdb(10).selectDb(0).key(type, "s").string("junk").finish();
      expect(() => readRdb(file)).toThrow(new RegExp(`unsupported type ${type} \\(stream\\)`));
    }
    for (const type of [RdbType.MODULE_PRE_GA, RdbType.MODULE_2]) {
      const file = new RawRdb(10).selectDb(0).key(type, "m").finish();
      expect(() => readRdb(file)).toThrow(new RegExp(`unsupported type ${type} \\(module value\\)`));
    }
    expect(() => readRdb(new RawRdb(10).byte(8).finish())).toThrow(/unknown type 8/);
    expect(() => readRdb(new RawRdb(10).byte(0xf4).finish())).toThrow(/unknown type 244/);
    expect(() => readRdb(new RawRdb(10).byte(RdbOpcode.MODULE_AUX).length(1).finish())).toThrow(/module aux/);
  });

  it("refuses structural corruption inside values", () => {
    const cases: Array<[string, Buffer, RegExp]> = [
      ["duplicate key", new RawRdb(10).key(0, "k").string("a").key(0, "k").string("b").finish(), /duplicated key/],
      [
        "duplicate set member",
        new RawRdb(10).key(RdbType.SET, "s").length(2).string("a").string("a").finish(),
        /duplicate set member/,
      ],
      [
        "duplicate hash field",
        new RawRdb(10).key(RdbType.HASH, "h").length(2).string("f").string("1").string("f").string("2").finish(),
        /duplicate hash field/,
      ],
      ["NaN score", new RawRdb(10).key(RdbType.ZSET, "z").length(1).string("m").byte(253).finish(), /not a number/],
      [
        "odd listpack hash",
        new RawRdb(10)
          .key(RdbType.HASH_LISTPACK, "h")
          .string(encodeListpack(["f", "v", "g"]))
          .finish(),
        /odd number/,
      ],
      [
        "bad quicklist container",
        new RawRdb(10).key(RdbType.LIST_QUICKLIST_2, "l").length(1).length(3).string("x").finish(),
        /container/,
      ],
      [
        "listpack size mismatch",
        new RawRdb(10)
          .key(RdbType.ZSET_LISTPACK, "z")
          .string(Buffer.concat([encodeListpack(["a", 1]), Buffer.from([0])]))
          .finish(),
        /listpack/,
      ],
      [
        "huge LZF claim",
        new RawRdb(10)
          .key(RdbType.STRING, "k")
          .byte(0xc3)
          .length(2)
          .length(0xffffffff)
          .bytes(Buffer.from([0, 0x61]))
          .finish(),
        /LZF length/,
      ],
      ["huge length", new RawRdb(10).key(RdbType.STRING, "k").length(0xfffffff0).finish(), /unexpected end/],
      [
        "64-bit length",
        new RawRdb(10)
          .key(RdbType.STRING, "k")
          .byte(0x81)
          .bytes(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))
          .finish(),
        /too large/,
      ],
      ["bad string encoding", new RawRdb(10).key(RdbType.STRING, "k").byte(0xc5).finish(), /unknown string encoding/],
      ["bad length encoding", new RawRdb(10).key(RdbType.LIST, "k").byte(0x82).finish(), /unknown length encoding/],
    ];
    for (const [name, file, message] of cases) {
      expect(() => readRdb(file), name).toThrow(RdbError);
      expect(() => readRdb(file), name).toThrow(message);
    }
  });

  it("never allocates from a corrupt collection count (a billion-element list in a tiny file)", () => {
    const file = new RawRdb(10).key(RdbType.LIST, "l").length(1_000_000_000).string("a").finish();
    expect(() => readRdb(file)).toThrow(RdbError);
  });
});
