// Hash commands (t_hash.c).

import { INT64_MAX, INT64_MIN, parseInt64 } from "../numbers.js";
import { bulk, int, type Reply } from "../reply.js";
import { propagate, type CommandSpec } from "./context.js";
import { arityError, HASH_NOT_INTEGER, NOT_INTEGER, OVERFLOW } from "./errors.js";
import { CommandError, lookupTyped, storeKeepTtl, storeOrDeleteIfEmpty } from "./values.js";

const never = () => false;

const hset: CommandSpec = {
  name: "hset",
  arity: -4,
  write: true,
  stale: never,
  run(ctx, argv) {
    if (argv.length % 2 === 1) throw new CommandError(arityError("hset"));
    const fields = new Map(lookupTyped(ctx, argv[1], "hash")?.value.value ?? []);
    let created = 0;
    for (let j = 2; j < argv.length; j += 2) {
      if (!fields.has(argv[j])) created++;
      fields.set(argv[j], argv[j + 1]);
    }
    storeKeepTtl(ctx, argv[1], { type: "hash", value: fields });
    // HSET always counts as a change (dirty += pairs), even when values are unchanged.
    propagate(ctx, argv);
    return int(created);
  },
};

const hget: CommandSpec = {
  name: "hget",
  arity: 3,
  write: false,
  stale: never,
  run: (ctx, argv) => bulk(lookupTyped(ctx, argv[1], "hash")?.value.value.get(argv[2]) ?? null),
};

const hdel: CommandSpec = {
  name: "hdel",
  arity: -3,
  write: true,
  stale: never,
  run(ctx, argv) {
    const h = lookupTyped(ctx, argv[1], "hash");
    if (h === undefined) return int(0);
    const fields = new Map(h.value.value);
    let n = 0;
    for (const f of argv.slice(2)) if (fields.delete(f)) n++;
    if (n > 0) {
      storeOrDeleteIfEmpty(ctx, argv[1], { type: "hash", value: fields });
      propagate(ctx, argv);
    }
    return int(n);
  },
};

const hgetall: CommandSpec = {
  name: "hgetall",
  arity: 2,
  write: false,
  stale: never,
  run(ctx, argv): Reply {
    const pairs = [...(lookupTyped(ctx, argv[1], "hash")?.value.value ?? [])];
    return { kind: "array", value: pairs.flatMap(([f, v]) => [bulk(f), bulk(v)]), order: "pairs-any" };
  },
};

const hincrby: CommandSpec = {
  name: "hincrby",
  arity: 4,
  write: true,
  stale: never,
  run(ctx, argv) {
    const delta = parseInt64(argv[3]);
    if (delta === null) throw new CommandError(NOT_INTEGER);
    const fields = new Map(lookupTyped(ctx, argv[1], "hash")?.value.value ?? []);
    const old = fields.get(argv[2]);
    const current = old === undefined ? 0n : parseInt64(old);
    if (current === null) throw new CommandError(HASH_NOT_INTEGER);
    const next = current + delta;
    if (next > INT64_MAX || next < INT64_MIN) throw new CommandError(OVERFLOW);
    fields.set(argv[2], next.toString());
    storeKeepTtl(ctx, argv[1], { type: "hash", value: fields });
    propagate(ctx, argv);
    return int(Number(next));
  },
};

const hlen: CommandSpec = {
  name: "hlen",
  arity: 2,
  write: false,
  stale: never,
  run: (ctx, argv) => int(lookupTyped(ctx, argv[1], "hash")?.value.value.size ?? 0),
};

const hexists: CommandSpec = {
  name: "hexists",
  arity: 3,
  write: false,
  stale: never,
  run: (ctx, argv) => int(lookupTyped(ctx, argv[1], "hash")?.value.value.has(argv[2]) ? 1 : 0),
};

export const hashCommands: readonly CommandSpec[] = [hset, hget, hdel, hgetall, hincrby, hlen, hexists];
