// Set commands (t_set.c), including SPOP's 7.0 propagation (SREM per member, or DEL).

import { randomInt } from "node:crypto";
import { def, type CommandDefinition } from "./command-spec.js";
import type { CommandContext } from "./command-context.js";
import { parseIntArg } from "../util/integers.js";
import type { SetValue } from "../keyspace/types.js";

const SREM = Buffer.from("SREM");
const DEL = Buffer.from("DEL");

function saddCommand(ctx: CommandContext): void {
  const key = ctx.key(1);
  const e = ctx.writeTyped(key, "set");
  if (e === null) return;
  let set: Set<string>;
  if (e === undefined) {
    set = new Set();
    ctx.db.set(key, { type: "set", value: set });
  } else {
    set = (e.value as SetValue).value;
  }
  let added = 0;
  for (let j = 2; j < ctx.argv.length; j++) {
    const m = ctx.key(j);
    if (!set.has(m)) {
      set.add(m);
      added++;
    }
  }
  if (added > 0) ctx.dirty(added);
  ctx.reply.addInteger(added);
}

function sremCommand(ctx: CommandContext): void {
  const key = ctx.key(1);
  const e = ctx.writeTyped(key, "set");
  if (e === null) return;
  if (e === undefined) return ctx.reply.addInteger(0);
  const set = (e.value as SetValue).value;
  let removed = 0;
  for (let j = 2; j < ctx.argv.length; j++) {
    if (set.delete(ctx.key(j))) removed++;
    if (set.size === 0) {
      ctx.db.delete(key);
      break;
    }
  }
  if (removed > 0) ctx.dirty(removed);
  ctx.reply.addInteger(removed);
}

function smembersCommand(ctx: CommandContext): void {
  const e = ctx.readTyped(ctx.key(1), "set");
  if (e === null) return;
  if (e === undefined) return ctx.reply.addArrayLength(0);
  const set = (e.value as SetValue).value;
  ctx.reply.addArrayLength(set.size);
  for (const m of set) ctx.reply.addBulkLatin1(m);
}

function sismemberCommand(ctx: CommandContext): void {
  const e = ctx.readTyped(ctx.key(1), "set");
  if (e === null) return;
  ctx.reply.addInteger(e !== undefined && (e.value as SetValue).value.has(ctx.key(2)) ? 1 : 0);
}

function scardCommand(ctx: CommandContext): void {
  const e = ctx.readTyped(ctx.key(1), "set");
  if (e === null) return;
  ctx.reply.addInteger(e === undefined ? 0 : (e.value as SetValue).value.size);
}

/** Picks `n` distinct random members (n < size). */
function randomMembers(set: Set<string>, n: number): string[] {
  const all = [...set];
  for (let i = 0; i < n; i++) {
    const j = i + randomInt(all.length - i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, n);
}

function spopCommand(ctx: CommandContext): void {
  const argv = ctx.argv;
  if (argv.length > 3) return ctx.reply.addError("ERR syntax error");
  const key = ctx.key(1);
  if (argv.length === 2) {
    const e = ctx.writeTyped(key, "set");
    if (e === null) return;
    if (e === undefined) return ctx.reply.addNullBulk();
    const set = (e.value as SetValue).value;
    const [member] = randomMembers(set, 1);
    set.delete(member);
    if (set.size === 0) ctx.db.delete(key);
    ctx.reply.addBulkLatin1(member);
    ctx.rewrite([SREM, argv[1], Buffer.from(member, "latin1")]);
    ctx.dirty();
    return;
  }
  const count = parseIntArg(argv[2]);
  if (Number.isNaN(count) || count < 0) return ctx.reply.addError("ERR value is out of range, must be positive");
  const e = ctx.writeTyped(key, "set");
  if (e === null) return;
  if (e === undefined || count === 0) return ctx.reply.addArrayLength(0);
  const set = (e.value as SetValue).value;
  const size = set.size;
  if (count >= size) {
    ctx.reply.addArrayLength(size);
    for (const m of set) ctx.reply.addBulkLatin1(m);
    ctx.db.delete(key);
    ctx.rewrite([DEL, argv[1]]);
    ctx.dirty(size);
    return;
  }
  const popped = randomMembers(set, count);
  ctx.reply.addArrayLength(popped.length);
  for (const m of popped) {
    set.delete(m);
    ctx.reply.addBulkLatin1(m);
    ctx.alsoPropagate([SREM, argv[1], Buffer.from(m, "latin1")]);
  }
  ctx.preventPropagation = true;
  ctx.dirty(count);
}

export const setCommands: CommandDefinition[] = [
  def("sadd", -3, "write denyoom fast", [1, 1, 1], "write set fast", saddCommand),
  def("srem", -3, "write fast", [1, 1, 1], "write set fast", sremCommand),
  def("smembers", 2, "readonly", [1, 1, 1], "read set slow", smembersCommand),
  def("sismember", 3, "readonly fast", [1, 1, 1], "read set fast", sismemberCommand),
  def("scard", 2, "readonly fast", [1, 1, 1], "read set fast", scardCommand),
  def("spop", -2, "write fast", [1, 1, 1], "write set fast", spopCommand),
];
