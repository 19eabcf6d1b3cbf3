// Generic keyspace commands (db.c, expire.c) with Redis 7.0 replies and rewrites.

import { cOption, cString } from "../util/c-string.js";
import { def, type CommandDefinition } from "./command-spec.js";
import { NOT_INTEGER, SYNTAX_ERROR, type CommandContext } from "./command-context.js";
import { expireCommandAt, type TimeUnit } from "./expire-time.js";
import { parseInt64, parseIntArg } from "../util/integers.js";
import { globMatch } from "../util/glob.js";

const DEL = Buffer.from("DEL");
const UNLINK = Buffer.from("UNLINK");
const PEXPIREAT = Buffer.from("PEXPIREAT");

function delGeneric(ctx: CommandContext): void {
  let deleted = 0;
  for (let j = 1; j < ctx.argv.length; j++) {
    const key = ctx.key(j);
    ctx.lookupWrite(key); // expireIfNeeded first: an expired key is not counted
    if (ctx.db.delete(key)) {
      ctx.dirty();
      deleted++;
    }
  }
  ctx.reply.addInteger(deleted);
}

function existsCommand(ctx: CommandContext): void {
  let count = 0;
  for (let j = 1; j < ctx.argv.length; j++) if (ctx.lookupRead(ctx.key(j)) !== undefined) count++;
  ctx.reply.addInteger(count);
}

function typeCommand(ctx: CommandContext): void {
  const e = ctx.lookupRead(ctx.key(1));
  ctx.reply.addSimple(e === undefined ? "none" : e.value.type);
}

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** expireGenericCommand(). `base` is 0 for the absolute forms, now otherwise. */
function expireGeneric(ctx: CommandContext, relative: boolean, unit: TimeUnit, isPexpireat: boolean): void {
  const argv = ctx.argv;
  let flag = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = cString(argv[j]);
    const o = opt.toLowerCase();
    if (o === "nx") flag |= EXPIRE_NX;
    else if (o === "xx") flag |= EXPIRE_XX;
    else if (o === "gt") flag |= EXPIRE_GT;
    else if (o === "lt") flag |= EXPIRE_LT;
    else {
      ctx.reply.addError(`ERR Unsupported option ${opt}`);
      return;
    }
  }
  if (flag & EXPIRE_NX && flag & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    ctx.reply.addError("ERR NX and XX, GT or LT options at the same time are not compatible");
    return;
  }
  if (flag & EXPIRE_GT && flag & EXPIRE_LT) {
    ctx.reply.addError("ERR GT and LT options at the same time are not compatible");
    return;
  }
  const param = parseInt64(argv[2]);
  if (param === null) {
    ctx.reply.addError(NOT_INTEGER);
    return;
  }
  const when = expireCommandAt(param, unit, relative ? ctx.now : 0);
  if (when === null) {
    ctx.reply.addError(
      `ERR invalid expire time in '${ctx.argv[0].toString("latin1", 0, ctx.argv[0].length).toLowerCase()}' command`,
    );
    return;
  }
  const key = ctx.key(1);
  const e = ctx.lookupWrite(key);
  if (e === undefined) {
    ctx.reply.addInteger(0);
    return;
  }
  if (flag) {
    const current = e.expireAt;
    if (flag & EXPIRE_NX && current !== undefined) return ctx.reply.addInteger(0);
    if (flag & EXPIRE_XX && current === undefined) return ctx.reply.addInteger(0);
    if (flag & EXPIRE_GT && (current === undefined || when <= BigInt(current))) return ctx.reply.addInteger(0);
    if (flag & EXPIRE_LT && current !== undefined && when >= BigInt(current)) return ctx.reply.addInteger(0);
  }
  // checkAlreadyExpired(): never on a replica, which waits for its master's DEL
  if (when <= BigInt(ctx.now) && ctx.server.keyspace.mode === "master") {
    ctx.db.delete(key);
    ctx.dirty();
    ctx.rewrite([ctx.server.config.getBool("lazyfree-lazy-expire") ? UNLINK : DEL, argv[1]]);
    ctx.reply.addInteger(1);
    return;
  }
  ctx.db.setExpire(key, Number(when));
  ctx.reply.addInteger(1);
  if (!isPexpireat || relative || unit === "seconds") {
    const rewritten = argv.slice();
    if (!isPexpireat) rewritten[0] = PEXPIREAT;
    rewritten[2] = Buffer.from(when.toString(), "latin1");
    ctx.rewrite(rewritten);
  }
  ctx.dirty();
}

function persistCommand(ctx: CommandContext): void {
  const key = ctx.key(1);
  if (ctx.lookupWrite(key) === undefined) return ctx.reply.addInteger(0);
  if (ctx.db.persist(key)) {
    ctx.dirty();
    ctx.reply.addInteger(1);
  } else {
    ctx.reply.addInteger(0);
  }
}

function ttlGeneric(ctx: CommandContext, ms: boolean): void {
  const e = ctx.lookupRead(ctx.key(1));
  if (e === undefined) return ctx.reply.addInteger(-2);
  if (e.expireAt === undefined) return ctx.reply.addInteger(-1);
  const ttl = Math.max(0, e.expireAt - ctx.now);
  ctx.reply.addInteger(ms ? ttl : Math.floor((ttl + 500) / 1000));
}

const ULONG_MAX = 18446744073709551615n;

/**
 * parseScanCursorOrReply() (db.c): strtoul(base 10) over the argument as a C string (it ends at a
 * NUL), refused when it starts with a space, leaves characters over, or overflows (ERANGE). So an
 * optional sign is accepted ("-1" is 2^64-1), leading zeros too, and "" is cursor 0.
 */
