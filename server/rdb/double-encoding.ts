// Sorted-set scores: ZSET_2 stores IEEE-754 binary64 little-endian (rdbSaveBinaryDoubleValue); the old
// ZSET type stores text prefixed by a length byte, where 253/254/255 mean nan/+inf/-inf
// (rdbLoadDoubleValue). Listpacks and ziplists hold scores as text or integers.

import type { ByteCursor } from "./byte-cursor.js";

const TEXT_NAN = 253;
const TEXT_POS_INF = 254;
const TEXT_NEG_INF = 255;

/** Parses a score the way strtod does for what Redis writes ("1.5", "-3", "inf", "-inf", "1e+300"). */
export function parseScoreText(text: string): number {
  const t = text.toLowerCase();
  if (t === "inf" || t === "+inf" || t === "infinity" || t === "+infinity") return Infinity;
  if (t === "-inf" || t === "-infinity") return -Infinity;
  if (t.length === 0 || t.trim() !== t) return NaN;
  return Number(t);
}

export function readTextDouble(cur: ByteCursor, what: string): number {
  const len = cur.u8(what);
  if (len === TEXT_NAN) return NaN;
  if (len === TEXT_POS_INF) return Infinity;
  if (len === TEXT_NEG_INF) return -Infinity;
  return parseScoreText(cur.latin1(len, what));
}

export function readBinaryDouble(cur: ByteCursor, what: string): number {
  return cur.f64le(what);
}
