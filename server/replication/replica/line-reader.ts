// Reads "\n"-terminated lines (CR stripped) from a byte stream, as the replica does for the
// handshake replies; keeps whatever follows the last line for the next phase.

const EMPTY = Buffer.alloc(0);
const MAX_LINE = 64 * 1024;

export class LineReader {
  private buf: Buffer = EMPTY;

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  /** The next complete line, or null. Throws when a line grows beyond 64 KiB. */
  next(): string | null {
    const nl = this.buf.indexOf(0x0a);
    if (nl < 0) {
      if (this.buf.length > MAX_LINE) throw new Error("protocol error: line too long from MASTER");
      return null;
    }
    const end = nl > 0 && this.buf[nl - 1] === 0x0d ? nl - 1 : nl;
    const line = this.buf.toString("latin1", 0, end);
    this.buf = this.buf.subarray(nl + 1);
    return line;
  }

  /** Everything not consumed as a line (and forget it). */
  takeRest(): Buffer {
    const rest = this.buf;
    this.buf = EMPTY;
    return rest;
  }
}
