// Integer parsing with Redis string2ll() rules: optional '-', no '+', no leading zeros, no
// spaces, fits in a signed 64-bit integer.

export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;

/** Exact 64-bit parse; null when the text is not a valid long long. */
export function parseInt64(buf: Buffer): bigint | null {
  const len = buf.length;
  if (len === 0 || len > 20) return null;
  let p = 0;
  let negative = false;
  if (buf[0] === 0x2d) {
    negative = true;
    p = 1;
    if (len === 1) return null;
  }
  if (buf[p] === 0x30) return len - p === 1 && !negative ? 0n : null;
  for (let i = p; i < len; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return null;
  }
  const v = BigInt(buf.toString("latin1", 0, len));
  if (v > LLONG_MAX || v < LLONG_MIN) return null;
  return v;
}

/**
 * Fast parse for command arguments: returns the value as a number (exact up to 2^53, rounded
 * beyond but still on the right side of every limit used by callers), or NaN when invalid.
 */
export function parseIntArg(buf: Buffer): number {
  const len = buf.length;
  if (len === 0 || len > 20) return NaN;
  if (len > 15) {
    const v = parseInt64(buf);
    return v === null ? NaN : Number(v);
  }
  let p = 0;
  let negative = false;
  if (buf[0] === 0x2d) {
    negative = true;
    p = 1;
    if (len === 1) return NaN;
  }
  if (buf[p] === 0x30) return len - p === 1 && !negative ? 0 : NaN;
  let value = 0;
  for (let i = p; i < len; i++) {
    const d = buf[i] - 0x30;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return negative ? -value : value;
}

/** Text of an integer, like Redis ll2string. */
export const int64Text = (n: number | bigint): Buffer => Buffer.from(String(n), "latin1");
