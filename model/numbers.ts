// Number parsing and formatting exactly as Redis does it for the values the model supports.

/** Redis string2ll: optional '-', no '+', no leading zeros, no spaces, within int64. */
export function parseInt64(s: string): bigint | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s) || s.length > 20) return null;
  const v = BigInt(s);
  return v >= INT64_MIN && v <= INT64_MAX ? v : null;
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** A float operand as Redis's strtod/strtold accepts it (decimal forms only; no spaces, no NaN). */
export function parseFloatStrict(s: string): number | null {
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return null;
  return Number(s);
}

/**
 * True when the decimal string denotes a dyadic rational that a double holds exactly (so double
 * and long double arithmetic agree, which INCRBYFLOAT needs to be modelled without emulating
 * 80-bit floats).
 */
export function isExactInDouble(s: string): boolean {
  const m = /^([+-]?)([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?$/.exec(s);
  if (m === null) return false;
  const digits = (m[2] + m[3]).replace(/^0+/, "") || "0";
  const scale = m[3].length - Number(m[4] ?? 0); // value = digits / 10^scale
  const n = BigInt(digits);
  if (scale <= 0) return n * 10n ** BigInt(-scale) <= 2n ** 53n;
  // digits / 10^scale = digits / (2^scale * 5^scale) is dyadic iff 5^scale divides digits.
  if (n % 5n ** BigInt(scale) !== 0n) return false;
  return scale <= 40 && n <= 2n ** 53n * 5n ** BigInt(scale);
}

// DATA-3: INCRBYFLOAT prints "%.17Lf" and strips trailing zeros (util.c ld2string, LD_STR_HUMAN).
export function formatLongDoubleHuman(x: number): string {
  let s = x.toFixed(17);
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s === "-0" ? "0" : s;
}

// 6.2 / 7.0 addReplyDouble: "%.17g".
export function formatG17(x: number): string {
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const [mant, expStr] = x.toExponential(16).split("e");
  const exp = Number(expStr);
  if (exp < -4 || exp >= 17) {
    const m = mant.includes(".") ? mant.replace(/0+$/, "").replace(/\.$/, "") : mant;
    const sign = exp < 0 ? "-" : "+";
    return `${m}e${sign}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const fixed = x.toFixed(Math.max(0, 16 - exp));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

// 7.2+ addReplyDouble: the shortest representation that round-trips (fpconv_dtoa).
export function formatShortest(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  return String(x);
}
