// Hash commands (t_hash.c).

import { def, type CommandDefinition } from "./command-spec.js";
import { NOT_INTEGER, type CommandContext } from "./command-context.js";
import { LLONG_MAX, LLONG_MIN, parseInt64 } from "../util/integers.js";
import type { HashValue } from "../keyspace/types.js";

function hsetCommand(ctx: CommandContext): void {
  const argv = ctx.argv;
  if (argv.length % 2 === 1) {
    ctx.reply.addError(
      `ERR wrong number of arguments for '${argv[0].toString("latin1", 0, argv[0].length).toLowerCase()}' command`,
    );
    return;
  }
  const key = ctx.key(1);
  const e = ctx.writeTyped(key, "hash");
  if (e === null) return;
  let map: Map<string, Buffer>;
  if (e === undefined) {
    map = new Map();
    ctx.db.set(key, { type: "hash", value: map });
  } else {
    map = (e.value as HashValue).value;
  }
  let created = 0;
  for (let j = 2; j < argv.length; j += 2) {
    const field = ctx.key(j);
    if (!map.has(field)) created++;
    map.set(field, Buffer.from(argv[j + 1]));
  }
  ctx.dirty((argv.length - 2) / 2);
  ctx.reply.addInteger(created);
}

function hgetCommand(ctx: CommandContext): void {
  const e = ctx.readTyped(ctx.key(1), "hash");
  if (e === null) return;
  const v = e === undefined ? undefined : (e.value as HashValue).value.get(ctx.key(2));
  if (v === undefined) ctx.reply.addNullBulk();
  else ctx.reply.addBulk(v);
}

function hdelCommand(ctx: CommandContext): void {
  const key = ctx.key(1);
  const e = ctx.writeTyped(key, "hash");
  if (e === null) return;
  if (e === undefined) return ctx.reply.addInteger(0);
  const map = (e.value as HashValue).value;
  let deleted = 0;
  for (let j = 2; j < ctx.argv.length; j++) {
    if (map.delete(ctx.key(j))) deleted++;
    if (map.size === 0) {
      ctx.db.delete(key);
      break;
    }
  }
  if (deleted > 0) ctx.dirty(deleted);
  ctx.reply.addInteger(deleted);
}

function hgetallCommand(ctx: CommandContext): void {
  const e = ctx.readTyped(ctx.key(1), "hash");
  if (e === null) return;
  if (e === undefined) return ctx.reply.addArrayLength(0);
  const map = (e.value as HashValue).value;
  ctx.reply.addArrayLength(map.size * 2);
  for (const [f, v] of map) {
    ctx.reply.addBulkLatin1(f);
    ctx.reply.addBulk(v);
  }
}

function hincrbyCommand(ctx: CommandContext): void {
  const incr = parseInt64(ctx.argv[3]);
  if (incr === null) return ctx.reply.addError(NOT_INTEGER);
  const key = ctx.key(1);
  const e = ctx.writeTyped(key, "hash");
  if (e === null) return;
  const field = ctx.key(2);
  let value = 0n;
  const current = e === undefined ? undefined : (e.value as HashValue).value.get(field);
  if (current !== undefined) {
    const v = parseInt64(current);
    if (v === null) return ctx.reply.addError("ERR hash value is not an integer");
    value = v;
  }
  if ((incr < 0n && value < 0n && incr < LLONG_MIN - value) || (incr > 0n && value > 0n && incr > LLONG_MAX - value)) {
    return ctx.reply.addError("ERR increment or decrement would overflow");
  }
  const result = value + incr;
  let map: Map<string, Buffer>;
  if (e === undefined) {
    map = new Map();
    ctx.db.set(key, { type: "hash", value: map });
  } else {
    map = (e.value as HashValue).value;
  }
  map.set(field, Buffer.from(result.toString(), "latin1"));
  ctx.dirty();
  if (result >= -9007199254740991n && result <= 9007199254740991n) ctx.reply.addInteger(Number(result));
  else ctx.reply.addBigInteger(result);
}

function hlenCommand(ctx: CommandContext): void {
  const e = ctx.readTyped(ctx.key(1), "hash");
  if (e === null) return;
  ctx.reply.addInteger(e === undefined ? 0 : (e.value as HashValue).value.size);
}

function hexistsCommand(ctx: CommandContext): void {
  const e = ctx.readTyped(ctx.key(1), "hash");
  if (e === null) return;
  ctx.reply.addInteger(e !== undefined && (e.value as HashValue).value.has(ctx.key(2)) ? 1 : 0);
}

export const hashCommands: CommandDefinition[] = [
  def("hset", -4, "write denyoom fast", [1, 1, 1], "write hash fast", hsetCommand),
  def("hget", 3, "readonly fast", [1, 1, 1], "read hash fast", hgetCommand),
  def("hdel", -3, "write fast", [1, 1, 1], "write hash fast", hdelCommand),
  def("hgetall", 2, "readonly", [1, 1, 1], "read hash slow", hgetallCommand),
  def("hincrby", 4, "write denyoom fast", [1, 1, 1], "write hash fast", hincrbyCommand),
  def("hlen", 2, "readonly fast", [1, 1, 1], "read hash fast", hlenCommand),
  def("hexists", 3, "readonly fast", [1, 1, 1], "read hash fast", hexistsCommand),
];
