// RESP2 reply encoder. Replies are appended to a slab Buffer; flush() hands out the bytes
// written since the last flush as one slice (no copy), and later replies continue in the same
// slab after that slice, so pending socket writes are never overwritten. Large bulks are passed
// by reference (stored values are never mutated in place).

const SLAB_SIZE = 16 * 1024;
const LARGE_BULK = 4 * 1024;
const CRLF = Buffer.from("\r\n");

const OK = Buffer.from("+OK\r\n");
const NULL_BULK = Buffer.from("$-1\r\n");
const NULL_ARRAY = Buffer.from("*-1\r\n");
const EMPTY_ARRAY = Buffer.from("*0\r\n");
const QUEUED = Buffer.from("+QUEUED\r\n");
const SMALL_INTS: Buffer[] = [];
for (let i = 0; i < 64; i++) SMALL_INTS.push(Buffer.from(`:${i}\r\n`));

export class ReplyWriter {
  /** When true every reply is dropped (the master link never gets replies). */
  muted = false;
  /** Number of error replies written; lets callers tell whether a command failed. */
  errorCount = 0;
  /** Total reply bytes produced (for INFO / output accounting). */
  bytesProduced = 0;

  private slab: Buffer = Buffer.allocUnsafe(SLAB_SIZE);
  private start = 0; // first byte not yet flushed
  private pos = 0;
  private queued: Buffer[] = []; // complete pieces waiting for the next flush

  /** True when there is something to flush. */
  get hasPending(): boolean {
    return this.pos > this.start || this.queued.length > 0;
  }

  /** Returns the pending bytes as a list of Buffers (usually one) and forgets them. */
  flush(): Buffer[] {
    if (this.pos > this.start) {
      this.queued.push(this.slab.subarray(this.start, this.pos));
      this.start = this.pos;
    }
    const out = this.queued;
    this.queued = [];
    return out;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.slab.length) return;
    if (this.pos > this.start) this.queued.push(this.slab.subarray(this.start, this.pos));
    this.slab = Buffer.allocUnsafe(Math.max(SLAB_SIZE, n));
    this.start = 0;
    this.pos = 0;
  }

  private pushPiece(b: Buffer): void {
    if (this.pos > this.start) {
      this.queued.push(this.slab.subarray(this.start, this.pos));
      this.start = this.pos;
    }
    this.queued.push(b);
  }

  /** Raw, already encoded protocol bytes. */
  addRaw(b: Buffer): void {
    if (this.muted) return;
    this.bytesProduced += b.length;
    if (b.length >= LARGE_BULK) {
      this.pushPiece(b);
      return;
    }
    this.ensure(b.length);
    b.copy(this.slab, this.pos);
    this.pos += b.length;
  }

  private writeAscii(s: string): void {
    this.ensure(s.length);
    this.pos += this.slab.write(s, this.pos, "latin1");
  }

  private writeIntText(n: number): void {
    // integers fit in 20 chars; the slab has room ensured by callers
    if (n >= 0 && n < 10) {
      this.slab[this.pos++] = 0x30 + n;
      return;
    }
    this.pos += this.slab.write(String(n), this.pos, "latin1");
  }

  addOk(): void {
    this.addRaw(OK);
  }

  addQueued(): void {
    this.addRaw(QUEUED);
  }

  addSimple(s: string): void {
    if (this.muted) return;
    this.bytesProduced += s.length + 3;
    this.ensure(s.length + 3);
    this.slab[this.pos++] = 0x2b;
    this.pos += this.slab.write(s, this.pos, "latin1");
    this.slab[this.pos++] = 0x0d;
    this.slab[this.pos++] = 0x0a;
  }

  /**
   * An error reply. `message` includes its code ("ERR syntax error", "WRONGTYPE ..."); like
   * Redis, CR and LF inside it become spaces so the protocol stays valid.
   */
  addError(message: string): void {
    this.errorCount++;
    if (this.muted) return;
    // addReplyErrorFormatInternal: CR/LF trimmed off both ends (sdstrim), the others become spaces
    const safe =
      message.includes("\r") || message.includes("\n")
        ? message.replace(/^[\r\n]+|[\r\n]+$/g, "").replace(/[\r\n]/g, " ")
        : message;
    const bytes = Buffer.byteLength(safe, "latin1");
    this.bytesProduced += bytes + 3;
    this.ensure(bytes + 3);
    this.slab[this.pos++] = 0x2d;
    this.pos += this.slab.write(safe, this.pos, "latin1");
    this.slab[this.pos++] = 0x0d;
    this.slab[this.pos++] = 0x0a;
  }

  addInteger(n: number): void {
    if (this.muted) return;
    if (n >= 0 && n < 64 && Number.isInteger(n)) {
      this.addRaw(SMALL_INTS[n]);
      return;
    }
    this.ensure(24);
    const before = this.pos;
    this.slab[this.pos++] = 0x3a;
    this.writeIntText(n);
    this.slab[this.pos++] = 0x0d;
    this.slab[this.pos++] = 0x0a;
    this.bytesProduced += this.pos - before;
  }

  /** Integer reply from a bigint (values outside the safe double range). */
  addBigInteger(n: bigint): void {
    if (this.muted) return;
    this.addRawString(`:${n}\r\n`);
  }

  private addRawString(s: string): void {
    this.bytesProduced += s.length;
    this.writeAscii(s);
  }

  addBulk(b: Buffer): void {
    if (this.muted) return;
    const len = b.length;
    if (len >= LARGE_BULK) {
      this.addRawString(`$${len}\r\n`);
      this.bytesProduced += len + 2;
      this.pushPiece(b);
      this.pushPiece(CRLF);
      return;
    }
    this.ensure(len + 16);
    const before = this.pos;
    this.slab[this.pos++] = 0x24;
    this.writeIntText(len);
    this.slab[this.pos++] = 0x0d;
    this.slab[this.pos++] = 0x0a;
    b.copy(this.slab, this.pos);
    this.pos += len;
    this.slab[this.pos++] = 0x0d;
    this.slab[this.pos++] = 0x0a;
    this.bytesProduced += this.pos - before;
  }

  /** Bulk reply of a binary string held in latin1 form (keys, members, fields). */
  addBulkLatin1(s: string): void {
    if (this.muted) return;
    const len = s.length;
    this.ensure(len + 16);
    const before = this.pos;
    this.slab[this.pos++] = 0x24;
    this.writeIntText(len);
    this.slab[this.pos++] = 0x0d;
    this.slab[this.pos++] = 0x0a;
    this.pos += this.slab.write(s, this.pos, "latin1");
    this.slab[this.pos++] = 0x0d;
    this.slab[this.pos++] = 0x0a;
    this.bytesProduced += this.pos - before;
  }

  /** Bulk reply of a text string (UTF-8 encoded, e.g. INFO). */
  addBulkText(s: string): void {
    this.addBulk(Buffer.from(s, "utf8"));
  }

  addNullBulk(): void {
    this.addRaw(NULL_BULK);
  }

  addNullArray(): void {
    this.addRaw(NULL_ARRAY);
  }

  addArrayLength(n: number): void {
    if (this.muted) return;
    if (n === 0) {
      this.addRaw(EMPTY_ARRAY);
      return;
    }
    this.ensure(24);
    const before = this.pos;
    this.slab[this.pos++] = 0x2a;
    this.writeIntText(n);
    this.slab[this.pos++] = 0x0d;
    this.slab[this.pos++] = 0x0a;
    this.bytesProduced += this.pos - before;
  }
}
