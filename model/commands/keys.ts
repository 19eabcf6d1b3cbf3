// Keyspace commands (db.c, expire.c) and connection commands the model predicts.

import { INT64_MAX, parseInt64 } from "../numbers.js";
import { bulk, int, ok, status, type ExpectedReply } from "../reply.js";
import { argvBytes } from "../resp-size.js";
import { delCommand, ModelUnsupported, propagate, type CommandContext, type CommandSpec } from "./context.js";
import { arityError, invalidExpire, NOT_INTEGER, SYNTAX } from "./errors.js";
import { CommandError, lookup, putEntry } from "./values.js";

const never = () => false;

function deleteKeys(name: string): CommandSpec {
  return {
    name,
    arity: -2,
    write: true,
    stale: never,
    run(ctx, argv) {
      let n = 0;
      for (const k of argv.slice(1)) if (ctx.dataset.delete(ctx.db, k)) n++;
      // OFFSET-6: nothing deleted, nothing propagated.
      if (n > 0) propagate(ctx, argv);
      return int(n);
    },
  };
}

const exists: CommandSpec = {
  name: "exists",
  arity: -2,
  write: false,
  stale: never,
  run: (ctx, argv) => int(argv.slice(1).filter((k) => lookup(ctx, k) !== undefined).length),
};

const type: CommandSpec = {
  name: "type",
  arity: 2,
  write: false,
  stale: never,
  run: (ctx, argv) => status(lookup(ctx, argv[1])?.value.type ?? "none"),
};

const dbsize: CommandSpec = {
  name: "dbsize",
  arity: 1,
  write: false,
  stale: never,
  run: (ctx) => int(ctx.dataset.size(ctx.db)),
};

function checkFlushArgs(argv: readonly string[]): void {
  if (argv.length > 2 || (argv.length === 2 && !["ASYNC", "SYNC"].includes(argv[1].toUpperCase()))) {
    throw new CommandError(SYNTAX);
  }
}

const flushdb: CommandSpec = {
  name: "flushdb",
  arity: -1,
  write: true,
  stale: never,
  run(ctx, argv) {
    checkFlushArgs(argv);
    const removed = ctx.dataset.flushdb(ctx.db);
    // OFFSET-6: 7.0+ forces propagation; 6.2 propagates only when keys were removed.
    if (removed > 0) propagate(ctx, argv);
    else if (ctx.profile.emptyFlushdbPropagated) {
      const bytes = argvBytes(argv);
      propagate(ctx, argv, {
        rule: "OFFSET-6",
        clauseId: "empty-flushdb-propagated",
        clause: "an empty FLUSHDB is propagated in 7.0+",
        alternative: { form: "not propagated", diff: -bytes },
      });
    }
    return ok;
  },
};

const flushall: CommandSpec = {
  name: "flushall",
  arity: -1,
  write: true,
  stale: never,
  run(ctx, argv) {
    checkFlushArgs(argv);
    ctx.dataset.flushall();
    // OFFSET-6: FLUSHALL is always propagated (6.2 does dirty++, 7.0+ forces it).
    propagate(ctx, argv, {
      rule: "OFFSET-6",
      clauseId: "flushall-propagated",
      clause: "FLUSHALL is always propagated",
      alternative: { form: "not propagated", diff: -argvBytes(argv) },
    });
    return ok;
  },
};

type ExpireKind = "expire" | "pexpire" | "expireat" | "pexpireat";

