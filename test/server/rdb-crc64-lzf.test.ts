import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Crc64, crc64 } from "../../server/rdb/crc64.js";
import { RdbError } from "../../server/rdb/errors.js";
import { lzfCompress, lzfDecompress } from "../../server/rdb/lzf.js";

/** Bit-by-bit reference from the definition (reflected Jones polynomial), BigInt on purpose. */
function crc64Reference(data: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

describe("crc64 (Redis crc64.c)", () => {
  it("has the Redis check value", () => {
    expect(crc64(Buffer.from("123456789"))).toBe(0xe9c6d914c4b8d9can);
    expect(crc64(Buffer.alloc(0))).toBe(0n);
  });

  it("matches the bit-by-bit definition", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(crc64(data)).toBe(crc64Reference(data));
      }),
    );
  });

  it("gives the same value fed in arbitrary chunks", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(2000), { maxLength: 8 }), (data, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
        const inc = new Crc64();
        let from = 0;
        for (const p of [...points, data.length]) {
          inc.update(data.subarray(from, p));
          from = p;
        }
        expect(inc.value()).toBe(crc64(data));
        const le = inc.toBufferLE();
        expect(le.readBigUInt64LE(0)).toBe(crc64(data));
      }),
    );
  });
});

describe("LZF", () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 3000 }),
    fc
      .tuple(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 2000 }))
      .map(([unit, n]) => new Uint8Array(Buffer.concat(Array.from({ length: n }, () => Buffer.from(unit))))),
    fc.array(fc.constantFrom(0x61, 0x62, 0x63), { maxLength: 20000 }).map((a) => new Uint8Array(a)),
  );

  it("round-trips whatever it compresses", () => {
    fc.assert(
      fc.property(bytes, (data) => {
        const c = lzfCompress(data, data.length + 64);
        if (data.length === 0) return;
        expect(c).not.toBeNull();
        expect(Buffer.compare(lzfDecompress(c as Buffer, data.length), Buffer.from(data))).toBe(0);
      }),
    );
  });

  it("respects the output limit", () => {
    fc.assert(
      fc.property(bytes, fc.nat(4000), (data, limit) => {
        const c = lzfCompress(data, limit);
        if (c !== null) expect(c.length).toBeLessThanOrEqual(limit);
      }),
    );
  });

  it("compresses repetitive data well and random data not at all", () => {
    const text = Buffer.from("abcdefgh".repeat(1000));
    const c = lzfCompress(text, text.length - 4);
    expect(c).not.toBeNull();
    expect((c as Buffer).length).toBeLessThan(200);
    let x = 12345;
    const noise = Buffer.alloc(1000, 0).map(() => {
      x = (x * 1103515245 + 12345) >>> 0;
      return x >>> 24;
    });
    expect(lzfCompress(noise, noise.length - 4)).toBeNull();
  });

  it("decodes known LZF output (hand-assembled per lzf_d.c)", () => {
    // literal "abc" (ctrl 2), then a back reference of length 7 (ctrl (5<<5)|0) at distance 3 (byte 2).
    const encoded = Buffer.from([0x02, 0x61, 0x62, 0x63, 0xa0, 0x02]);
    expect(lzfDecompress(encoded, 10).toString()).toBe("abcabcabca");
    // long reference: ctrl 7<<5 + extra byte 10 -> length 7+10+2 = 19, distance 1 ("aaaa...").
    const longRef = Buffer.from([0x00, 0x61, 0xe0, 0x0a, 0x00]);
    expect(lzfDecompress(longRef, 20).toString()).toBe("a".repeat(20));
  });

  it("decodes LZF blobs captured from a Redis 7.0.15 SAVE", () => {
    // SET k <33 x "a"> was saved as c3 09 21 + these 9 bytes.
    const k = Buffer.from("016161e0140001616" + "1", "hex");
    expect(lzfDecompress(k, 33).toString()).toBe("a".repeat(33));
    // SET t "hello hello hello hello hello world" was saved as c3 11 23 + these 17 bytes.
    const t = Buffer.from("0668656c6c6f2068e00e0504776f726c64", "hex");
    expect(lzfDecompress(t, 35).toString()).toBe("hello hello hello hello hello world");
  });

  it("rejects malformed input with RdbError", () => {
    expect(() => lzfDecompress(Buffer.from([0x05, 0x61]), 6)).toThrow(RdbError); // literal past the end
    expect(() => lzfDecompress(Buffer.from([0x20, 0x05]), 3)).toThrow(RdbError); // reference before start
    expect(() => lzfDecompress(Buffer.from([0x00, 0x61]), 5)).toThrow(RdbError); // too short
    expect(() => lzfDecompress(Buffer.from([0x01, 0x61, 0x62]), 1)).toThrow(RdbError); // too long
    expect(() => lzfDecompress(Buffer.from([0x00, 0x61, 0xe0]), 9)).toThrow(RdbError); // truncated ref
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(300), (junk, len) => {
        try {
          lzfDecompress(junk, len);
        } catch (e) {
          expect(e).toBeInstanceOf(RdbError);
        }
      }),
    );
  });
});
