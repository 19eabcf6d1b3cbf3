// List commands (t_list.c).

import { def, type CommandDefinition } from "./command-spec.js";
import { NOT_INTEGER, type CommandContext } from "./command-context.js";
import { parseIntArg } from "../util/integers.js";
import type { ListValue } from "../keyspace/types.js";

function pushGeneric(ctx: CommandContext, head: boolean): void {
  const key = ctx.key(1);
  const e = ctx.writeTyped(key, "list");
  if (e === null) return;
  let list: Buffer[];
  if (e === undefined) {
    list = [];
    ctx.db.set(key, { type: "list", value: list });
  } else {
    list = (e.value as ListValue).value;
  }
  const argv = ctx.argv;
  if (head) for (let j = 2; j < argv.length; j++) list.unshift(Buffer.from(argv[j]));
  else for (let j = 2; j < argv.length; j++) list.push(Buffer.from(argv[j]));
  ctx.dirty(argv.length - 2);
  ctx.reply.addInteger(list.length);
}

/** popGenericCommand(): optional positive count. */
function popGeneric(ctx: CommandContext, head: boolean): void {
  const argv = ctx.argv;
  if (argv.length > 3) {
    ctx.reply.addError(`ERR wrong number of arguments for '${head ? "lpop" : "rpop"}' command`);
    return;
  }
  let count = -1;
  if (argv.length === 3) {
    const n = parseIntArg(argv[2]);
    // getPositiveLongFromObjectOrReply: one message for "not a number" and "negative"
    if (Number.isNaN(n) || n < 0) return ctx.reply.addError("ERR value is out of range, must be positive");
    count = n;
  }
  const key = ctx.key(1);
  const e = ctx.lookupWrite(key);
  if (e === undefined) {
    if (count >= 0) ctx.reply.addNullArray();
    else ctx.reply.addNullBulk();
    return;
  }
  if (e.value.type !== "list")
    return ctx.reply.addError("WRONGTYPE Operation against a key holding the wrong kind of value");
  const list = e.value.value;
  if (count === 0) {
    ctx.reply.addArrayLength(0);
    return;
  }
  if (count < 0) {
    const v = (head ? list.shift() : list.pop()) as Buffer;
    ctx.reply.addBulk(v);
  } else {
    const n = Math.min(count, list.length);
    ctx.reply.addArrayLength(n);
    for (let i = 0; i < n; i++) ctx.reply.addBulk((head ? list.shift() : list.pop()) as Buffer);
  }
  if (list.length === 0) ctx.db.delete(key);
  ctx.dirty();
}

function lrangeCommand(ctx: CommandContext): void {
  let start = parseIntArg(ctx.argv[2]);
  let end = parseIntArg(ctx.argv[3]);
  if (Number.isNaN(start) || Number.isNaN(end)) return ctx.reply.addError(NOT_INTEGER);
  const e = ctx.readTyped(ctx.key(1), "list");
  if (e === null) return;
  if (e === undefined) return ctx.reply.addArrayLength(0);
  const list = (e.value as ListValue).value;
  const len = list.length;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return ctx.reply.addArrayLength(0);
  if (end >= len) end = len - 1;
  ctx.reply.addArrayLength(end - start + 1);
  for (let i = start; i <= end; i++) ctx.reply.addBulk(list[i]);
}

function llenCommand(ctx: CommandContext): void {
  const e = ctx.readTyped(ctx.key(1), "list");
  if (e === null) return;
  ctx.reply.addInteger(e === undefined ? 0 : (e.value as ListValue).value.length);
}

/** lindexCommand(): the key first (a missing key is nil whatever the index), then the index. */
function lindexCommand(ctx: CommandContext): void {
  const e = ctx.readTyped(ctx.key(1), "list");
  if (e === null) return;
  if (e === undefined) return ctx.reply.addNullBulk();
  let index = parseIntArg(ctx.argv[2]);
  if (Number.isNaN(index)) return ctx.reply.addError(NOT_INTEGER);
  const list = (e.value as ListValue).value;
  if (index < 0) index = list.length + index;
  if (index < 0 || index >= list.length) return ctx.reply.addNullBulk();
  ctx.reply.addBulk(list[index]);
}

export const listCommands: CommandDefinition[] = [
  def("lpush", -3, "write denyoom fast", [1, 1, 1], "write list fast", (ctx) => pushGeneric(ctx, true)),
  def("rpush", -3, "write denyoom fast", [1, 1, 1], "write list fast", (ctx) => pushGeneric(ctx, false)),
  def("lpop", -2, "write fast", [1, 1, 1], "write list fast", (ctx) => popGeneric(ctx, true)),
  def("rpop", -2, "write fast", [1, 1, 1], "write list fast", (ctx) => popGeneric(ctx, false)),
  def("lrange", 4, "readonly", [1, 1, 1], "read list slow", lrangeCommand),
  def("llen", 2, "readonly fast", [1, 1, 1], "read list fast", llenCommand),
  def("lindex", 3, "readonly", [1, 1, 1], "read list slow", lindexCommand),
];
