// Listpack blobs (src/listpack.c), as stored by HASH_LISTPACK, ZSET_LISTPACK and QUICKLIST_2 nodes:
//   <total bytes u32le> <count u16le, 65535 = unknown> <entry>* 0xFF
// entry = <encoding+data> <backlen: size of encoding+data, 1..5 bytes, 7 bits per byte>.
// Encodings by first byte: 0xxxxxxx 7-bit uint | 10xxxxxx 6-bit-length string | 110xxxxx 13-bit int |
// 1110xxxx 12-bit-length string | F0 32-bit-length string | F1/F2/F3/F4 16/24/32/64-bit int | FF end.
// Integers are two's complement little-endian; they come back as their decimal text.

import { ByteCursor } from "./byte-cursor.js";

const HEADER_SIZE = 6;
const UNKNOWN_COUNT = 0xffff;
const EOF = 0xff;

function backlenSize(entrySize: number): number {
  if (entrySize <= 127) return 1;
  if (entrySize < 16383) return 2;
  if (entrySize < 2097151) return 3;
  if (entrySize < 268435455) return 4;
  return 5;
}

/** Decodes the backlen that ends at `end` (exclusive), reading right to left as lpDecodeBacklen does. */
function decodeBacklen(buf: Buffer, end: number, size: number): number {
  let value = 0;
  let shift = 0;
  for (let k = 1; k <= size; k++) {
    value += (buf[end - k] & 0x7f) * 2 ** shift;
    shift += 7;
  }
  return value;
}

const intText = (v: number | bigint): Buffer => Buffer.from(String(v), "latin1");

/**
 * Parses a listpack into its entries, in order. String entries are views into `blob`; integer entries
 * are new Buffers with the decimal text. `baseOffset` locates the blob in the file for error messages.
 */
export function parseListpack(blob: Buffer, baseOffset = 0): Buffer[] {
  const cur = new ByteCursor(blob, 0, blob.length, baseOffset, "listpack");
  cur.need(HEADER_SIZE + 1, "the header");
  const totalBytes = cur.u32le("the total size");
  if (totalBytes !== blob.length) cur.fail(`header says ${totalBytes} bytes, blob has ${blob.length}`, 0);
  const count = cur.u16le("the element count");
  const entries: Buffer[] = [];
  for (;;) {
    const start = cur.pos;
    const first = cur.u8("an entry");
    if (first === EOF) break;
    let value: Buffer;
    if (first < 0x80) {
      value = intText(first);
    } else if (first < 0xc0) {
      value = cur.view(first & 0x3f, "a string entry");
    } else if (first < 0xe0) {
      const raw = ((first & 0x1f) << 8) | cur.u8("a 13-bit integer");
      value = intText(raw >= 0x1000 ? raw - 0x2000 : raw);
    } else if (first < 0xf0) {
      const len = ((first & 0x0f) << 8) | cur.u8("a 12-bit string length");
      value = cur.view(len, "a string entry");
    } else {
      switch (first) {
        case 0xf0:
          value = cur.view(cur.u32le("a 32-bit string length"), "a string entry");
          break;
        case 0xf1:
          value = intText(cur.view(2, "a 16-bit integer").readInt16LE(0));
          break;
        case 0xf2:
          value = intText(cur.view(3, "a 24-bit integer").readIntLE(0, 3));
          break;
        case 0xf3:
          value = intText(cur.i32le("a 32-bit integer"));
          break;
        case 0xf4:
          value = intText(cur.i64le("a 64-bit integer"));
          break;
        default:
          return cur.fail(`invalid entry encoding 0x${first.toString(16)}`, start);
      }
    }
    const entrySize = cur.pos - start;
    const blSize = backlenSize(entrySize);
    cur.need(blSize, "an entry's back length");
    if (decodeBacklen(blob, cur.pos + blSize, blSize) !== entrySize) {
      cur.fail("entry back length does not match the entry", cur.pos);
    }
    cur.pos += blSize;
    entries.push(value);
  }
  if (cur.pos !== blob.length) cur.fail("data after the end marker");
  if (count !== UNKNOWN_COUNT && count !== entries.length) {
    cur.fail(`header says ${count} entries, found ${entries.length}`, 4);
  }
  return entries;
}
