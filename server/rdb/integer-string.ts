// Redis stores a string as an integer (RDB_ENC_INT8/16/32) only when it is the canonical decimal form
// of a value (util.c string2ll: no sign but '-', no leading zeros, no "-0", no spaces) and the value
// fits in 32 bits (rdbEncodeInteger). Only such strings are encoded, so decoding reproduces the bytes.

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
/** "-2147483648" is the longest candidate (rdbSaveRawString only tries len <= 11). */
const MAX_CANDIDATE_LENGTH = 11;

const DIGIT_0 = 0x30;
const DIGIT_1 = 0x31;
const DIGIT_9 = 0x39;
const MINUS = 0x2d;

/** Value of `bytes` if it is a canonical 32-bit decimal integer, otherwise null. */
export function canonicalInt32FromBytes(bytes: Uint8Array): number | null {
  const len = bytes.length;
  if (len === 0 || len > MAX_CANDIDATE_LENGTH) return null;
  if (len === 1 && bytes[0] === DIGIT_0) return 0;
  let i = 0;
  const negative = bytes[0] === MINUS;
  if (negative) i = 1;
  if (i >= len || bytes[i] < DIGIT_1 || bytes[i] > DIGIT_9) return null;
  let value = 0;
  for (; i < len; i++) {
    const c = bytes[i];
    if (c < DIGIT_0 || c > DIGIT_9) return null;
    value = value * 10 + (c - DIGIT_0);
  }
  if (negative) value = -value;
  return value >= INT32_MIN && value <= INT32_MAX ? value : null;
}

/** Same as canonicalInt32FromBytes for a latin1 binary string. */
export function canonicalInt32FromLatin1(s: string): number | null {
  const len = s.length;
  if (len === 0 || len > MAX_CANDIDATE_LENGTH) return null;
  if (len === 1 && s.charCodeAt(0) === DIGIT_0) return 0;
  let i = 0;
  const negative = s.charCodeAt(0) === MINUS;
  if (negative) i = 1;
  if (i >= len) return null;
  const first = s.charCodeAt(i);
  if (first < DIGIT_1 || first > DIGIT_9) return null;
  let value = 0;
  for (; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return null;
    value = value * 10 + (c - DIGIT_0);
  }
  if (negative) value = -value;
  return value >= INT32_MIN && value <= INT32_MAX ? value : null;
}