// expire.c expireGenericCommand (7.0): NX/XX/GT/LT conditions, past times delete the key.
function expireCommand(name: ExpireKind): CommandSpec {
  const seconds = name === "expire" || name === "expireat";
  const relative = name === "expire" || name === "pexpire";
  return {
    name,
    arity: -3,
    write: true,
    stale: never,
    run(ctx, argv) {
      if (ctx.profile.expireForm === "verbatim" && argv.length !== 3) throw new CommandError(arityError(name));
      const [, key, whenArg] = argv;
      const flags = parseExpireFlags(argv.slice(3));
      const when = parseInt64(whenArg);
      if (when === null) throw new CommandError(NOT_INTEGER);
      if (seconds && (when > INT64_MAX / 1000n || when < -INT64_MAX / 1000n))
        throw new CommandError(invalidExpire(name));
      let ms = seconds ? when * 1000n : when;
      if (relative) ms += BigInt(ctx.now);
      if (ms > INT64_MAX) throw new CommandError(invalidExpire(name));
      const entry = lookup(ctx, key);
      if (entry === undefined) return int(0);
      const at = Number(ms);
      const current = entry.expireAt;
      if (flags.nx && current !== undefined) return int(0);
      if (flags.xx && current === undefined) return int(0);
      // GT/LT treat a key without expiry as an infinite TTL.
      if (flags.gt && (current === undefined || at <= current)) return int(0);
      if (flags.lt && current !== undefined && at >= current) return int(0);
      if (at <= ctx.now) {
        if (ctx.isReplica)
          throw new ModelUnsupported(`${name} in the past on a replica keeps a logically expired key; not modelled`);
        // OFFSET-8: an expiry already in the past deletes the key and goes out as DEL/UNLINK.
        ctx.dataset.delete(ctx.db, key);
        propagate(ctx, [delCommand(ctx.lazyfree.expire), key]);
        return int(1);
      }
      putEntry(ctx, key, entry.value, at);
      // OFFSET-8: 7.0+ propagates PEXPIREAT <abs ms> with the flags kept; 6.2 the command verbatim.
      propagate(ctx, ctx.profile.expireForm === "pexpireat" ? ["PEXPIREAT", key, String(at), ...argv.slice(3)] : argv);
      return int(1);
    },
  };
}

function parseExpireFlags(args: readonly string[]): { nx: boolean; xx: boolean; gt: boolean; lt: boolean } {
  const f = { nx: false, xx: false, gt: false, lt: false };
  for (const a of args) {
    const u = a.toUpperCase();
    if (u === "NX") f.nx = true;
    else if (u === "XX") f.xx = true;
    else if (u === "GT") f.gt = true;
    else if (u === "LT") f.lt = true;
    else throw new CommandError(`ERR Unsupported option ${a}`);
  }
  if (f.nx && (f.xx || f.gt || f.lt))
    throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
  if (f.gt && f.lt) throw new CommandError("ERR GT and LT options at the same time are not compatible");
  return f;
}

const persist: CommandSpec = {
  name: "persist",
  arity: 2,
  write: true,
  stale: never,
  run(ctx, argv) {
    const e = lookup(ctx, argv[1]);
    if (e?.expireAt === undefined) return int(0);
    putEntry(ctx, argv[1], e.value, undefined);
    propagate(ctx, argv);
    return int(1);
  },
};

// TTL/PTTL depend on the server's clock: the model predicts only the sign (-2, -1, or >= 0).
function ttlReply(ctx: CommandContext, key: string): ExpectedReply {
  const e = lookup(ctx, key);
  if (e === undefined) return int(-2);
  if (e.expireAt === undefined) return int(-1);
  return { kind: "int-range", min: 0, max: Number.MAX_SAFE_INTEGER };
}

const ttl: CommandSpec = {
  name: "ttl",
  arity: 2,
  write: false,
  stale: never,
  run: (ctx, argv) => ttlReply(ctx, argv[1]),
};
const pttl: CommandSpec = {
  name: "pttl",
  arity: 2,
  write: false,
  stale: never,
  run: (ctx, argv) => ttlReply(ctx, argv[1]),
};

// RO-2: PING lost the stale flag in 7.0 while ECHO gained it.
const ping: CommandSpec = {
  name: "ping",
  arity: -1,
  write: false,
  stale: (p) => p.stalePingAllowed,
  run(_ctx, argv) {
    if (argv.length > 2) throw new CommandError(arityError("ping"));
    return argv.length === 2 ? bulk(argv[1]) : status("PONG");
  },
};

const echo: CommandSpec = {
  name: "echo",
  arity: 2,
  write: false,
  stale: (p) => !p.stalePingAllowed,
  run: (_ctx, argv) => bulk(argv[1]),
};

export const keyCommands: readonly CommandSpec[] = [
  deleteKeys("del"),
  deleteKeys("unlink"),
  exists,
  type,
  dbsize,
  flushdb,
  flushall,
  expireCommand("expire"),
  expireCommand("pexpire"),
  expireCommand("expireat"),
  expireCommand("pexpireat"),
  persist,
  ttl,
  pttl,
  ping,
  echo,
];
