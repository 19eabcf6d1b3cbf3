// String and counter commands (t_string.c), with their propagation rewrites (OFFSET-8).

import {
  formatLongDoubleHuman,
  INT64_MAX,
  INT64_MIN,
  isExactInDouble,
  parseFloatStrict,
  parseInt64,
} from "../numbers.js";
import { bulk, int, nil, ok, type Reply } from "../reply.js";
import { delCommand, ModelUnsupported, propagate, type CommandContext, type CommandSpec } from "./context.js";
import { arityError, invalidExpire, NAN_OR_INF, NOT_FLOAT, NOT_INTEGER, OVERFLOW, SYNTAX } from "./errors.js";
import { CommandError, lookup, lookupTyped, putEntry, storeKeepTtl } from "./values.js";

const never = () => false;

type ExpireUnit = "EX" | "PX" | "EXAT" | "PXAT";

interface SetOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  expire?: { unit: ExpireUnit; amount: bigint };
}

// parseExtendedStringArgumentsOrReply (7.0): every conflicting or incomplete option is a syntax error.
function parseSetOptions(argv: readonly string[]): SetOptions {
  const o: SetOptions = { nx: false, xx: false, get: false, keepTtl: false };
  for (let j = 3; j < argv.length; j++) {
    const a = argv[j].toUpperCase();
    const next = argv[j + 1];
    if (a === "NX" && !o.xx) o.nx = true;
    else if (a === "XX" && !o.nx) o.xx = true;
    else if (a === "GET") o.get = true;
    else if (a === "KEEPTTL" && o.expire === undefined) o.keepTtl = true;
    else if (
      (a === "EX" || a === "PX" || a === "EXAT" || a === "PXAT") &&
      !o.keepTtl &&
      o.expire === undefined &&
      next !== undefined
    ) {
      const amount = parseInt64(next);
      if (amount === null) throw new CommandError(NOT_INTEGER);
      o.expire = { unit: a, amount };
      j++;
    } else throw new CommandError(SYNTAX);
  }
  return o;
}

/** Absolute expiry in ms for an expire option (getExpireMillisecondsOrReply). */
function absoluteExpiry(ctx: CommandContext, unit: ExpireUnit, amount: bigint, command: string): number {
  const seconds = unit === "EX" || unit === "EXAT";
  if (amount <= 0n || (seconds && amount > INT64_MAX / 1000n)) throw new CommandError(invalidExpire(command));
  let ms = seconds ? amount * 1000n : amount;
  if (unit === "EX" || unit === "PX") ms += BigInt(ctx.now);
  if (ms <= 0n || ms > INT64_MAX) throw new CommandError(invalidExpire(command));
  const abs = Number(ms);
  // An absolute time already in the past makes the key expire at a moment the model cannot know.
  if (abs <= ctx.now)
    throw new ModelUnsupported(`${command} with an expiry in the past is not modelled; use a future time`);
  return abs;
}

// OFFSET-8: how SET-with-expiry is propagated per version.
function expiryArgv(
  ctx: CommandContext,
  key: string,
  value: string,
  unit: ExpireUnit,
  amount: bigint,
  abs: number,
): readonly string[] {
  if (ctx.profile.setExpireForm === "px-relative" && (unit === "EX" || unit === "PX")) {
    return ["SET", key, value, "PX", String(unit === "EX" ? amount * 1000n : amount)];
  }
  return ["SET", key, value, "PXAT", String(abs)];
}

function setGeneric(
  ctx: CommandContext,
  key: string,
  value: string,
  o: SetOptions,
  command: string,
  propagated: (abs: number | undefined) => readonly string[],
): Reply {
  const abs = o.expire === undefined ? undefined : absoluteExpiry(ctx, o.expire.unit, o.expire.amount, command);
  const old = o.get ? lookupTyped(ctx, key, "string") : lookup(ctx, key);
  const oldReply = o.get ? bulk(old?.value.type === "string" ? old.value.value : null) : undefined;
  if ((o.nx && old !== undefined) || (o.xx && old === undefined)) return oldReply ?? nil;
  const expireAt = abs ?? (o.keepTtl ? old?.expireAt : undefined);
  putEntry(ctx, key, { type: "string", value }, expireAt);
  propagate(ctx, propagated(abs));
  return oldReply ?? ok;
}

const set: CommandSpec = {
  name: "set",
  arity: -3,
  write: true,
  stale: never,
  run(ctx, argv) {
    const o = parseSetOptions(argv);
    const [, key, value] = argv;
    return setGeneric(ctx, key, value, o, "set", (abs) => {
      if (o.expire !== undefined && abs !== undefined) {
        if (o.expire.unit === "PXAT" && ctx.profile.setPxatVerbatim) return argv;
        return expiryArgv(ctx, key, value, o.expire.unit, o.expire.amount, abs);
      }
      // SET … GET without expiry is propagated without its GET tokens.
      return o.get ? argv.filter((a, j) => j < 3 || a.toUpperCase() !== "GET") : argv;
    });
  },
};

function setexLike(name: string, unit: "EX" | "PX"): CommandSpec {
  return {
    name,
    arity: 4,
    write: true,
    stale: never,
    run(ctx, argv) {
      const [, key, amountArg, value] = argv;
      const amount = parseInt64(amountArg);
      if (amount === null) throw new CommandError(NOT_INTEGER);
      const o: SetOptions = { nx: false, xx: false, get: false, keepTtl: false, expire: { unit, amount } };
      return setGeneric(ctx, key, value, o, name, (abs) => expiryArgv(ctx, key, value, unit, amount, abs!));
    },
  };
}

