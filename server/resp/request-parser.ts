// Incremental RESP2 request parser (multibulk and inline), modelled on Redis 7.0 networking.c
// readQueryFromClient / processInputBuffer / processMultibulkBuffer / processInlineBuffer.
//
// Bytes handed to feed() are queued like data waiting in the socket; next() takes them in reads of
// at most PROTO_IOBUF_LEN (16 KiB) and only when what it already has cannot make a request, the
// way Redis reads once and parses everything before it reads again. The one thing that depends on
// those read boundaries in Redis (a line with no terminator yet that already exceeds 64 KiB) thus
// depends on them here the same way; everything else does not depend on how the bytes arrive.
//
// Memory: a declared bulk length is never allocated up front; a big argument is collected from
// the reads as they come and joined once. The arguments of an unfinished multibulk are copied into
// one arena (their bytes plus a 4-byte end offset each) rather than held as one Buffer view each.

import { constants as bufferConstants } from "node:buffer";
import { ProtocolError } from "./protocol-error.js";
import { splitInlineArgs } from "./inline-args.js";

/** PROTO_INLINE_MAX_SIZE: longest inline request or multibulk/bulk header line without its terminator. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** PROTO_IOBUF_LEN: one read of a client's socket. */
export const PROTO_IOBUF_LEN = 16 * 1024;
/** PROTO_MBULK_BIG_ARG: a bulk at least this long that has not arrived yet is collected on its own. */
const BIG_ARG = 32 * 1024;
const INT_MAX = 2147483647;
/** processMultibulkBuffer's limits while authRequired(c) (the CVE-2021-32675 hardening). */
export const UNAUTH_MAX_MULTIBULK = 10;
export const UNAUTH_MAX_BULK = 16384;
/**
 * What one argument of an unfinished command is accounted at, besides its bytes, when the server
 * bounds a connection's input by client-query-buffer-limit: the Buffer view and argv slot it costs
 * once the command runs (about 104 + 8 bytes in V8), so the bound holds then too.
 */
export const ARG_ACCOUNTED_BYTES = 112;
/** Longest single Buffer this process can allocate. */
const MAX_BUFFER = bufferConstants.MAX_LENGTH;
const CR = 0x0d;
const LF = 0x0a;

export type ParsedRequest = Buffer[] | ProtocolError | null;

const EMPTY = Buffer.alloc(0);

