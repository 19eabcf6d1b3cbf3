// Exact RESP bytes of replication-stream items (OFFSET-2): a propagated argv is
// `*<n>\r\n` then `$<len>\r\n<arg>\r\n` per argument.

const CRLF_LEN = 2;

function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** OFFSET-2: (1 + digits(n) + 2) + Σ (1 + digits(len) + 2 + len + 2). */
export function encodedLength(argv: readonly Buffer[]): number {
  let len = 1 + digits(argv.length) + CRLF_LEN;
  for (const a of argv) len += 1 + digits(a.length) + CRLF_LEN + a.length + CRLF_LEN;
  return len;
}

/** `<prefix><n>\r\n`, digits written by hand (no string round trip on the hot path). */
function writeHeader(out: Buffer, pos: number, prefix: number, n: number): number {
  out[pos++] = prefix;
  const d = digits(n);
  for (let i = d - 1; i >= 0; i--) {
    out[pos + i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  pos += d;
  out[pos++] = 0x0d;
  out[pos++] = 0x0a;
  return pos;
}

/** One multibulk command as the exact bytes a replica receives. */
export function encodeCommand(argv: readonly Buffer[]): Buffer {
  const out = Buffer.allocUnsafe(encodedLength(argv));
  let pos = writeHeader(out, 0, 0x2a, argv.length);
  for (const a of argv) {
    pos = writeHeader(out, pos, 0x24, a.length);
    a.copy(out, pos);
    pos += a.length;
    out[pos++] = 0x0d;
    out[pos++] = 0x0a;
  }
  return out;
}

export const encodeStrings = (...args: string[]): Buffer => encodeCommand(args.map((a) => Buffer.from(a, "latin1")));

/** The cron PING, lower case as shared.ping (14 bytes). */
export const PING_BYTES = encodeStrings("ping");
/** REPLCONF GETACK * (37 bytes). */
export const GETACK_BYTES = encodeStrings("REPLCONF", "GETACK", "*");
/** shared.multi (15 bytes) and shared.exec (14 bytes). */
export const MULTI_BYTES = encodeStrings("MULTI");
export const EXEC_BYTES = encodeStrings("EXEC");

const selectCache = new Map<number, Buffer>();

/** SELECT <db>: 23 bytes for db 0-9, 24 for 10-99. */
export function selectBytes(db: number): Buffer {
  let b = selectCache.get(db);
  if (b === undefined) {
    b = encodeStrings("SELECT", String(db));
    selectCache.set(db, b);
  }
  return b;
}
