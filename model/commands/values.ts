// Typed access to keys for command implementations.

import type { MEntry, MType, MValue } from "../keyspace.js";
import type { CommandContext } from "./context.js";
import { WRONGTYPE } from "./errors.js";

/** Thrown inside a command to reply with an error; the command's effects so far are its own. */
export class CommandError extends Error {}

export function lookup(ctx: CommandContext, key: string): MEntry | undefined {
  return ctx.dataset.get(ctx.db, key);
}

/** The value of `key` if it has type `type`; undefined if missing; WRONGTYPE otherwise (DATA-1). */
export function lookupTyped<T extends MType>(
  ctx: CommandContext,
  key: string,
  type: T,
): (MEntry & { value: Extract<MValue, { type: T }> }) | undefined {
  const e = lookup(ctx, key);
  if (e === undefined) return undefined;
  if (e.value.type !== type) throw new CommandError(WRONGTYPE);
  return e as MEntry & { value: Extract<MValue, { type: T }> };
}

/** Store a value with the given expiry (none when undefined). */
export function putEntry(ctx: CommandContext, key: string, value: MValue, expireAt: number | undefined): void {
  ctx.dataset.set(ctx.db, key, expireAt === undefined ? { value } : { value, expireAt });
}

/** Store a new value for an existing or new key, keeping its expiry (updates in place). */
export function storeKeepTtl(ctx: CommandContext, key: string, value: MValue): void {
  putEntry(ctx, key, value, lookup(ctx, key)?.expireAt);
}

// DATA-4: a collection that becomes empty is deleted.
export function storeOrDeleteIfEmpty(ctx: CommandContext, key: string, value: MValue): void {
  const size =
    value.type === "list"
      ? value.value.length
      : value.type === "string"
        ? 1
        : value.type === "set"
          ? value.value.size
          : value.value.size;
  if (size === 0) ctx.dataset.delete(ctx.db, key);
  else storeKeepTtl(ctx, key, value);
}
