// Zipmap blobs (src/zipmap.c), the hash encoding of Redis <= 2.4 (HASH_ZIPMAP):
//   <count byte> (<len> key <len> <free byte> value <free bytes>)* 0xFF
// where <len> is one byte if < 254, else 0xFE + u32le. Returns field/value pairs in order.

import { ByteCursor } from "./byte-cursor.js";

const BIG_LEN = 254;
const END = 255;

function readLen(cur: ByteCursor, what: string): number {
  const first = cur.u8(what);
  if (first < BIG_LEN) return first;
  if (first === BIG_LEN) return cur.u32le(what);
  return cur.fail(`unexpected end marker reading ${what}`, cur.pos - 1);
}

export function parseZipmap(blob: Buffer, baseOffset = 0): Array<[Buffer, Buffer]> {
  const cur = new ByteCursor(blob, 0, blob.length, baseOffset, "zipmap");
  cur.u8("the count");
  const pairs: Array<[Buffer, Buffer]> = [];
  for (;;) {
    if (cur.remaining > 0 && blob[cur.pos] === END) {
      cur.pos++;
      break;
    }
    const field = cur.view(readLen(cur, "a field length"), "a field");
    const valueLength = readLen(cur, "a value length");
    const free = cur.u8("the free byte count");
    const value = cur.view(valueLength, "a value");
    cur.need(free, "free bytes");
    cur.pos += free;
    pairs.push([field, value]);
  }
  if (cur.pos !== blob.length) cur.fail("data after the end marker");
  return pairs;
}
