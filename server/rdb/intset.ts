// Intset blobs (src/intset.c), stored by SET_INTSET:
//   <encoding u32le: 2, 4 or 8 bytes per element> <length u32le> <sorted little-endian signed integers>
// Returns the members as decimal text (latin1 strings), in stored order.

import { ByteCursor } from "./byte-cursor.js";

const HEADER_SIZE = 8;

export function parseIntset(blob: Buffer, baseOffset = 0): string[] {
  const cur = new ByteCursor(blob, 0, blob.length, baseOffset, "intset");
  const width = cur.u32le("the encoding");
  if (width !== 2 && width !== 4 && width !== 8) cur.fail(`invalid encoding ${width}`, 0);
  const length = cur.u32le("the length");
  if (HEADER_SIZE + width * length !== blob.length) {
    cur.fail(`${length} elements of ${width} bytes do not fill ${blob.length - HEADER_SIZE} bytes`, 4);
  }
  const members: string[] = [];
  for (let i = 0; i < length; i++) {
    const at = HEADER_SIZE + i * width;
    if (width === 2) members.push(String(blob.readInt16LE(at)));
    else if (width === 4) members.push(String(blob.readInt32LE(at)));
    else members.push(String(blob.readBigInt64LE(at)));
  }
  return members;
}
