// Sorted set commands (t_zset.c): ZADD with NX/XX/GT/LT/CH/INCR, ZINCRBY, ZREM, ZSCORE,
// ZCARD, ZRANGE (rank, BYSCORE, BYLEX, REV, LIMIT, WITHSCORES). Order: score, then member bytes.

import { def, type CommandDefinition } from "./command-spec.js";
import { NOT_FLOAT, NOT_INTEGER, SYNTAX_ERROR, type CommandContext } from "./command-context.js";
import { parseIntArg } from "../util/integers.js";
import { cOption } from "../util/c-string.js";
import { formatDouble17g, parseDouble } from "../util/doubles.js";
import { zsetInsertScore, type ZSetValue } from "../keyspace/types.js";

const Z_NX = 1;
const Z_XX = 2;
const Z_GT = 4;
const Z_LT = 8;
const Z_INCR = 16;

/** addReplyDouble() in RESP2: inf/-inf, otherwise %.17g. */
export function replyDouble(ctx: CommandContext, d: number): void {
  if (d === Infinity) ctx.reply.addBulkLatin1("inf");
  else if (d === -Infinity) ctx.reply.addBulkLatin1("-inf");
  else ctx.reply.addBulkLatin1(formatDouble17g(d));
}

function zaddGeneric(ctx: CommandContext, initialFlags: number): void {
  const argv = ctx.argv;
  let flags = initialFlags;
  let ch = false;
  let scoreIdx = 2;
  while (scoreIdx < argv.length) {
    const o = cOption(argv[scoreIdx]);
    if (o === "nx") flags |= Z_NX;
    else if (o === "xx") flags |= Z_XX;
    else if (o === "ch") ch = true;
    else if (o === "incr") flags |= Z_INCR;
    else if (o === "gt") flags |= Z_GT;
    else if (o === "lt") flags |= Z_LT;
    else break;
    scoreIdx++;
  }
  let elements = argv.length - scoreIdx;
  if (elements % 2 !== 0 || elements === 0) return ctx.reply.addError(SYNTAX_ERROR);
  elements /= 2;
  const nx = (flags & Z_NX) !== 0;
  const xx = (flags & Z_XX) !== 0;
  const gt = (flags & Z_GT) !== 0;
  const lt = (flags & Z_LT) !== 0;
  const incr = (flags & Z_INCR) !== 0;
  if (nx && xx) return ctx.reply.addError("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    return ctx.reply.addError("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (incr && elements > 1) return ctx.reply.addError("ERR INCR option supports a single increment-element pair");
  const scores: number[] = [];
  for (let j = 0; j < elements; j++) {
    const s = parseDouble(argv[scoreIdx + j * 2]);
    if (Number.isNaN(s)) return ctx.reply.addError(NOT_FLOAT);
    scores.push(s);
  }
  const key = ctx.key(1);
  const e = ctx.writeTyped(key, "zset");
  if (e === null) return;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (e !== undefined || !xx) {
    let zv: ZSetValue;
    if (e === undefined) {
      zv = { type: "zset", value: new Map() };
      ctx.db.set(key, zv);
    } else {
      zv = e.value as ZSetValue;
    }
    const zset = zv.value;
    for (let j = 0; j < elements; j++) {
      score = scores[j];
      const member = ctx.key(scoreIdx + 1 + j * 2);
      const cur = zset.get(member);
      if (cur !== undefined) {
        if (nx) continue;
        if (incr) {
          score += cur;
          if (Number.isNaN(score)) return ctx.reply.addError("ERR resulting score is not a number (NaN)");
        }
        if ((lt && score >= cur) || (gt && score <= cur)) continue;
        processed++;
        if (score !== cur) {
          zset.set(member, zv.skiplist || score !== 0 ? score : 0);
          updated++;
        }
      } else if (!xx) {
        zset.set(member, zsetInsertScore(zv, member, score));
        added++;
        processed++;
      }
    }
    if (zset.size === 0) ctx.db.delete(key);
  }
  if (added + updated > 0) ctx.dirty(added + updated);
  if (incr) {
    if (processed > 0) replyDouble(ctx, score);
    else ctx.reply.addNullBulk();
  } else {
    ctx.reply.addInteger(ch ? added + updated : added);
  }
}

function zremCommand(ctx: CommandContext): void {
  const key = ctx.key(1);
  const e = ctx.writeTyped(key, "zset");
  if (e === null) return;
  if (e === undefined) return ctx.reply.addInteger(0);
  const zset = (e.value as ZSetValue).value;
  let deleted = 0;
  for (let j = 2; j < ctx.argv.length; j++) {
    if (zset.delete(ctx.key(j))) deleted++;
    if (zset.size === 0) {
      ctx.db.delete(key);
      break;
    }
  }
  if (deleted > 0) ctx.dirty(deleted);
  ctx.reply.addInteger(deleted);
}

function zscoreCommand(ctx: CommandContext): void {
  const e = ctx.readTyped(ctx.key(1), "zset");
  if (e === null) return;
  const s = e === undefined ? undefined : (e.value as ZSetValue).value.get(ctx.key(2));
  if (s === undefined) ctx.reply.addNullBulk();
  else replyDouble(ctx, s);
}

function zcardCommand(ctx: CommandContext): void {
  const e = ctx.readTyped(ctx.key(1), "zset");
  if (e === null) return;
  ctx.reply.addInteger(e === undefined ? 0 : (e.value as ZSetValue).value.size);
}

/** Members sorted by (score, member bytes); latin1 strings compare like memcmp. */
export function sortedMembers(zset: Map<string, number>): [string, number][] {
  return [...zset].sort((a, b) => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

interface ScoreBound {
  value: number;
  exclusive: boolean;
}

/** zslParseRange(): "(" for exclusive, strtod (leading spaces ok, empty = 0), no NaN. */
function parseScoreBound(b: Buffer): ScoreBound | null {
  let s = b.toString("latin1", 0, b.length);
  let exclusive = false;
  if (s.startsWith("(")) {
    exclusive = true;
    s = s.slice(1);
  }
  const t = s.replace(/^[ \t\n\v\f\r]+/, "");
  if (t === "") return s === "" || t === "" ? { value: 0, exclusive } : null;
  const v = parseDouble(Buffer.from(t, "latin1"));
  if (Number.isNaN(v)) {
    // strtod also accepts values that overflow (to inf) or underflow (to 0) here
    const n = Number(t);
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return { value: n, exclusive };
    return null;
  }
  return { value: v, exclusive };
}

/** A BYLEX bound (zslParseLexRangeItem): "-" / "+" alone, or "(" / "[" and the member bytes. */
interface LexBound {
  /** -1: minus infinity, 1: plus infinity, 0: `value`. */
  inf: -1 | 0 | 1;
  value: string;
  exclusive: boolean;
}

function parseLexBound(b: Buffer): LexBound | null {
  if (b.length === 0) return null;
  // c[1] != '\0': a NUL right after the sign ends the C string too
  if (b[0] === 0x2b) return b.length === 1 || b[1] === 0 ? { inf: 1, value: "", exclusive: true } : null;
  if (b[0] === 0x2d) return b.length === 1 || b[1] === 0 ? { inf: -1, value: "", exclusive: true } : null;
  if (b[0] === 0x28 || b[0] === 0x5b)
    return { inf: 0, value: b.toString("latin1", 1, b.length), exclusive: b[0] === 0x28 };
  return null;
}

/** sdscmplex(): the infinities first, then memcmp order (latin1 strings compare like memcmp). */
function cmpLex(a: LexBound | string, b: LexBound): number {
  const ai = typeof a === "string" ? 0 : a.inf;
  if (ai !== 0 || b.inf !== 0) return ai === b.inf ? 0 : ai < b.inf ? -1 : 1;
  const av = typeof a === "string" ? a : a.value;
  return av < b.value ? -1 : av > b.value ? 1 : 0;
}

const lexGteMin = (m: string, min: LexBound): boolean => (min.exclusive ? cmpLex(m, min) > 0 : cmpLex(m, min) >= 0);
const lexLteMax = (m: string, max: LexBound): boolean => (max.exclusive ? cmpLex(m, max) < 0 : cmpLex(m, max) <= 0);

/**
 * genericZrangebylexCommand() over a listpack (zzlFirstInLexRange / zzlLastInLexRange): the walk
 * is in (score, member) order, so with mixed scores the result is Redis's, not a lex filter.
 */
function lexRange(
  sorted: [string, number][],
  min: LexBound,
  max: LexBound,
  reverse: boolean,
  offset: number,
  limit: number,
): [string, number][] {
  const out: [string, number][] = [];
  const cmp = cmpLex(min, max);
  if (cmp > 0 || (cmp === 0 && (min.exclusive || max.exclusive)) || sorted.length === 0) return out;
  if (!lexGteMin(sorted[sorted.length - 1][0], min) || !lexLteMax(sorted[0][0], max)) return out; // zzlIsInLexRange
  let i: number;
  if (!reverse) {
    i = sorted.findIndex((e) => lexGteMin(e[0], min));
    if (i === -1 || !lexLteMax(sorted[i][0], max)) return out;
  } else {
    i = sorted.length - 1;
    while (i >= 0 && !lexLteMax(sorted[i][0], max)) i--;
    if (i === -1 || !lexGteMin(sorted[i][0], min)) return out;
  }
  const step = reverse ? -1 : 1;
  if (offset < 0) return out; // offset-- never reaches 0 before the end
  i += step * offset;
  for (let n = limit; i >= 0 && i < sorted.length && n !== 0; i += step, n--) {
    if (reverse ? !lexGteMin(sorted[i][0], min) : !lexLteMax(sorted[i][0], max)) break;
    out.push(sorted[i]);
  }
  return out;
}

function zrangeCommand(ctx: CommandContext): void {
  const argv = ctx.argv;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  let reverse = false;
  let byScore = false;
  let byLex = false;
  let directionSet = false;
  for (let j = 4; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const o = cOption(argv[j]);
    if (o === "withscores") withScores = true;
    else if (o === "limit" && left >= 2) {
      offset = parseIntArg(argv[j + 1]);
      limit = Number.isNaN(offset) ? 0 : parseIntArg(argv[j + 2]);
      if (Number.isNaN(offset) || Number.isNaN(limit)) return ctx.reply.addError(NOT_INTEGER);
      j += 2;
    } else if (!directionSet && o === "rev") {
      reverse = true;
      directionSet = true;
    } else if (!byScore && !byLex && o === "bylex") byLex = true;
    else if (!byScore && !byLex && o === "byscore") byScore = true;
    else return ctx.reply.addError(SYNTAX_ERROR);
  }
  if (limit !== -1 && !byScore && !byLex) {
    return ctx.reply.addError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  }
  if (withScores && byLex)
    return ctx.reply.addError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  let minIdx = 2;
  let maxIdx = 3;
  if (reverse && (byScore || byLex)) [minIdx, maxIdx] = [maxIdx, minIdx];
  let lexMin: LexBound | null = null;
  let lexMax: LexBound | null = null;
  let start = 0;
  let end = 0;
  let min: ScoreBound | null = null;
  let max: ScoreBound | null = null;
  if (byLex) {
    lexMin = parseLexBound(argv[minIdx]);
    lexMax = parseLexBound(argv[maxIdx]);
    if (lexMin === null || lexMax === null) return ctx.reply.addError("ERR min or max not valid string range item");
  } else if (!byScore) {
    start = parseIntArg(argv[minIdx]);
    end = parseIntArg(argv[maxIdx]);
    if (Number.isNaN(start) || Number.isNaN(end)) return ctx.reply.addError(NOT_INTEGER);
  } else {
    min = parseScoreBound(argv[minIdx]);
    max = parseScoreBound(argv[maxIdx]);
    if (min === null || max === null) return ctx.reply.addError("ERR min or max is not a float");
  }
  const e = ctx.readTyped(ctx.key(1), "zset");
  if (e === null) return;
  if (e === undefined) return ctx.reply.addArrayLength(0);
  const sorted = sortedMembers((e.value as ZSetValue).value);
  if (byLex) {
    const picked = lexRange(sorted, lexMin as LexBound, lexMax as LexBound, reverse, offset, limit);
    ctx.reply.addArrayLength(picked.length);
    for (const [m] of picked) ctx.reply.addBulkLatin1(m);
    return;
  }
  if (reverse) sorted.reverse();
  let picked: [string, number][];
  if (!byScore) {
    const len = sorted.length;
    if (start < 0) start = len + start;
    if (end < 0) end = len + end;
    if (start < 0) start = 0;
    if (start > end || start >= len) return ctx.reply.addArrayLength(0);
    if (end >= len) end = len - 1;
    picked = sorted.slice(start, end + 1);
  } else {
    const lo = min as ScoreBound;
    const hi = max as ScoreBound;
    const inRange = (s: number): boolean =>
      (lo.exclusive ? s > lo.value : s >= lo.value) && (hi.exclusive ? s < hi.value : s <= hi.value);
    picked = [];
    if (offset >= 0) {
      let skipped = 0;
      for (const entry of sorted) {
        if (!inRange(entry[1])) continue;
        if (skipped < offset) {
          skipped++;
          continue;
        }
        if (limit >= 0 && picked.length >= limit) break;
        picked.push(entry);
      }
    }
  }
  ctx.reply.addArrayLength(withScores ? picked.length * 2 : picked.length);
  for (const [m, s] of picked) {
    ctx.reply.addBulkLatin1(m);
    if (withScores) replyDouble(ctx, s);
  }
}

export const zsetCommands: CommandDefinition[] = [
  def("zadd", -4, "write denyoom fast", [1, 1, 1], "write sortedset fast", (ctx) => zaddGeneric(ctx, 0)),
  def("zincrby", 4, "write denyoom fast", [1, 1, 1], "write sortedset fast", (ctx) => zaddGeneric(ctx, Z_INCR)),
  def("zrem", -3, "write fast", [1, 1, 1], "write sortedset fast", zremCommand),
  def("zscore", 3, "readonly fast", [1, 1, 1], "read sortedset fast", zscoreCommand),
  def("zrange", -4, "readonly", [1, 1, 1], "read sortedset slow", zrangeCommand),
  def("zcard", 2, "readonly fast", [1, 1, 1], "read sortedset fast", zcardCommand),
];
