// Incremental RESP2 request parser (multibulk and inline), modelled on Redis 7.0
// networking.c processMultibulkBuffer/processInlineBuffer. Data may arrive split anywhere;
// the sequence of commands (and the protocol error, if any) does not depend on the split.

import { ProtocolError } from "./protocol-error.js";
import { splitInlineArgs } from "./inline-args.js";

/** PROTO_INLINE_MAX_SIZE: longest inline request or multibulk/bulk header line. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** PROTO_MBULK_BIG_ARG: bulks at least this long are assembled in a buffer of their own. */
const BIG_ARG = 32 * 1024;
const INT_MAX = 2147483647;
const CR = 0x0d;
const LF = 0x0a;

export type ParsedRequest = Buffer[] | ProtocolError | null;

const EMPTY = Buffer.alloc(0);

/**
 * Strict integer parse of buf[start,end) like Redis string2ll: optional '-', no '+', no leading
 * zeros, no spaces, must fit in a signed 64-bit integer. Returns NaN when invalid. Values beyond
 * 2^53 lose precision but stay beyond every limit we compare them with.
 */
export function parseHeaderInteger(buf: Buffer, start: number, end: number): number {
  const len = end - start;
  if (len <= 0 || len > 20) return NaN;
  let p = start;
  let negative = false;
  if (buf[p] === 0x2d) {
    negative = true;
    p++;
    if (p === end) return NaN;
  }
  if (buf[p] === 0x30) return end - p === 1 && !negative ? 0 : NaN;
  let value = 0;
  for (; p < end; p++) {
    const d = buf[p] - 0x30;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  if (value > 9223372036854775807) return NaN;
  return negative ? -value : value;
}

export class RequestParser {
  /** proto-max-bulk-len; ignored for the master link (Redis exempts CLIENT_MASTER). */
  maxBulkLen = 512 * 1024 * 1024;
  exemptFromBulkLimit = false;

  private buf: Buffer = EMPTY;
  private pos = 0;
  private argsLeft = 0; // multibulk args still to read; 0 = at a request boundary
  private argv: Buffer[] = [];
  private bulkLen = -1; // -1 = bulk header not read yet
  private big: Buffer | null = null; // dedicated buffer for a big bulk (+2 for CRLF)
  private bigFill = 0;
  private failed = false;

  /** Bytes received but not yet turned into a complete command (for client-query-buffer-limit). */
  get pendingBytes(): number {
    return this.buf.length - this.pos + this.bigFill;
  }

  feed(chunk: Buffer): void {
    if (this.failed || chunk.length === 0) return;
    if (this.big !== null) {
      const room = this.big.length - this.bigFill;
      const n = Math.min(room, chunk.length);
      chunk.copy(this.big, this.bigFill, 0, n);
      this.bigFill += n;
      if (n < chunk.length) this.append(chunk.subarray(n));
      return;
    }
    this.append(chunk);
  }

  private append(chunk: Buffer): void {
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
  }

  /** Next complete request (possibly empty: callers skip those), a protocol error, or null. */
  next(): ParsedRequest {
    if (this.failed) return null;
    if (this.big !== null) {
      if (this.bigFill < this.big.length) return null;
      this.argv.push(this.big.subarray(0, this.big.length - 2));
      this.big = null;
      this.bigFill = 0;
      this.bulkLen = -1;
      this.argsLeft--;
      if (this.argsLeft === 0) return this.takeArgv();
    }
    if (this.argsLeft === 0) {
      if (this.pos >= this.buf.length) {
        this.buf = EMPTY; // do not keep the last socket chunk alive on an idle client
        this.pos = 0;
        return null;
      }
      if (this.buf[this.pos] !== 0x2a) return this.parseInline();
      const header = this.parseMultibulkHeader();
      if (header !== true) return header;
      if (this.argsLeft === 0) return [];
    }
    return this.parseBulks();
  }

  private fail(message: string): ProtocolError {
    this.failed = true;
    this.buf = EMPTY;
    this.pos = 0;
    this.argv = [];
    this.big = null;
    this.bigFill = 0;
    return new ProtocolError(message);
  }

  private takeArgv(): Buffer[] {
    const argv = this.argv;
    this.argv = [];
    return argv;
  }

  /**
   * Finds `terminator` from `start` like strchr() in Redis: a NUL byte first means "not found"
   * (the C string ends there). Returns the index, -1 when more data is needed, or -2 when the
   * line can never be accepted because it is longer than PROTO_INLINE_MAX_SIZE.
   */
  private findLineEnd(start: number, terminator: number): number {
    const buf = this.buf;
    const limit = Math.min(buf.length, start + PROTO_INLINE_MAX_SIZE + 1);
    for (let i = start; i < limit; i++) {
      const c = buf[i];
      if (c === terminator) return i;
      if (c === 0) return buf.length - start > PROTO_INLINE_MAX_SIZE ? -2 : -1;
    }
    return buf.length - start > PROTO_INLINE_MAX_SIZE ? -2 : -1;
  }

  private parseInline(): ParsedRequest {
    const start = this.pos;
    const nl = this.findLineEnd(start, LF);
    if (nl === -1) return null;
    if (nl === -2) return this.fail("Protocol error: too big inline request");
    const end = nl > start && this.buf[nl - 1] === CR ? nl - 1 : nl;
    const args = splitInlineArgs(this.buf, start, end);
    if (args === null) return this.fail("Protocol error: unbalanced quotes in request");
    this.pos = nl + 1;
    return args;
  }

  /** Returns true when the header was consumed, null when more data is needed, or an error. */
  private parseMultibulkHeader(): true | null | ProtocolError {
    const start = this.pos;
    const cr = this.findLineEnd(start, CR);
    if (cr === -1) return null;
    if (cr === -2) return this.fail("Protocol error: too big mbulk count string");
    if (cr + 1 >= this.buf.length) return null; // the byte after \r must be there too
    const count = parseHeaderInteger(this.buf, start + 1, cr);
    if (Number.isNaN(count) || count > INT_MAX) return this.fail("Protocol error: invalid multibulk length");
    this.pos = cr + 2;
    this.argsLeft = count > 0 ? count : 0;
    return true;
  }

  private parseBulks(): ParsedRequest {
    while (this.argsLeft > 0) {
      const buf = this.buf;
      if (this.bulkLen === -1) {
        const start = this.pos;
        if (start >= buf.length) return null;
        const cr = this.findLineEnd(start, CR);
        if (cr === -1) return null;
        if (cr === -2) return this.fail("Protocol error: too big bulk count string");
        if (cr + 1 >= buf.length) return null;
        if (buf[start] !== 0x24) {
          return this.fail(`Protocol error: expected '$', got '${String.fromCharCode(buf[start])}'`);
        }
        const len = parseHeaderInteger(buf, start + 1, cr);
        if (Number.isNaN(len) || len < 0 || (!this.exemptFromBulkLimit && len > this.maxBulkLen)) {
          return this.fail("Protocol error: invalid bulk length");
        }
        this.pos = cr + 2;
        this.bulkLen = len;
        if (len >= BIG_ARG && buf.length - this.pos < len + 2) {
          // Assemble a big argument in place instead of re-concatenating on every read.
          const big = Buffer.allocUnsafe(len + 2);
          const n = Math.min(buf.length - this.pos, len + 2);
          buf.copy(big, 0, this.pos, this.pos + n);
          this.pos += n;
          this.big = big;
          this.bigFill = n;
          return null;
        }
      }
      const len = this.bulkLen;
      if (buf.length - this.pos < len + 2) return null;
      this.argv.push(buf.subarray(this.pos, this.pos + len));
      this.pos += len + 2;
      this.bulkLen = -1;
      this.argsLeft--;
    }
    return this.takeArgv();
  }
}
