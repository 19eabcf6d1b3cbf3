// RDB strings (rdbSaveRawString / rdbGenericLoadStringObject): a length and raw bytes, or a special
// encoding: an 8/16/32-bit little-endian integer standing for its decimal text, or an LZF blob
// (compressed length, original length, data).

import type { ByteCursor } from "./byte-cursor.js";
import type { ChunkSink } from "./chunk-sink.js";
import { RdbStringEncoding } from "./constants.js";
import { canonicalInt32FromBytes, canonicalInt32FromLatin1 } from "./integer-string.js";
import { readLength, readLengthOrEncoding, writeLength } from "./length-encoding.js";
import { lzfCompress, lzfDecompress } from "./lzf.js";

const ENCODED = 0xc0;
/** Redis does not try LZF at or below 20 bytes: nothing that short compresses. */
const LZF_MIN_LENGTH = 21;
/** Redis keeps the compressed form only if it saves at least 4 bytes. */
const LZF_MIN_SAVING = 4;
/** An LZF back reference of 3 bytes expands to at most 264: a bound on honest expansion ratios. */
const LZF_MAX_RATIO = 88;

function writeInteger(sink: ChunkSink, v: number): void {
  if (v >= -0x80 && v <= 0x7f) {
    sink.byte(ENCODED | RdbStringEncoding.INT8);
    sink.byte(v & 0xff);
  } else if (v >= -0x8000 && v <= 0x7fff) {
    sink.byte(ENCODED | RdbStringEncoding.INT16);
    sink.byte(v & 0xff);
    sink.byte((v >> 8) & 0xff);
  } else {
    sink.byte(ENCODED | RdbStringEncoding.INT32);
    sink.byte(v & 0xff);
    sink.byte((v >> 8) & 0xff);
    sink.byte((v >> 16) & 0xff);
    sink.byte((v >> 24) & 0xff);
  }
}

/** Writes the LZF form if it is worth it (as Redis decides); false if the caller must write it raw. */
function tryWriteLzf(sink: ChunkSink, data: Uint8Array): boolean {
  const compressed = lzfCompress(data, data.length - LZF_MIN_SAVING);
  if (compressed === null) return false;
  sink.byte(ENCODED | RdbStringEncoding.LZF);
  writeLength(sink, compressed.length);
  writeLength(sink, data.length);
  sink.bytes(compressed);
  return true;
}

/** Writes a byte string the way rdbSaveRawString does. */
export function writeRdbString(sink: ChunkSink, data: Uint8Array, compress: boolean): void {
  const asInt = canonicalInt32FromBytes(data);
  if (asInt !== null) return writeInteger(sink, asInt);
  if (compress && data.length >= LZF_MIN_LENGTH && tryWriteLzf(sink, data)) return;
  writeLength(sink, data.length);
  sink.bytes(data);
}

/** Writes a latin1 binary string (key, field, member) the way rdbSaveRawString does. */
export function writeRdbStringLatin1(sink: ChunkSink, s: string, compress: boolean): void {
  const asInt = canonicalInt32FromLatin1(s);
  if (asInt !== null) return writeInteger(sink, asInt);
  if (compress && s.length >= LZF_MIN_LENGTH && tryWriteLzf(sink, Buffer.from(s, "latin1"))) return;
  writeLength(sink, s.length);
  sink.latin1(s);
}

function readInteger(cur: ByteCursor, encoding: number, what: string): number {
  switch (encoding) {
    case RdbStringEncoding.INT8:
      return (cur.u8(what) << 24) >> 24;
    case RdbStringEncoding.INT16: {
      const lo = cur.u8(what);
      return (((cur.u8(what) << 8) | lo) << 16) >> 16;
    }
    default:
      return cur.i32le(what);
  }
}

function readLzf(cur: ByteCursor, what: string): Buffer {
  const at = cur.pos;
  const compressedLength = readLength(cur, `${what} (LZF compressed length)`);
  const length = readLength(cur, `${what} (LZF length)`);
  cur.need(compressedLength, `${what} (LZF data)`);
  if (length > compressedLength * LZF_MAX_RATIO) {
    cur.fail(`${what}: LZF length ${length} is impossible for ${compressedLength} compressed bytes`, at);
  }
  const data = cur.view(compressedLength, what);
  try {
    return lzfDecompress(data, length);
  } catch (e) {
    return cur.fail(`${what}: ${(e as Error).message}`, at);
  }
}

/** Reads any RDB string as a new Buffer (integer encodings come back as their decimal text). */
export function readRdbString(cur: ByteCursor, what: string): Buffer {
  const at = cur.pos;
  const n = readLengthOrEncoding(cur, what);
  if (n >= 0) return cur.copy(n, what);
  const encoding = -n - 1;
  if (encoding === RdbStringEncoding.LZF) return readLzf(cur, what);
  if (encoding > RdbStringEncoding.LZF) cur.fail(`unknown string encoding ${encoding} reading ${what}`, at);
  return Buffer.from(String(readInteger(cur, encoding, what)), "latin1");
}

/** Reads any RDB string as a latin1 binary string (for keys, fields, members). */
export function readRdbStringLatin1(cur: ByteCursor, what: string): string {
  const at = cur.pos;
  const n = readLengthOrEncoding(cur, what);
  if (n >= 0) return cur.latin1(n, what);
  const encoding = -n - 1;
  if (encoding === RdbStringEncoding.LZF) return readLzf(cur, what).toString("latin1");
  if (encoding > RdbStringEncoding.LZF) cur.fail(`unknown string encoding ${encoding} reading ${what}`, at);
  return String(readInteger(cur, encoding, what));
}

/** Reads a string without copying (for blobs parsed right away: listpacks, ziplists, intsets). */
export function readRdbStringView(cur: ByteCursor, what: string): Buffer {
  const at = cur.pos;
  const n = readLengthOrEncoding(cur, what);
  if (n >= 0) return cur.view(n, what);
  const encoding = -n - 1;
  if (encoding === RdbStringEncoding.LZF) return readLzf(cur, what);
  if (encoding > RdbStringEncoding.LZF) cur.fail(`unknown string encoding ${encoding} reading ${what}`, at);
  return Buffer.from(String(readInteger(cur, encoding, what)), "latin1");
}
