// Set commands (t_set.c), including SPOP's propagation as SREM/DEL (OFFSET-8).

import { compareBinary } from "../keyspace.js";
import { parseInt64 } from "../numbers.js";
import { bulk, bulkArray, int, nil, type Reply } from "../reply.js";
import { delCommand, propagate, type CommandSpec } from "./context.js";
import { NOT_POSITIVE, SYNTAX } from "./errors.js";
import { CommandError, lookupTyped, storeKeepTtl, storeOrDeleteIfEmpty } from "./values.js";

const never = () => false;

const sadd: CommandSpec = {
  name: "sadd",
  arity: -3,
  write: true,
  stale: never,
  run(ctx, argv) {
    const members = new Set(lookupTyped(ctx, argv[1], "set")?.value.value ?? []);
    let added = 0;
    for (const m of argv.slice(2)) {
      if (!members.has(m)) {
        members.add(m);
        added++;
      }
    }
    if (added > 0) {
      storeKeepTtl(ctx, argv[1], { type: "set", value: members });
      propagate(ctx, argv);
    }
    return int(added);
  },
};

const srem: CommandSpec = {
  name: "srem",
  arity: -3,
  write: true,
  stale: never,
  run(ctx, argv) {
    const s = lookupTyped(ctx, argv[1], "set");
    if (s === undefined) return int(0);
    const members = new Set(s.value.value);
    let removed = 0;
    for (const m of argv.slice(2)) if (members.delete(m)) removed++;
    if (removed > 0) {
      storeOrDeleteIfEmpty(ctx, argv[1], { type: "set", value: members });
      propagate(ctx, argv);
    }
    return int(removed);
  },
};

const smembers: CommandSpec = {
  name: "smembers",
  arity: 2,
  write: false,
  stale: never,
  run: (ctx, argv) => bulkArray([...(lookupTyped(ctx, argv[1], "set")?.value.value ?? [])], "any"),
};

const sismember: CommandSpec = {
  name: "sismember",
  arity: 3,
  write: false,
  stale: never,
  run: (ctx, argv) => int(lookupTyped(ctx, argv[1], "set")?.value.value.has(argv[2]) ? 1 : 0),
};

const scard: CommandSpec = {
  name: "scard",
  arity: 2,
  write: false,
  stale: never,
  run: (ctx, argv) => int(lookupTyped(ctx, argv[1], "set")?.value.value.size ?? 0),
};

const SREM_BATCH = 1024;

/** All k-element subsets of `items` (in order), for the choice of what SPOP pops. */
function combinations<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [...combinations(rest, k - 1).map((c) => [first, ...c]), ...combinations(rest, k)];
}

// SPOP pops members the server picks at random: each possible pick is a separate model outcome,
// and the harness keeps the one whose reply matches what the server answered.
const spop: CommandSpec = {
  name: "spop",
  arity: -2,
  write: true,
  stale: never,
  run(ctx, argv): Reply {
    if (argv.length > 3) throw new CommandError(SYNTAX);
    const key = argv[1];
    if (argv.length === 2) {
      const s = lookupTyped(ctx, key, "set");
      if (s === undefined) return nil;
      const members = [...s.value.value].sort(compareBinary);
      const m = ctx.chooser.choose("SPOP member", members);
      const rest = new Set(s.value.value);
      rest.delete(m);
      storeOrDeleteIfEmpty(ctx, key, { type: "set", value: rest });
      propagate(ctx, ["SREM", key, m]);
      return bulk(m);
    }
    const c = parseInt64(argv[2]);
    if (c === null || c < 0n) throw new CommandError(NOT_POSITIVE);
    const count = Number(c);
    const s = lookupTyped(ctx, key, "set");
    if (s === undefined || count === 0) return { kind: "array", value: [] };
    const members = [...s.value.value].sort(compareBinary);
    if (count >= members.length) {
      ctx.dataset.delete(ctx.db, key);
      propagate(ctx, [delCommand(ctx.profile.spopAllHonoursLazyfree && ctx.lazyfree.serverDel), key]);
      return bulkArray(members, "any");
    }
    const popped = ctx.chooser.choose(`SPOP ${count} members`, combinations(members, count));
    const rest = new Set(s.value.value);
    for (const m of popped) rest.delete(m);
    storeOrDeleteIfEmpty(ctx, key, { type: "set", value: rest });
    if (ctx.profile.spopCountForm === "srem-each") {
      for (const m of popped) propagate(ctx, ["SREM", key, m]);
    } else {
      for (let i = 0; i < popped.length; i += SREM_BATCH)
        propagate(ctx, ["SREM", key, ...popped.slice(i, i + SREM_BATCH)]);
    }
    return bulkArray(popped, "any");
  },
};

export const setCommands: readonly CommandSpec[] = [sadd, srem, smembers, sismember, scard, spop];
