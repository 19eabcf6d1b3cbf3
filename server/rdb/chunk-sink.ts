// Output side of the writer: bytes are appended into fixed-size chunks; completed chunks are queued for
// the caller to take (and are folded into the running CRC-64 as they complete).

import { Crc64 } from "./crc64.js";

export const DEFAULT_CHUNK_SIZE = 64 * 1024;

const scratch = Buffer.alloc(8);

export class ChunkSink {
  private chunk: Buffer;
  private pos = 0;
  private ready: Buffer[] = [];
  private readonly crc = new Crc64();
  private total = 0;

  constructor(private readonly chunkSize = DEFAULT_CHUNK_SIZE) {
    this.chunk = Buffer.allocUnsafe(chunkSize);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.total + this.pos;
  }

  get hasReadyChunks(): boolean {
    return this.ready.length > 0;
  }

  /** Removes and returns the completed chunks. */
  takeReady(): Buffer[] {
    const r = this.ready;
    this.ready = [];
    return r;
  }

  /** Completes the current partial chunk (if any) so it can be taken. */
  flush(): void {
    if (this.pos === 0) return;
    const done = this.chunk.subarray(0, this.pos);
    this.crc.update(done);
    this.ready.push(done);
    this.total += this.pos;
    this.chunk = Buffer.allocUnsafe(this.chunkSize);
    this.pos = 0;
  }

  /** The CRC-64 of everything written, after a flush(). */
  checksumLE(): Buffer {
    return this.crc.toBufferLE();
  }

  private room(): number {
    if (this.pos === this.chunkSize) this.flush();
    return this.chunkSize - this.pos;
  }

  byte(b: number): void {
    if (this.pos === this.chunkSize) this.flush();
    this.chunk[this.pos++] = b;
  }

  bytes(data: Uint8Array): void {
    let from = 0;
    while (from < data.length) {
      const n = Math.min(this.room(), data.length - from);
      this.chunk.set(data.subarray(from, from + n), this.pos);
      this.pos += n;
      from += n;
    }
  }

  /** Writes a latin1 binary string byte for byte. */
  latin1(s: string): void {
    if (s.length <= this.chunkSize - this.pos) {
      this.pos += this.chunk.write(s, this.pos, "latin1");
      return;
    }
    let from = 0;
    while (from < s.length) {
      const n = Math.min(this.room(), s.length - from);
      this.pos += this.chunk.write(s.slice(from, from + n), this.pos, "latin1");
      from += n;
    }
  }

  /** Writes an ASCII string (digits etc.). */
  ascii(s: string): void {
    this.latin1(s);
  }

  u32be(v: number): void {
    this.byte((v >>> 24) & 0xff);
    this.byte((v >>> 16) & 0xff);
    this.byte((v >>> 8) & 0xff);
    this.byte(v & 0xff);
  }

  /** Little-endian signed 64-bit integer from a safe JS integer. */
  i64le(v: number): void {
    let lo = v % 0x100000000;
    if (lo < 0) lo += 0x100000000;
    let hi = ((v - lo) / 0x100000000) >>> 0;
    for (let k = 0; k < 4; k++, lo >>>= 8) this.byte(lo & 0xff);
    for (let k = 0; k < 4; k++, hi >>>= 8) this.byte(hi & 0xff);
  }

  f64le(v: number): void {
    scratch.writeDoubleLE(v, 0);
    this.bytes(scratch);
  }
}
