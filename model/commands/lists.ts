// List commands (t_list.c).

import { parseInt64 } from "../numbers.js";
import { bulk, bulkArray, int, nil, nilArray, type Reply } from "../reply.js";
import { propagate, type CommandContext, type CommandSpec } from "./context.js";
import { NOT_INTEGER, NOT_POSITIVE } from "./errors.js";
import { CommandError, lookupTyped, storeKeepTtl, storeOrDeleteIfEmpty } from "./values.js";

const never = () => false;

function push(name: string, atHead: boolean): CommandSpec {
  return {
    name,
    arity: -3,
    write: true,
    stale: never,
    run(ctx, argv) {
      const items = [...(lookupTyped(ctx, argv[1], "list")?.value.value ?? [])];
      for (const v of argv.slice(2)) {
        if (atHead) items.unshift(v);
        else items.push(v);
      }
      storeKeepTtl(ctx, argv[1], { type: "list", value: items });
      propagate(ctx, argv);
      return int(items.length);
    },
  };
}

function pop(name: string, atHead: boolean): CommandSpec {
  return {
    name,
    arity: -2,
    write: true,
    stale: never,
    run(ctx, argv) {
      if (argv.length > 3) throw new CommandError(`ERR wrong number of arguments for '${name}' command`);
      const withCount = argv.length === 3;
      let count = 1;
      if (withCount) {
        const c = parseInt64(argv[2]);
        if (c === null || c < 0n) throw new CommandError(NOT_POSITIVE);
        count = Number(c);
      }
      const list = lookupTyped(ctx, argv[1], "list");
      if (list === undefined) return withCount ? nilArray : nil;
      if (withCount && count === 0) return { kind: "array", value: [] };
      const items = [...list.value.value];
      const popped = atHead ? items.splice(0, count) : items.splice(-count).reverse();
      storeOrDeleteIfEmpty(ctx, argv[1], { type: "list", value: items });
      propagate(ctx, argv);
      return withCount ? bulkArray(popped) : bulk(popped[0]);
    },
  };
}

/** Parse LRANGE/ZRANGE index arguments (before the key is looked up, like Redis). */
export function parseRange(startArg: string, stopArg: string): [number, number] {
  const s = parseInt64(startArg);
  const e = parseInt64(stopArg);
  if (s === null || e === null) throw new CommandError(NOT_INTEGER);
  return [Number(s), Number(e)];
}

/** Redis index normalisation: negative from the end, clamped to the length; null when empty. */
export function normaliseRange([start, stop]: [number, number], length: number): [number, number] | null {
  if (start < 0) start += length;
  if (stop < 0) stop += length;
  if (start < 0) start = 0;
  if (start > stop || start >= length) return null;
  if (stop >= length) stop = length - 1;
  return [start, stop];
}

const lrange: CommandSpec = {
  name: "lrange",
  arity: 4,
  write: false,
  stale: never,
  run(ctx, argv): Reply {
    const indices = parseRange(argv[2], argv[3]);
    const items = lookupTyped(ctx, argv[1], "list")?.value.value ?? [];
    const range = normaliseRange(indices, items.length);
    return bulkArray(range === null ? [] : items.slice(range[0], range[1] + 1));
  },
};

const llen: CommandSpec = {
  name: "llen",
  arity: 2,
  write: false,
  stale: never,
  run: (ctx: CommandContext, argv) => int(lookupTyped(ctx, argv[1], "list")?.value.value.length ?? 0),
};

export const listCommands: readonly CommandSpec[] = [
  push("lpush", true),
  push("rpush", false),
  pop("lpop", true),
  pop("rpop", false),
  lrange,
  llen,
];
