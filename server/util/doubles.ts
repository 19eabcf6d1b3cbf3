// Double parsing (strtod as used by Redis getDoubleFromObject) and formatting (printf %.17g as
// used by Redis 7.0 addReplyDouble).

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INF = /^[+-]?(?:inf|infinity)$/i;
const HEX = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*)|(?:\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const NONZERO_MANTISSA = /[1-9]/;

/** Parses like strtod with Redis' extra checks; returns NaN when Redis would refuse the value. */
export function parseDouble(buf: Buffer): number {
  if (buf.length === 0 || buf.length > 5000) return NaN;
  const s = buf.toString("latin1", 0, buf.length);
  if (DECIMAL.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return NaN; // overflow: ERANGE with HUGE_VAL
    if (v === 0) {
      const mantissa = s.replace(/[eE].*$/, "");
      if (NONZERO_MANTISSA.test(mantissa)) return NaN; // underflow to zero: ERANGE
    }
    return v;
  }
  if (INF.test(s)) return s.charCodeAt(0) === 0x2d ? -Infinity : Infinity;
  const m = HEX.exec(s);
  if (m !== null) {
    const [intPart, fracPart = ""] = m[2].split(".");
    const digits = (intPart + fracPart).replace(/^0+/, "") || "0";
    let v = Number.parseInt(digits.slice(0, 15), 16) * 2 ** (4 * Math.max(0, digits.length - 15));
    v *= 2 ** (Number(m[3] ?? 0) - 4 * fracPart.length);
    if (!Number.isFinite(v)) return NaN;
    return m[1] === "-" ? -v : v;
  }
  return NaN;
}

/** printf("%.17g", d) for finite d (glibc: exact value, ties to even). */
export function formatDouble17g(d: number): string {
  if (d === 0) return Object.is(d, -0) ? "-0" : "0";
  // an integer of at most 17 digits prints exactly (String() would give the shortest form past 2^53)
  if (Number.isInteger(d) && Math.abs(d) < 1e17) return BigInt(d).toString();
  let digits: string; // 17 significant digits
  let exp: number; // decimal exponent of the first digit
  const neg = d < 0;
  const a = Math.abs(d);
  const e18 = a.toExponential(17); // 18 significant digits, enough to detect ties
  const [m18, ex18] = e18.split("e");
  const all18 = m18.replace(".", "");
  if (all18.endsWith("5") && isExactTie(a)) {
    // toPrecision rounds ties away from zero; glibc rounds them to even.
    let head = BigInt(all18.slice(0, 17));
    if (head % 2n === 1n) head += 1n;
    digits = head.toString();
    exp = Number(ex18);
    if (digits.length > 17) {
      digits = digits.slice(0, 17);
      exp++;
    }
  } else {
    const [m17, ex17] = a.toExponential(16).split("e");
    digits = m17.replace(".", "");
    exp = Number(ex17);
  }
  digits = digits.replace(/0+$/, "");
  let out: string;
  if (exp < -4 || exp >= 17) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ae = Math.abs(exp);
    out = `${mant}e${exp < 0 ? "-" : "+"}${ae < 10 ? "0" : ""}${ae}`;
  } else if (exp < 0) {
    out = `0.${"0".repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    out = digits + "0".repeat(exp + 1 - digits.length);
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return neg ? `-${out}` : out;
}

/** True when d has exactly 18 significant decimal digits (so rounding to 17 is a tie). */
function isExactTie(d: number): boolean {
  const long = Math.abs(d).toExponential(60).split("e")[0].replace(".", "");
  return /^\d{17}50*$/.test(long);
}