export function parseScanCursor(b: Buffer): number | null {
  let end = b.indexOf(0);
  if (end === -1) end = b.length;
  if (end === 0) return 0;
  const first = b[0];
  if (first === 0x20 || (first >= 0x09 && first <= 0x0d)) return null;
  let p = 0;
  let negative = false;
  if (first === 0x2b || first === 0x2d) {
    negative = first === 0x2d;
    p = 1;
  }
  if (p === end) return null; // no digits: strtoul leaves eptr at the start
  for (let i = p; i < end; i++) if (b[i] < 0x30 || b[i] > 0x39) return null;
  const magnitude = BigInt(b.toString("latin1", p, end));
  if (magnitude > ULONG_MAX) return null;
  return Number(negative && magnitude !== 0n ? ULONG_MAX + 1n - magnitude : magnitude);
}

function scanCommand(ctx: CommandContext): void {
  const argv = ctx.argv;
  const cursor = parseScanCursor(argv[1]);
  if (cursor === null) {
    ctx.reply.addError("ERR invalid cursor");
    return;
  }
  let count = 10;
  let pattern: string | null = null;
  let type: string | null = null;
  for (let i = 2; i < argv.length; ) {
    const left = argv.length - i;
    const opt = cOption(argv[i]);
    if (opt === "count" && left >= 2) {
      const n = parseIntArg(argv[i + 1]);
      if (Number.isNaN(n)) return ctx.reply.addError(NOT_INTEGER);
      if (n < 1) return ctx.reply.addError(SYNTAX_ERROR);
      count = n;
    } else if (opt === "match" && left >= 2) {
      const p = argv[i + 1].toString("latin1", 0, argv[i + 1].length);
      pattern = p === "*" ? null : p;
    } else if (opt === "type" && left >= 2) {
      type = cOption(argv[i + 1]);
    } else {
      return ctx.reply.addError(SYNTAX_ERROR);
    }
    i += 2;
  }
  const { keys, next } = ctx.db.scan(cursor, count);
  const out: string[] = [];
  const fromMaster = ctx.client.kind === "master";
  for (const key of keys) {
    if (pattern !== null && !globMatch(pattern, key)) continue;
    const e = ctx.server.keyspace.lookup(ctx.db, key, ctx.now, { write: false, fromMaster });
    if (e === undefined) continue;
    if (type !== null && e.value.type !== type) continue;
    out.push(key);
  }
  ctx.reply.addArrayLength(2);
  ctx.reply.addBulkLatin1(String(next));
  ctx.reply.addArrayLength(out.length);
  for (const k of out) ctx.reply.addBulkLatin1(k);
}

/** getFlushCommandFlags(): optional ASYNC|SYNC. */
function flushFlagsOk(ctx: CommandContext): boolean {
  if (ctx.argv.length > 2) {
    ctx.reply.addError(SYNTAX_ERROR);
    return false;
  }
  if (ctx.argv.length === 2) {
    const o = cOption(ctx.argv[1]);
    if (o !== "sync" && o !== "async") {
      ctx.reply.addError(SYNTAX_ERROR);
      return false;
    }
  }
  return true;
}

function flushdbCommand(ctx: CommandContext): void {
  if (!flushFlagsOk(ctx)) return;
  ctx.dirty(ctx.db.clear());
  ctx.forcePropagation = true; // 7.0: replicated even when the db was empty
  ctx.reply.addOk();
}

function flushallCommand(ctx: CommandContext): void {
  if (!flushFlagsOk(ctx)) return;
  let removed = 0;
  for (const db of ctx.server.keyspace.dbs) removed += db.clear();
  ctx.dirty(removed + 1);
  ctx.forcePropagation = true;
  ctx.reply.addOk();
}

export const keyCommands: CommandDefinition[] = [
  def("del", -2, "write", [1, -1, 1], "keyspace write slow", delGeneric),
  def("unlink", -2, "write fast", [1, -1, 1], "keyspace write fast", delGeneric),
  def("exists", -2, "readonly fast", [1, -1, 1], "keyspace read fast", existsCommand),
  def("type", 2, "readonly fast", [1, 1, 1], "keyspace read fast", typeCommand),
  def("expire", -3, "write fast", [1, 1, 1], "keyspace write fast", (ctx) =>
    expireGeneric(ctx, true, "seconds", false),
  ),
  def("pexpire", -3, "write fast", [1, 1, 1], "keyspace write fast", (ctx) =>
    expireGeneric(ctx, true, "milliseconds", false),
  ),
  def("expireat", -3, "write fast", [1, 1, 1], "keyspace write fast", (ctx) =>
    expireGeneric(ctx, false, "seconds", false),
  ),
  def("pexpireat", -3, "write fast", [1, 1, 1], "keyspace write fast", (ctx) =>
    expireGeneric(ctx, false, "milliseconds", true),
  ),
  def("persist", 2, "write fast", [1, 1, 1], "keyspace write fast", persistCommand),
  def("ttl", 2, "readonly fast", [1, 1, 1], "keyspace read fast", (ctx) => ttlGeneric(ctx, false)),
  def("pttl", 2, "readonly fast", [1, 1, 1], "keyspace read fast", (ctx) => ttlGeneric(ctx, true)),
  def("scan", -2, "readonly", null, "keyspace read slow", scanCommand, { touchesArbitraryKeys: true }),
  def("dbsize", 1, "readonly fast", null, "keyspace read fast", (ctx) => ctx.reply.addInteger(ctx.db.size)),
  def("flushdb", -1, "write", null, "keyspace write slow dangerous", flushdbCommand),
  def("flushall", -1, "write", null, "keyspace write slow dangerous", flushallCommand),
];
