// RDB length prefix (rdbSaveLen / rdbLoadLenByRef): the top two bits of the first byte select
//   00 -> 6-bit length, 01 -> 14-bit length (big-endian), 10 000000 -> 32-bit BE, 10 000001 -> 64-bit BE,
//   11 -> not a length but a special string encoding in the low 6 bits.

import type { ByteCursor } from "./byte-cursor.js";
import type { ChunkSink } from "./chunk-sink.js";

const LEN_32BIT = 0x80;
const LEN_64BIT = 0x81;

export function writeLength(sink: ChunkSink, n: number): void {
  if (n < 0x40) {
    sink.byte(n);
  } else if (n < 0x4000) {
    sink.byte(0x40 | (n >>> 8));
    sink.byte(n & 0xff);
  } else if (n <= 0xffffffff) {
    sink.byte(LEN_32BIT);
    sink.u32be(n);
  } else {
    sink.byte(LEN_64BIT);
    sink.u32be(Math.floor(n / 0x100000000));
    sink.u32be(n >>> 0);
  }
}

/**
 * Reads a length or a special encoding. Returns the length (>= 0), or for the special encodings
 * -(encoding + 1), so callers that accept both can tell them apart without allocating.
 */
export function readLengthOrEncoding(cur: ByteCursor, what: string): number {
  const first = cur.u8(what);
  switch (first >>> 6) {
    case 0:
      return first & 0x3f;
    case 1:
      return ((first & 0x3f) << 8) | cur.u8(what);
    case 3:
      return -((first & 0x3f) + 1);
    default:
      if (first === LEN_32BIT) return cur.u32be(what);
      if (first === LEN_64BIT) {
        const at = cur.pos;
        const big = cur.u64be(what);
        if (big > BigInt(Number.MAX_SAFE_INTEGER)) cur.fail(`${what}: length ${big} is too large`, at);
        return Number(big);
      }
      return cur.fail(`unknown length encoding 0x${first.toString(16)} reading ${what}`, cur.pos - 1);
  }
}

/** Reads a plain length; a special encoding here is corruption. */
export function readLength(cur: ByteCursor, what: string): number {
  const at = cur.pos;
  const n = readLengthOrEncoding(cur, what);
  if (n < 0) cur.fail(`unexpected string encoding where ${what} was expected`, at);
  return n;
}
