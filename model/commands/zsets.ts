// Sorted-set commands (t_zset.c).

import { sortedZset } from "../keyspace.js";
import { formatG17, formatShortest, parseFloatStrict } from "../numbers.js";
import type { Profile } from "../profile.js";
import { bulk, int, nil, type Reply } from "../reply.js";
import { ModelUnsupported, propagate, type CommandSpec } from "./context.js";
import { NOT_FLOAT, SYNTAX } from "./errors.js";
import { normaliseRange, parseRange } from "./lists.js";
import { CommandError, lookupTyped, storeKeepTtl, storeOrDeleteIfEmpty } from "./values.js";

const never = () => false;

// DATA-3: float replies differ per version ("%.17g" vs shortest round-trip).
export function formatDouble(profile: Profile, x: number): string {
  return profile.doubleReply === "g17" ? formatG17(x) : formatShortest(x);
}

function parseScore(s: string): number {
  if (/^[+-]?inf(inity)?$/i.test(s)) throw new ModelUnsupported("infinite scores are not modelled");
  const v = parseFloatStrict(s);
  if (v === null || !Number.isFinite(v)) throw new CommandError(NOT_FLOAT);
  return v;
}

interface ZaddFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
  ch: boolean;
  incr: boolean;
}

function zaddGeneric(
  ctx: Parameters<CommandSpec["run"]>[0],
  argv: readonly string[],
  f: ZaddFlags,
  first: number,
): Reply {
  const rest = argv.slice(first);
  if (rest.length === 0 || rest.length % 2 !== 0) throw new CommandError(SYNTAX);
  if (f.nx && f.xx) throw new CommandError("ERR XX and NX options at the same time are not compatible");
  if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt)) {
    throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (f.incr && rest.length > 2) throw new CommandError("ERR INCR option supports a single increment-element pair");
  const pairs: [number, string][] = [];
  for (let j = 0; j < rest.length; j += 2) pairs.push([parseScore(rest[j]), rest[j + 1]]);
  const key = argv[1];
  const z = new Map(lookupTyped(ctx, key, "zset")?.value.value ?? []);
  let added = 0;
  let updated = 0;
  let incrResult: number | null = null;
  for (const [score, member] of pairs) {
    const cur = z.get(member);
    if (cur === undefined) {
      if (f.xx) continue;
      z.set(member, score);
      added++;
      incrResult = score;
      continue;
    }
    if (f.nx) continue;
    const next = f.incr ? cur + score : score;
    if (Number.isNaN(next)) throw new CommandError("ERR resulting score is not a number (NaN)");
    if ((f.gt && next <= cur) || (f.lt && next >= cur)) continue;
    incrResult = next;
    if (next !== cur) {
      z.set(member, next);
      updated++;
    }
  }
  if (added + updated > 0) {
    storeKeepTtl(ctx, key, { type: "zset", value: z });
    propagate(ctx, argv);
  }
  if (f.incr) return incrResult === null ? nil : bulk(formatDouble(ctx.profile, incrResult));
  return int(f.ch ? added + updated : added);
}

const zadd: CommandSpec = {
  name: "zadd",
  arity: -4,
  write: true,
  stale: never,
  run(ctx, argv) {
    const f: ZaddFlags = { nx: false, xx: false, gt: false, lt: false, ch: false, incr: false };
    let j = 2;
    for (; j < argv.length; j++) {
      const a = argv[j].toUpperCase();
      if (a === "NX") f.nx = true;
      else if (a === "XX") f.xx = true;
      else if (a === "GT") f.gt = true;
      else if (a === "LT") f.lt = true;
      else if (a === "CH") f.ch = true;
      else if (a === "INCR") f.incr = true;
      else break;
    }
    return zaddGeneric(ctx, argv, f, j);
  },
};

const zincrby: CommandSpec = {
  name: "zincrby",
  arity: 4,
  write: true,
  stale: never,
  run: (ctx, argv) => zaddGeneric(ctx, argv, { nx: false, xx: false, gt: false, lt: false, ch: false, incr: true }, 2),
};

const zrem: CommandSpec = {
  name: "zrem",
  arity: -3,
  write: true,
  stale: never,
  run(ctx, argv) {
    const zs = lookupTyped(ctx, argv[1], "zset");
    if (zs === undefined) return int(0);
    const z = new Map(zs.value.value);
    let removed = 0;
    for (const m of argv.slice(2)) if (z.delete(m)) removed++;
    if (removed > 0) {
      storeOrDeleteIfEmpty(ctx, argv[1], { type: "zset", value: z });
      propagate(ctx, argv);
    }
    return int(removed);
  },
};

const zscore: CommandSpec = {
  name: "zscore",
  arity: 3,
  write: false,
  stale: never,
  run(ctx, argv) {
    const s = lookupTyped(ctx, argv[1], "zset")?.value.value.get(argv[2]);
    return s === undefined ? nil : bulk(formatDouble(ctx.profile, s));
  },
};

const zcard: CommandSpec = {
  name: "zcard",
  arity: 2,
  write: false,
  stale: never,
  run: (ctx, argv) => int(lookupTyped(ctx, argv[1], "zset")?.value.value.size ?? 0),
};

// ZRANGE by index only (the model's generators use no BYSCORE/BYLEX/REV/LIMIT).
const zrange: CommandSpec = {
  name: "zrange",
  arity: -4,
  write: false,
  stale: never,
  run(ctx, argv): Reply {
    const opts = argv.slice(4).map((a) => a.toUpperCase());
    if (opts.some((o) => o !== "WITHSCORES"))
      throw new ModelUnsupported("ZRANGE options other than WITHSCORES are not modelled");
    const withScores = opts.length > 0;
    const indices = parseRange(argv[2], argv[3]);
    const sorted = sortedZset(lookupTyped(ctx, argv[1], "zset")?.value.value ?? new Map());
    const range = normaliseRange(indices, sorted.length);
    const slice = range === null ? [] : sorted.slice(range[0], range[1] + 1);
    const items = slice.flatMap(([m, s]) => (withScores ? [bulk(m), bulk(formatDouble(ctx.profile, s))] : [bulk(m)]));
    return { kind: "array", value: items };
  },
};

export const zsetCommands: readonly CommandSpec[] = [zadd, zincrby, zrem, zscore, zcard, zrange];
