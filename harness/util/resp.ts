// RESP2 on the wire: encode a command, decode replies with their types kept apart. ioredis turns
// status (`+OK`) and bulk (`$2\r\nOK`) replies into the same Buffer/string, but the checker must tell
// them apart (the model predicts `+OK` for SET and `"OK"` for GET of a key holding "OK"), so the
// harness's checked commands go through this decoder instead.

/** A RESP2 reply. Strings are decoded as UTF-8 (the harness writes UTF-8 arguments). */
export type RespValue =
  | { kind: "status"; value: string }
  | { kind: "error"; value: string }
  | { kind: "int"; value: number }
  | { kind: "bulk"; value: string | null }
  | { kind: "array"; value: RespValue[] | null };

/** The bytes did not form a RESP2 reply; the connection cannot be trusted afterwards. */
export class RespProtocolError extends Error {
  override name = "RespProtocolError";
}

export function encodeCommand(argv: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const arg of argv) {
    const bytes = typeof arg === "string" ? Buffer.from(arg, "utf8") : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

const CRLF = Buffer.from("\r\n");

interface ArrayFrame {
  items: RespValue[];
  remaining: number;
}

/**
 * Incremental decoder: feed it chunks as they arrive, it returns the complete top-level replies.
 * Nested arrays are built with an explicit stack, and a scalar is decoded only once all its bytes
 * are there, so a large reply arriving in many chunks is not re-parsed from the start each time.
 */
export class RespDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes needed before the next parse attempt can make progress. */
  private needed = 1;
  private readonly stack: ArrayFrame[] = [];

  feed(chunk: Buffer): RespValue[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.needed) return [];
    const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const out: RespValue[] = [];
    let pos = 0;
    this.needed = 1;
    for (;;) {
      const scalar = decodeScalar(buf, pos);
      if (scalar === undefined) break;
      if (typeof scalar === "number") {
        // Incomplete: wait for at least that many bytes from `pos`.
        this.needed = scalar;
        break;
      }
      pos = scalar.next;
      if (scalar.arrayLength !== undefined && scalar.arrayLength > 0) {
        this.stack.push({ items: [], remaining: scalar.arrayLength });
        continue;
      }
      let value: RespValue = scalar.value;
      // Close every array this value completes.
      for (;;) {
        const top = this.stack[this.stack.length - 1];
        if (top === undefined) {
          out.push(value);
          break;
        }
        top.items.push(value);
        if (--top.remaining > 0) break;
        this.stack.pop();
        value = { kind: "array", value: top.items };
      }
    }
    const rest = buf.subarray(pos);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }
}

type Scalar = { value: RespValue; next: number; arrayLength?: number };

/** One reply header (and body for bulk strings) at `pos`: the decoded item, or the total byte count needed (incomplete). */
function decodeScalar(buf: Buffer, pos: number): Scalar | number | undefined {
  if (pos >= buf.length) return undefined;
  const eol = buf.indexOf(CRLF, pos);
  if (eol < 0) return buf.length - pos + 1;
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString("utf8", pos + 1, eol);
  const next = eol + 2;
  switch (type) {
    case "+":
      return { value: { kind: "status", value: line }, next };
    case "-":
      return { value: { kind: "error", value: line }, next };
    case ":":
      return { value: { kind: "int", value: parseInteger(line) }, next };
    case "$": {
      const len = parseInteger(line);
      if (len === -1) return { value: { kind: "bulk", value: null }, next };
      if (len < 0) throw new RespProtocolError(`invalid bulk length ${line}`);
      const end = next + len;
      if (buf.length < end + 2) return end + 2 - pos;
      if (buf[end] !== 13 || buf[end + 1] !== 10) throw new RespProtocolError("bulk string not followed by CRLF");
      return { value: { kind: "bulk", value: buf.toString("utf8", next, end) }, next: end + 2 };
    }
    case "*": {
      const len = parseInteger(line);
      if (len === -1) return { value: { kind: "array", value: null }, next };
      if (len < 0) throw new RespProtocolError(`invalid array length ${line}`);
      return { value: { kind: "array", value: [] }, next, arrayLength: len };
    }
    default:
      throw new RespProtocolError(`unexpected reply type byte 0x${buf[pos].toString(16)} (a RESP2 connection)`);
  }
}

function parseInteger(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new RespProtocolError(`not an integer: ${JSON.stringify(text)}`);
  return Number(text);
}
