// Ziplist blobs (src/ziplist.c), stored by Redis <= 6.2 in LIST_ZIPLIST, QUICKLIST (v1) nodes,
// ZSET_ZIPLIST and HASH_ZIPLIST:
//   <zlbytes u32le> <zltail u32le> <zllen u16le, 65535 = unknown> <entry>* 0xFF
// entry = <prevlen: 1 byte if < 254, else FE + u32le> <encoding> <data>. Encodings by first byte:
// 00xxxxxx 6-bit-length string | 01xxxxxx + 1 byte 14-bit-length string (big-endian) |
// 10000000 + u32be-length string | C0/D0/E0/F0/FE int16/int32/int64/int24/int8 (little-endian) |
// F1..FD immediate 0..12. Integers come back as their decimal text.

import { ByteCursor } from "./byte-cursor.js";

const HEADER_SIZE = 10;
const UNKNOWN_COUNT = 0xffff;
const END = 0xff;
const BIG_PREVLEN = 0xfe;

const intText = (v: number | bigint): Buffer => Buffer.from(String(v), "latin1");

/** Parses a ziplist into its entries, in order (string entries are views into `blob`). */
export function parseZiplist(blob: Buffer, baseOffset = 0): Buffer[] {
  const cur = new ByteCursor(blob, 0, blob.length, baseOffset, "ziplist");
  cur.need(HEADER_SIZE + 1, "the header");
  const totalBytes = cur.u32le("the total size");
  if (totalBytes !== blob.length) cur.fail(`header says ${totalBytes} bytes, blob has ${blob.length}`, 0);
  const tail = cur.u32le("the tail offset");
  const count = cur.u16le("the entry count");
  const entries: Buffer[] = [];
  let prevSize = 0;
  let lastStart = HEADER_SIZE;
  for (;;) {
    const start = cur.pos;
    const first = cur.u8("an entry");
    if (first === END) break;
    let prevlen = first;
    if (first === BIG_PREVLEN) prevlen = cur.u32le("a previous entry length");
    if (prevlen !== prevSize) cur.fail(`previous entry length ${prevlen}, expected ${prevSize}`, start);
    const enc = cur.u8("an entry encoding");
    let value: Buffer;
    switch (enc >>> 6) {
      case 0:
        value = cur.view(enc & 0x3f, "a string entry");
        break;
      case 1:
        value = cur.view(((enc & 0x3f) << 8) | cur.u8("a 14-bit string length"), "a string entry");
        break;
      case 2:
        if (enc !== 0x80) cur.fail(`invalid entry encoding 0x${enc.toString(16)}`, cur.pos - 1);
        value = cur.view(cur.u32be("a 32-bit string length"), "a string entry");
        break;
      default:
        if (enc === 0xc0) value = intText(cur.view(2, "an int16").readInt16LE(0));
        else if (enc === 0xd0) value = intText(cur.i32le("an int32"));
        else if (enc === 0xe0) value = intText(cur.i64le("an int64"));
        else if (enc === 0xf0) value = intText(cur.view(3, "an int24").readIntLE(0, 3));
        else if (enc === 0xfe) value = intText((cur.u8("an int8") << 24) >> 24);
        else if (enc >= 0xf1 && enc <= 0xfd) value = intText((enc & 0x0f) - 1);
        else return cur.fail(`invalid entry encoding 0x${enc.toString(16)}`, cur.pos - 1);
    }
    prevSize = cur.pos - start;
    lastStart = start;
    entries.push(value);
  }
  if (cur.pos !== blob.length) cur.fail("data after the end marker");
  const expectedTail = entries.length === 0 ? HEADER_SIZE : lastStart;
  if (tail !== expectedTail) cur.fail(`tail offset ${tail}, expected ${expectedTail}`, 4);
  if (count !== UNKNOWN_COUNT && count !== entries.length) {
    cur.fail(`header says ${count} entries, found ${entries.length}`, 8);
  }
  return entries;
}