const setnx: CommandSpec = {
  name: "setnx",
  arity: 3,
  write: true,
  stale: never,
  run(ctx, argv) {
    if (lookup(ctx, argv[1]) !== undefined) return int(0);
    ctx.dataset.set(ctx.db, argv[1], { value: { type: "string", value: argv[2] } });
    propagate(ctx, argv);
    return int(1);
  },
};

const get: CommandSpec = {
  name: "get",
  arity: 2,
  write: false,
  stale: never,
  run: (ctx, argv) => bulk(lookupTyped(ctx, argv[1], "string")?.value.value ?? null),
};

const getset: CommandSpec = {
  name: "getset",
  arity: 3,
  write: true,
  stale: never,
  run(ctx, argv) {
    const old = lookupTyped(ctx, argv[1], "string");
    ctx.dataset.set(ctx.db, argv[1], { value: { type: "string", value: argv[2] } });
    propagate(ctx, ["SET", argv[1], argv[2]]);
    return bulk(old?.value.value ?? null);
  },
};

const getdel: CommandSpec = {
  name: "getdel",
  arity: 2,
  write: true,
  stale: never,
  run(ctx, argv) {
    const old = lookupTyped(ctx, argv[1], "string");
    if (old === undefined) return nil;
    ctx.dataset.delete(ctx.db, argv[1]);
    propagate(ctx, [delCommand(ctx.lazyfree.userDel), argv[1]]);
    return bulk(old.value.value);
  },
};

const mset: CommandSpec = {
  name: "mset",
  arity: -3,
  write: true,
  stale: never,
  run(ctx, argv) {
    if (argv.length % 2 === 0) throw new CommandError(arityError("mset"));
    for (let j = 1; j < argv.length; j += 2)
      ctx.dataset.set(ctx.db, argv[j], { value: { type: "string", value: argv[j + 1] } });
    propagate(ctx, argv);
    return ok;
  },
};

const mget: CommandSpec = {
  name: "mget",
  arity: -2,
  write: false,
  stale: never,
  run(ctx, argv) {
    const values = argv.slice(1).map((k) => {
      const e = lookup(ctx, k);
      return bulk(e?.value.type === "string" ? e.value.value : null);
    });
    return { kind: "array", value: values };
  },
};

const append: CommandSpec = {
  name: "append",
  arity: 3,
  write: true,
  stale: never,
  run(ctx, argv) {
    const old = lookupTyped(ctx, argv[1], "string");
    const value = (old?.value.value ?? "") + argv[2];
    storeKeepTtl(ctx, argv[1], { type: "string", value });
    propagate(ctx, argv);
    return int(utf8Len(value));
  },
};

const strlen: CommandSpec = {
  name: "strlen",
  arity: 2,
  write: false,
  stale: never,
  run: (ctx, argv) => int(utf8Len(lookupTyped(ctx, argv[1], "string")?.value.value ?? "")),
};

function utf8Len(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

// DATA-2: counters operate on int64 with Redis's strict parsing and overflow checks.
function incrBy(ctx: CommandContext, argv: readonly string[], delta: bigint): Reply {
  const old = lookupTyped(ctx, argv[1], "string");
  const current = old === undefined ? 0n : parseInt64(old.value.value);
  if (current === null) throw new CommandError(NOT_INTEGER);
  const next = current + delta;
  if (next > INT64_MAX || next < INT64_MIN) throw new CommandError(OVERFLOW);
  const value = next.toString();
  storeKeepTtl(ctx, argv[1], { type: "string", value });
  propagate(ctx, argv);
  return int(Number(next));
}

function counter(name: string, arity: number, delta: (argv: readonly string[]) => bigint): CommandSpec {
  return { name, arity, write: true, stale: never, run: (ctx, argv) => incrBy(ctx, argv, delta(argv)) };
}

function parseDelta(s: string): bigint {
  const v = parseInt64(s);
  if (v === null) throw new CommandError(NOT_INTEGER);
  return v;
}

const incrbyfloat: CommandSpec = {
  name: "incrbyfloat",
  arity: 3,
  write: true,
  stale: never,
  run(ctx, argv) {
    const old = lookupTyped(ctx, argv[1], "string");
    const current = old === undefined ? 0 : parseFloatStrict(old.value.value);
    const incr = parseFloatStrict(argv[2]);
    if (current === null || incr === null) throw new CommandError(NOT_FLOAT);
    if (!isExactInDouble(argv[2]) || (old !== undefined && !isExactInDouble(old.value.value))) {
      throw new ModelUnsupported(
        "INCRBYFLOAT needs operands exact in binary (e.g. multiples of 1/8): long double rounding is not modelled",
      );
    }
    const next = current + incr;
    if (!Number.isFinite(next)) throw new CommandError(NAN_OR_INF);
    const value = formatLongDoubleHuman(next);
    storeKeepTtl(ctx, argv[1], { type: "string", value });
    // OFFSET-8: propagated as SET key <new value> KEEPTTL in every version.
    propagate(ctx, ["SET", argv[1], value, "KEEPTTL"]);
    return bulk(value);
  },
};

export const stringCommands: readonly CommandSpec[] = [
  set,
  setexLike("setex", "EX"),
  setexLike("psetex", "PX"),
  setnx,
  get,
  getset,
  getdel,
  mset,
  mget,
  append,
  strlen,
  counter("incr", 2, () => 1n),
  counter("decr", 2, () => -1n),
  counter("incrby", 3, (argv) => parseDelta(argv[2])),
  counter("decrby", 3, (argv) => {
    const d = parseDelta(argv[2]);
    if (d === INT64_MIN) throw new CommandError("ERR decrement would overflow");
    return -d;
  }),
  incrbyfloat,
];