/** Digits 0-9 only, a value of at most 15 digits: exact in a double. */
function smallDigits(buf: Buffer, p: number, end: number): number {
  let value = 0;
  for (; p < end; p++) {
    const d = buf[p] - 0x30;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return value;
}

const LLONG_MAX = 9223372036854775807n;

/**
 * Integer of buf[start,end) with util.c string2ll's rules: optional '-', no '+', no leading zeros
 * (a lone "0" only), no spaces, within a signed 64-bit integer. NaN when invalid. The check is
 * exact; a valid value beyond 2^53 comes back rounded (it is only ever compared with limits far
 * below it, or found to be negative).
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
  if (end - p <= 15) {
    const v = smallDigits(buf, p, end);
    return negative ? -v : v;
  }
  for (let i = p; i < end; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return NaN;
  }
  const magnitude = BigInt(buf.toString("latin1", p, end));
  if (magnitude > (negative ? LLONG_MAX + 1n : LLONG_MAX)) return NaN;
  return negative ? -Number(magnitude) : Number(magnitude);
}

/** A line's terminator from `start` like strchr() on the query buffer: a NUL byte ends the search. */
function findTerminator(buf: Buffer, start: number, terminator: number): number {
  const at = buf.indexOf(terminator, start);
  if (at === -1) return -1;
  for (let i = start; i < at; i++) if (buf[i] === 0) return -1;
  return at;
}

export class RequestParser {
  /** proto-max-bulk-len; the master link is exempt (isMaster). */
  maxBulkLen = 512 * 1024 * 1024;
  /** CLIENT_MASTER: no proto-max-bulk-len, and inline requests (other than a bare newline) are an error. */
  isMaster = false;
  /** authRequired(c): the unauthenticated multibulk and bulk limits apply. */
  authRequired: () => boolean = () => false;

  // Unread input: whole chunks as they arrived, the first one read from queueOffset on.
  private queue: Buffer[] = [];
  private queueOffset = 0;
  private queuedBytes = 0;
  /** The current read buffer (querybuf); buf[pos..] is not parsed yet. */
  private buf: Buffer = EMPTY;
  private pos = 0;

  // The multibulk being parsed.
  private argsLeft = 0; // args still to read; 0 = at a request boundary
  private bulkLen = -1; // -1 = bulk header not read yet
  /** Where the current request starts in buf (buf[cmdStart..pos] are its bytes still there). */
  private cmdStart = 0;
  /** Bytes of the current request that are no longer in buf (earlier reads, a big argument). */
  private spilledRaw = 0;
  /** Arguments while the whole request is in one read: views of buf. */
  private argv: Buffer[] = [];
  /** Arguments once the request spans reads: bytes in the arena, end offsets in `ends`. */
  private spanning = false;
  private argc = 0;
  private arena: Buffer = EMPTY;
  private arenaLen = 0;
  private ends: Uint32Array = new Uint32Array(0);
  private bigArgs: Map<number, Buffer> | null = null;
  /** A big argument being collected: its pieces, and how many bytes (with CRLF) it needs. */
  private bigParts: Buffer[] | null = null;
  private bigHave = 0;
  private bigNeed = 0;
  private failed = false;

  /** Bytes received that are not part of a request returned yet (what a replica's reploff excludes). */
  get pendingBytes(): number {
    const current = this.argsLeft > 0 ? this.pos - this.cmdStart + this.spilledRaw : 0;
    return this.queuedBytes + (this.buf.length - this.pos) + current;
  }

  /** What client-query-buffer-limit is checked against: pending bytes plus the cost of the arguments held. */
  get heldBytes(): number {
    return this.pendingBytes + (this.spanning ? this.argc : this.argv.length) * ARG_ACCOUNTED_BYTES;
  }

  feed(chunk: Buffer): void {
    if (this.failed || chunk.length === 0) return;
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
  }

  /** Drops every byte held (the client is gone): nothing stays referenced. */
  release(): void {
    this.failed = true;
    this.queue = [];
    this.queueOffset = 0;
    this.queuedBytes = 0;
    this.buf = EMPTY;
    this.pos = 0;
    this.cmdStart = 0;
    this.spilledRaw = 0;
    this.argsLeft = 0;
    this.resetArgs();
  }

  /**
   * Next complete request (possibly empty: callers skip those), a protocol error (once; the parser
   * then ignores everything), or null when more input is needed.
   */
  next(): ParsedRequest {
    for (;;) {
      if (this.failed) return this.takeError();
      if (this.bigParts !== null) {
        if (!this.collectBig()) return null;
        if (this.failed) continue;
        if (this.argsLeft === 0) return this.finishRequest();
      }
      const r = this.parseBuffer();
      if (r !== null) return r;
      if (this.failed || this.bigParts !== null) continue;
      if (!this.read()) {
        if (this.failed) continue;
        if (this.pos >= this.buf.length && this.argsLeft === 0) {
          this.buf = EMPTY; // an idle client keeps no read buffer
          this.pos = 0;
          this.cmdStart = 0;
        }
        return null;
      }
    }
  }

  private error: ProtocolError | null = null;

  private takeError(): ProtocolError | null {
    const e = this.error;
    this.error = null;
    return e;
  }

  /** setProtocolError(): everything held goes, the error is next() reports next. Returns null. */
  private fail(message: string): null {
    this.release();
    this.error = new ProtocolError(message);
    return null;
  }

  /** One read: appends up to PROTO_IOBUF_LEN queued bytes to buf. False when nothing is queued. */
  private read(): boolean {
    if (this.queuedBytes === 0) return false;
    const head = this.queue[0];
    const n = Math.min(PROTO_IOBUF_LEN, head.length - this.queueOffset);
    const piece =
      this.queueOffset === 0 && n === head.length ? head : head.subarray(this.queueOffset, this.queueOffset + n);
    this.consumeQueue(n);
    if (this.argsLeft > 0) {
      // The request spans reads: what it parsed so far leaves buf.
      if (!this.spanning) this.spill();
      if (this.failed) return false;
      this.spilledRaw += this.pos - this.cmdStart;
    }
    if (this.pos >= this.buf.length) {
      this.buf = piece;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), piece]);
    }
    this.pos = 0;
    this.cmdStart = 0;
    return true;
  }

  private consumeQueue(n: number): void {
    this.queueOffset += n;
    this.queuedBytes -= n;
    if (this.queueOffset === this.queue[0].length) {
      this.queue.shift();
      this.queueOffset = 0;
    }
  }

  // ---- arguments -------------------------------------------------------------------------------

  private resetArgs(): void {
    this.argv = [];
    this.spanning = false;
    this.argc = 0;
    this.arena = EMPTY;
    this.arenaLen = 0;
    if (this.ends.length > 4096) this.ends = new Uint32Array(0);
    this.bigArgs = null;
    this.bigParts = null;
    this.bigHave = 0;
    this.bigNeed = 0;
    this.bulkLen = -1;
  }

  /** The request's arguments so far move from views of buf into the arena. */
  private spill(): void {
    const views = this.argv;
    this.argv = [];
    this.spanning = true;
    this.argc = 0;
    for (const v of views) {
      this.pushArg(v, 0, v.length);
      if (this.failed) return;
    }
  }

  private pushArg(src: Buffer, start: number, end: number): void {
    const len = end - start;
    if (this.arenaLen + len > this.arena.length) {
      const want = Math.max(this.arena.length * 2, this.arenaLen + len, 4096);
      const size = Math.min(want, MAX_BUFFER - 1);
      if (size < this.arenaLen + len) {
        this.fail("Protocol error: request too large for this server");
        return;
      }
      const grown = Buffer.allocUnsafe(size);
      this.arena.copy(grown, 0, 0, this.arenaLen);
      this.arena = grown;
    }
    src.copy(this.arena, this.arenaLen, start, end);
    this.arenaLen += len;
    this.pushEnd();
  }

  private pushEnd(): void {
    if (this.argc === this.ends.length) {
      const grown = new Uint32Array(Math.max(1024, this.ends.length * 2));
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[this.argc++] = this.arenaLen;
  }

  private finishRequest(): Buffer[] {
    let argv: Buffer[];
    if (!this.spanning) {
      argv = this.argv;
    } else {
      argv = new Array<Buffer>(this.argc);
      let prev = 0;
      for (let i = 0; i < this.argc; i++) {
        const big = this.bigArgs?.get(i);
        argv[i] = big ?? this.arena.subarray(prev, this.ends[i]);
        prev = this.ends[i];
      }
    }
    this.resetArgs();
    this.cmdStart = this.pos;
    this.spilledRaw = 0;
    return argv;
  }

  // ---- big arguments -------------------------------------------------------------------------

  /** Starts collecting a bulk of `len` bytes (+ CRLF) whose bytes are not all there yet. */
  private beginBig(len: number): void {
    if (!this.spanning) this.spill();
    if (this.failed) return;
    this.spilledRaw += this.pos - this.cmdStart;
    const rest = this.buf.subarray(this.pos);
    this.bigParts = rest.length > 0 ? [rest] : [];
    this.bigHave = rest.length;
    this.bigNeed = len + 2;
    this.spilledRaw += rest.length;
    this.buf = EMPTY;
    this.pos = 0;
    this.cmdStart = 0;
  }

  /** Takes queued bytes into the big argument; true once it is complete (or failed). */
  private collectBig(): boolean {
    const parts = this.bigParts as Buffer[];
    while (this.bigHave < this.bigNeed && this.queuedBytes > 0) {
      const head = this.queue[0];
      const n = Math.min(this.bigNeed - this.bigHave, head.length - this.queueOffset);
      if (this.bigNeed > MAX_BUFFER && this.bigHave + n >= MAX_BUFFER) {
        // Redis would keep reading; one Buffer cannot hold more (known difference, see test/fuzz).
        this.fail("Protocol error: bulk longer than this server can hold");
        return true;
      }
      parts.push(
        this.queueOffset === 0 && n === head.length ? head : head.subarray(this.queueOffset, this.queueOffset + n),
      );
      this.consumeQueue(n);
      this.bigHave += n;
      this.spilledRaw += n;
    }
    if (this.bigHave < this.bigNeed) return false;
    const whole = parts.length === 1 ? parts[0] : Buffer.concat(parts, this.bigNeed);
    this.bigParts = null;
    if (this.bigArgs === null) this.bigArgs = new Map();
    this.bigArgs.set(this.argc, whole.subarray(0, this.bigNeed - 2));
    this.pushEnd(); // no arena bytes
    this.bigHave = 0;
    this.bigNeed = 0;
    this.bulkLen = -1;
    this.argsLeft--;
    return true;
  }

  // ---- parsing what is in buf ----------------------------------------------------------------

  /** A request, an error, or null when buf holds no more complete input. */
  private parseBuffer(): ParsedRequest {
    if (this.argsLeft === 0) {
      if (this.pos >= this.buf.length) return null;
      this.cmdStart = this.pos;
      if (this.buf[this.pos] !== 0x2a) return this.parseInline();
      const header = this.parseMultibulkHeader();
      if (header !== true) return header;
      if (this.argsLeft === 0) return [];
    }
    return this.parseBulks();
  }

  private parseInline(): ParsedRequest {
    const start = this.pos;
    const nl = findTerminator(this.buf, start, LF);
    if (nl === -1) {
      return this.buf.length - start > PROTO_INLINE_MAX_SIZE
        ? this.fail("Protocol error: too big inline request")
        : null;
    }
    const end = nl > start && this.buf[nl - 1] === CR ? nl - 1 : nl;
    if (this.isMaster && end > start) {
      // processInlineBuffer: a master may send a bare newline (keepalive), never an inline command.
      return this.fail("Protocol error: Master using the inline protocol. Desync?");
    }
    const args = splitInlineArgs(this.buf, start, end);
    if (args === null) return this.fail("Protocol error: unbalanced quotes in request");
    this.pos = nl + 1;
    this.cmdStart = this.pos;
    return args;
  }

  /** Returns true when the header was consumed, else null (more data needed, or failed). */
  private parseMultibulkHeader(): true | null {
    const start = this.pos;
    const cr = findTerminator(this.buf, start, CR);
    if (cr === -1) {
      return this.buf.length - start > PROTO_INLINE_MAX_SIZE
        ? this.fail("Protocol error: too big mbulk count string")
        : null;
    }
    if (cr + 1 >= this.buf.length) return null; // the byte after \r must be there too
    const count = parseHeaderInteger(this.buf, start + 1, cr);
    if (Number.isNaN(count) || count > INT_MAX) return this.fail("Protocol error: invalid multibulk length");
    if (count > UNAUTH_MAX_MULTIBULK && this.authRequired())
      return this.fail("Protocol error: unauthenticated multibulk length");
    this.pos = cr + 2;
    if (count <= 0) {
      this.cmdStart = this.pos;
      return true;
    }
    this.argsLeft = count;
    return true;
  }

  private parseBulks(): ParsedRequest {
    while (this.argsLeft > 0) {
      const buf = this.buf;
      if (this.bulkLen === -1) {
        const start = this.pos;
        if (start >= buf.length) return null;
        const cr = findTerminator(buf, start, CR);
        if (cr === -1) {
          return buf.length - start > PROTO_INLINE_MAX_SIZE
            ? this.fail("Protocol error: too big bulk count string")
            : null;
        }
        if (cr + 1 >= buf.length) return null;
        if (buf[start] !== 0x24) {
          return this.fail(`Protocol error: expected '$', got '${String.fromCharCode(buf[start])}'`);
        }
        const len = parseHeaderInteger(buf, start + 1, cr);
        if (Number.isNaN(len) || len < 0 || (!this.isMaster && len > this.maxBulkLen)) {
          return this.fail("Protocol error: invalid bulk length");
        }
        if (len > UNAUTH_MAX_BULK && this.authRequired())
          return this.fail("Protocol error: unauthenticated bulk length");
        this.pos = cr + 2;
        this.bulkLen = len;
        if (len >= BIG_ARG && buf.length - this.pos < len + 2) {
          this.beginBig(len);
          return null;
        }
      }
      const len = this.bulkLen;
      if (buf.length - this.pos < len + 2) return null;
      if (this.spanning) {
        this.pushArg(buf, this.pos, this.pos + len);
        if (this.failed) return null;
      } else {
        this.argv.push(buf.subarray(this.pos, this.pos + len));
      }
      this.pos += len + 2;
      this.bulkLen = -1;
      this.argsLeft--;
    }
    return this.finishRequest();
  }
}
