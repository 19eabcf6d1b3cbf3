// Framing of the RDB payload of a full sync (FULLSYNC-3; replication.c readSyncBulkPayload on the
// replica, sendBulkToSlave / rdbSaveToSlavesSockets on the master):
//   disk:     "$<len>\r\n" then exactly len RDB bytes (no trailing CRLF), then the command stream;
//   diskless: "$EOF:<40 chars>\r\n" then the RDB, then the same 40 chars.
// Before the preamble the master may send bare "\n" keepalives; a "-..." line is an error from it.

import { randomBytes } from "node:crypto";

export const EOF_MARK_LENGTH = 40;
/** Redis reads the preamble into a PROTO_IOBUF_LEN buffer; a longer line is not a preamble. */
const MAX_PREAMBLE_LINE = 16 * 1024;
const NEWLINE = 0x0a;

export class SyncPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SyncPayloadError";
  }
}

/** Master side: the preamble of a disk-based transfer of `length` bytes. */
export function diskPreamble(length: number): Buffer {
  return Buffer.from(`$${length}\r\n`, "latin1");
}

/** Master side: a fresh random 40-character EOF mark (as Redis: 40 hex chars). */
export function newEofMark(): string {
  return randomBytes(EOF_MARK_LENGTH / 2).toString("hex");
}

/** Master side: the preamble of a diskless transfer; send the same mark after the RDB. */
export function eofMarkPreamble(mark: string): Buffer {
  if (mark.length !== EOF_MARK_LENGTH) throw new Error(`EOF mark must be ${EOF_MARK_LENGTH} characters`);
  return Buffer.from(`$EOF:${mark}\r\n`, "latin1");
}

export type SyncPayloadMode = "length" | "eof-mark";

export interface SyncPayloadProgress {
  /** RDB bytes carried by this push, in order (never the preamble or the EOF mark). */
  data: Buffer[];
  /** True once the whole payload has arrived; further pushes are refused. */
  done: boolean;
  /** Once done: the bytes that followed the payload in the same push (the start of the stream). */
  rest?: Buffer;
}

/**
 * Replica side: feed it the bytes that follow "+FULLRESYNC <id> <offset>\r\n", chunk by chunk, as they
 * arrive; it strips the framing and says when the payload is complete.
 *
 * In EOF-mark mode Redis only checks whether the bytes received so far end with the mark; this looks
 * for the first occurrence of the mark instead, which agrees whenever the master withholds the stream
 * until the payload is loaded (it does) and also copes with a stream coalesced onto the mark.
 */
export class SyncPayloadReceiver {
  private line: Buffer[] = [];
  private lineLength = 0;
  private currentMode?: SyncPayloadMode;
  private length = 0;
  private mark?: Buffer;
  /** EOF-mark mode: tail bytes held back because they may be the start of the mark. */
  private held: Buffer = Buffer.alloc(0);
  private payloadBytes = 0;
  private finished = false;

  get mode(): SyncPayloadMode | undefined {
    return this.currentMode;
  }

  /** Length-mode payload size, once the preamble is read. */
  get expectedLength(): number | undefined {
    return this.currentMode === "length" ? this.length : undefined;
  }

  /** The EOF mark, once an EOF-mark preamble is read. */
  get eofMark(): string | undefined {
    return this.mark?.toString("latin1");
  }

  /** RDB bytes delivered so far. */
  get received(): number {
    return this.payloadBytes;
  }

  get done(): boolean {
    return this.finished;
  }

  push(chunk: Buffer): SyncPayloadProgress {
    if (this.finished) throw new SyncPayloadError("the sync payload is already complete");
    let rest = chunk;
    while (this.currentMode === undefined) {
      if (rest.length === 0) return { data: [], done: false };
      rest = this.consumePreamble(rest);
    }
    return this.currentMode === "length" ? this.pushLength(rest) : this.pushEofMark(rest);
  }

  /** Consumes bytes of the preamble line; returns what follows it (empty if the line is unfinished). */
  private consumePreamble(bytes: Buffer): Buffer {
    const nl = bytes.indexOf(NEWLINE);
    const part = nl < 0 ? bytes : bytes.subarray(0, nl);
    this.line.push(part);
    this.lineLength += part.length;
    if (this.lineLength > MAX_PREAMBLE_LINE) {
      throw new SyncPayloadError("Bad protocol from MASTER: no newline in the sync payload preamble");
    }
    if (nl < 0) return Buffer.alloc(0);
    let text = Buffer.concat(this.line).toString("latin1");
    this.line = [];
    this.lineLength = 0;
    if (text.endsWith("\r")) text = text.slice(0, -1);
    this.parsePreamble(text);
    return bytes.subarray(nl + 1);
  }

  private parsePreamble(text: string): void {
    if (text.length === 0) return; // a keepalive newline
    if (text[0] === "-") throw new SyncPayloadError(`MASTER aborted replication with an error: ${text.slice(1)}`);
    if (text[0] !== "$") {
      throw new SyncPayloadError(`Bad protocol from MASTER, the first byte is not '$' (we received '${text}')`);
    }
    if (text.startsWith("$EOF:") && text.length - 5 >= EOF_MARK_LENGTH) {
      this.currentMode = "eof-mark";
      this.mark = Buffer.from(text.slice(5, 5 + EOF_MARK_LENGTH), "latin1");
      return;
    }
    const length = Number(text.slice(1));
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new SyncPayloadError(`Bad protocol from MASTER: invalid payload length '${text.slice(1)}'`);
    }
    this.currentMode = "length";
    this.length = length;
  }

  private pushLength(bytes: Buffer): SyncPayloadProgress {
    const wanted = this.length - this.payloadBytes;
    const take = Math.min(wanted, bytes.length);
    const data = take > 0 ? [bytes.subarray(0, take)] : [];
    this.payloadBytes += take;
    if (this.payloadBytes < this.length) return { data, done: false };
    this.finished = true;
    return { data, done: true, rest: bytes.subarray(take) };
  }

  private pushEofMark(bytes: Buffer): SyncPayloadProgress {
    const mark = this.mark as Buffer;
    const window = this.held.length === 0 ? bytes : Buffer.concat([this.held, bytes]);
    const at = window.indexOf(mark);
    if (at >= 0) {
      this.finished = true;
      this.held = Buffer.alloc(0);
      this.payloadBytes += at;
      return { data: at > 0 ? [window.subarray(0, at)] : [], done: true, rest: window.subarray(at + mark.length) };
    }
    // The mark is not in the window, but it may begin in its last MARK-1 bytes: hold those back.
    const keep = Math.min(window.length, mark.length - 1);
    const emit = window.length - keep;
    this.held = Buffer.from(window.subarray(emit));
    this.payloadBytes += emit;
    return { data: emit > 0 ? [window.subarray(0, emit)] : [], done: false };
  }
}
