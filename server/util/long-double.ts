// x87 80-bit long double arithmetic, just enough for INCRBYFLOAT: Redis parses both operands
// with strtold, adds them as long doubles and prints the sum with "%.17Lf" (then trims zeros).
// A double cannot reproduce that (e.g. 3e10 + 1.6 prints 30000000001.59999999962747097), so
// values are kept exactly as sign * mant * 2^exp with a 64-bit significand, using BigInt.

const MANT_BITS = 64;
const MIN_LSB_EXP = -16445; // exponent of the smallest subnormal
const MAX_TOP_EXP = 16383; // largest exponent of the top significand bit

export interface LongDouble {
  negative: boolean;
  /** 0 for zero; "inf" for infinities. */
  mant: bigint;
  exp: number;
  infinite: boolean;
}

const bitLength = (n: bigint): number => (n === 0n ? 0 : n.toString(2).length);

/** Rounds (q + sticky fraction) * 2^exp to the long double grid, ties to even. */
function round(negative: boolean, q: bigint, exp: number, sticky: boolean): LongDouble {
  if (q === 0n) return { negative, mant: 0n, exp: 0, infinite: false };
  let shift = Math.max(0, bitLength(q) - MANT_BITS);
  if (exp + shift < MIN_LSB_EXP) shift = MIN_LSB_EXP - exp;
  if (shift > 0) {
    const dropped = shift > bitLength(q) + 1 ? q : q & ((1n << BigInt(shift)) - 1n);
    const half = 1n << BigInt(shift - 1);
    q >>= BigInt(shift);
    exp += shift;
    if (dropped > half || (dropped === half && (sticky || (q & 1n) === 1n))) q += 1n;
    if (bitLength(q) > MANT_BITS) {
      q >>= 1n;
      exp += 1;
    }
  }
  if (q !== 0n && exp + bitLength(q) - 1 > MAX_TOP_EXP) return { negative, mant: 0n, exp: 0, infinite: true };
  return { negative, mant: q, exp, infinite: false };
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const INF = /^([+-]?)(?:inf|infinity)$/i;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;

/**
 * Redis string2ld(): strtold with no leading space, nothing after the number, no NaN, and no
 * overflow/underflow to infinity/zero. Returns null when Redis would say "not a valid float".
 */
export function parseLongDouble(buf: Buffer): LongDouble | null {
  if (buf.length === 0 || buf.length >= 5 * 1024) return null;
  // string2ld() parses a NUL-terminated copy but also requires strtold to consume all slen bytes,
  // so a NUL byte inside makes the value invalid
  const s = buf.toString("latin1", 0, buf.length);
  if (s.includes("\0")) return null;
  let m = INF.exec(s);
  if (m !== null) return { negative: m[1] === "-", mant: 0n, exp: 0, infinite: true };
  m = HEX.exec(s);
  if (m !== null && (m[2] !== "" || (m[3] ?? "") !== "")) {
    const frac = m[3] ?? "";
    const mant = BigInt(`0x${m[2] + frac || "0"}`);
    const exp = Number(m[4] ?? 0) - 4 * frac.length;
    return checkRange(round(m[1] === "-", mant, exp, false), mant);
  }
  m = DECIMAL.exec(s);
  if (m === null || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const frac = m[3] ?? "";
  const digits = BigInt((m[2] + frac).replace(/^0+/, "") || "0");
  const e10 = Number(m[4] ?? 0) - frac.length;
  const negative = m[1] === "-";
  if (digits === 0n) return { negative, mant: 0n, exp: 0, infinite: false };
  const nd = digits.toString().length;
  if (e10 + nd > 4934) return null; // certainly beyond LDBL_MAX (about 1.19e4932)
  if (e10 + nd < -4952) return null; // certainly below the smallest subnormal (about 3.6e-4951)
  if (e10 >= 0) return checkRange(round(negative, digits * 10n ** BigInt(e10), 0, false), digits);
  const den = 10n ** BigInt(-e10);
  const k = Math.max(0, MANT_BITS + 2 + bitLength(den) - bitLength(digits));
  const num = digits << BigInt(k);
  return checkRange(round(negative, num / den, -k, num % den !== 0n), digits);
}

function checkRange(v: LongDouble, input: bigint): LongDouble | null {
  if (v.infinite) return null; // ERANGE + HUGE_VAL
  if (v.mant === 0n && input !== 0n) return null; // ERANGE + zero
  return v;
}

export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.infinite || b.infinite) {
    if (a.infinite && b.infinite && a.negative !== b.negative)
      return { negative: false, mant: 0n, exp: 0, infinite: true }; // NaN, reported as non-finite
    return a.infinite ? a : b;
  }
  if (a.mant === 0n) return b.mant === 0n ? { ...b, negative: a.negative && b.negative } : b;
  if (b.mant === 0n) return a;
  const exp = Math.min(a.exp, b.exp);
  const av = (a.mant << BigInt(a.exp - exp)) * (a.negative ? -1n : 1n);
  const bv = (b.mant << BigInt(b.exp - exp)) * (b.negative ? -1n : 1n);
  const sum = av + bv;
  if (sum === 0n) return { negative: false, mant: 0n, exp: 0, infinite: false };
  return round(sum < 0n, sum < 0n ? -sum : sum, exp, false);
}

/** Redis ld2string(..., LD_STR_HUMAN): "%.17Lf", trailing zeros and dot removed, "-0" -> "0". */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.infinite) return v.negative ? "-inf" : "inf";
  const scale = 10n ** 17n;
  let n: bigint;
  if (v.exp >= 0) {
    n = (v.mant << BigInt(v.exp)) * scale;
  } else {
    const num = v.mant * scale;
    const sh = BigInt(-v.exp);
    n = num >> sh;
    const rem = num - (n << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (n & 1n) === 1n)) n += 1n;
  }
  let digits = n.toString().padStart(18, "0");
  let text = `${digits.slice(0, -17)}.${digits.slice(-17)}`;
  text = text.replace(/0+$/, "").replace(/\.$/, "");
  if (v.negative && text !== "0") text = `-${text}`;
  digits = text;
  return digits;
}
