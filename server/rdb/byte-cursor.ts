// A bounds-checked read position over one Buffer. Every read checks the remaining bytes first, so a
// corrupt length can never make the decoder allocate or loop past the data it was given.

import { RdbError } from "./errors.js";

export class ByteCursor {
  pos: number;
  readonly end: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    end = buf.length,
    /** Added to positions in error messages (for nested blobs: where the blob starts in the file). */
    readonly baseOffset = 0,
    /** What is being read, for error messages ("RDB", "listpack", ...). */
    readonly what = "RDB",
  ) {
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(message: string, at = this.pos): never {
    throw new RdbError(`${this.what}: ${message}`, this.baseOffset + at);
  }

  /** Throws a truncation error unless n more bytes are available. */
  need(n: number, what: string): void {
    if (n > this.end - this.pos) {
      this.fail(`unexpected end of data reading ${what} (${n} bytes needed, ${this.end - this.pos} left)`);
    }
  }

  u8(what = "a byte"): number {
    if (this.pos >= this.end) this.fail(`unexpected end of data reading ${what}`);
    return this.buf[this.pos++];
  }

  u16le(what: string): number {
    this.need(2, what);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u32le(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  u32be(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  i32le(what: string): number {
    this.need(4, what);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  i64le(what: string): bigint {
    this.need(8, what);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  u64be(what: string): bigint {
    this.need(8, what);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  f64le(what: string): number {
    this.need(8, what);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A view of the next n bytes (not a copy: copy it if it outlives the input). */
  view(n: number, what: string): Buffer {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A copy of the next n bytes. */
  copy(n: number, what: string): Buffer {
    this.need(n, what);
    const v = Buffer.allocUnsafe(n);
    this.buf.copy(v, 0, this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** The next n bytes as a latin1 binary string. */
  latin1(n: number, what: string): string {
    this.need(n, what);
    const v = this.buf.toString("latin1", this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}
