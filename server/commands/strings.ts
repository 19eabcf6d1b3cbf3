// String commands (t_string.c) with Redis 7.0 replies, errors and propagation rewrites.

import { cOption } from "../util/c-string.js";
import { def, type CommandDefinition } from "./command-spec.js";
import { NOT_FLOAT, NOT_INTEGER, SYNTAX_ERROR, WRONGTYPE, type CommandContext } from "./command-context.js";
import { setExpireAt, type TimeUnit } from "./expire-time.js";
import { LLONG_MAX, LLONG_MIN, parseInt64, parseIntArg } from "../util/integers.js";
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from "../util/long-double.js";
import type { Entry, StringValue } from "../keyspace/types.js";

const SET = Buffer.from("SET");
const PXAT = Buffer.from("PXAT");
const KEEPTTL = Buffer.from("KEEPTTL");
const DEL = Buffer.from("DEL");
const UNLINK = Buffer.from("UNLINK");
const ONE = Buffer.from(":1\r\n");
const ZERO = Buffer.from(":0\r\n");

/** Stored values must not alias the socket chunk the argument was parsed from. */
const own = (b: Buffer): Buffer => Buffer.from(b);
const str = (value: Buffer): StringValue => ({ type: "string", value });

const FLAG_NX = 1;
const FLAG_XX = 2;
const FLAG_GET = 4;
const FLAG_KEEPTTL = 8;
const FLAG_EX = 16;
const FLAG_PX = 32;
const FLAG_EXAT = 64;
const FLAG_PXAT = 128;
const ANY_EXPIRE = FLAG_EX | FLAG_PX | FLAG_EXAT | FLAG_PXAT;

function optIs(b: Buffer, word: string): boolean {
  return cOption(b).toUpperCase() === word;
}

/** Replies like getGenericCommand; returns false (after replying WRONGTYPE) on a non-string. */
function replyGet(ctx: CommandContext, e: Entry | undefined): boolean {
  if (e === undefined) {
    ctx.reply.addNullBulk();
    return true;
  }
  if (e.value.type !== "string") {
    ctx.reply.addError(WRONGTYPE);
    return false;
  }
  ctx.reply.addBulk(e.value.value);
  return true;
}

interface SetRequest {
  flags: number;
  expire: Buffer | null;
  unit: TimeUnit;
  okReply: Buffer | null;
  abortReply: Buffer | null;
  cmdName: string;
}

/** setGenericCommand(). */
function setGeneric(ctx: CommandContext, keyIndex: number, valueIndex: number, req: SetRequest): void {
  const { flags, expire } = req;
  let expireAt: bigint | null = null;
  if (expire !== null) {
    const v = parseInt64(expire);
    if (v === null) {
      ctx.reply.addError(NOT_INTEGER);
      return;
    }
    expireAt = setExpireAt(v, req.unit, (flags & (FLAG_EX | FLAG_PX)) !== 0, ctx.now);
    if (expireAt === null) {
      ctx.reply.addError(`ERR invalid expire time in '${req.cmdName}' command`);
      return;
    }
  }
  const key = ctx.key(keyIndex);
  if (flags & FLAG_GET) {
    if (!replyGet(ctx, ctx.lookupRead(key))) return;
  }
  const found = ctx.lookupWrite(key) !== undefined;
  if ((flags & FLAG_NX && found) || (flags & FLAG_XX && !found)) {
    if (!(flags & FLAG_GET)) {
      if (req.abortReply) ctx.reply.addRaw(req.abortReply);
      else ctx.reply.addNullBulk();
    }
    return;
  }
  const value = ctx.argv[valueIndex];
  ctx.db.set(key, str(own(value)), (flags & FLAG_KEEPTTL) !== 0);
  ctx.dirty();
  if (expireAt !== null) {
    ctx.db.setExpire(key, Number(expireAt));
    ctx.rewrite([SET, ctx.argv[keyIndex], value, PXAT, Buffer.from(expireAt.toString())]);
  }
  if (!(flags & FLAG_GET)) {
    if (req.okReply) ctx.reply.addRaw(req.okReply);
    else ctx.reply.addOk();
  }
  if (flags & FLAG_GET && expireAt === null) {
    // propagate without the GET token(s)
    ctx.rewrite(ctx.argv.filter((a, j) => !(j >= 3 && optIs(a, "GET"))));
  }
}

function setCommand(ctx: CommandContext): void {
  const argv = ctx.argv;
  let flags = 0;
  let expire: Buffer | null = null;
  let unit: TimeUnit = "seconds";
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    const next = j === argv.length - 1 ? null : argv[j + 1];
    const o = cOption(opt).toUpperCase();
    if (o === "NX" && !(flags & FLAG_XX)) flags |= FLAG_NX;
    else if (o === "XX" && !(flags & FLAG_NX)) flags |= FLAG_XX;
    else if (o === "GET") flags |= FLAG_GET;
    else if (o === "KEEPTTL" && !(flags & ANY_EXPIRE)) flags |= FLAG_KEEPTTL;
    else if (o === "EX" && !(flags & (FLAG_KEEPTTL | FLAG_EXAT | FLAG_PX | FLAG_PXAT)) && next) {
      flags |= FLAG_EX;
      unit = "seconds";
      expire = next;
      j++;
    } else if (o === "PX" && !(flags & (FLAG_KEEPTTL | FLAG_EX | FLAG_EXAT | FLAG_PXAT)) && next) {
      flags |= FLAG_PX;
      unit = "milliseconds";
      expire = next;
      j++;
    } else if (o === "EXAT" && !(flags & (FLAG_KEEPTTL | FLAG_EX | FLAG_PX | FLAG_PXAT)) && next) {
      flags |= FLAG_EXAT;
      unit = "seconds";
      expire = next;
      j++;
    } else if (o === "PXAT" && !(flags & (FLAG_KEEPTTL | FLAG_EX | FLAG_EXAT | FLAG_PX)) && next) {
      flags |= FLAG_PXAT;
      unit = "milliseconds";
      expire = next;
      j++;
    } else {
      ctx.reply.addError(SYNTAX_ERROR);
      return;
    }
  }
  setGeneric(ctx, 1, 2, { flags, expire, unit, okReply: null, abortReply: null, cmdName: "set" });
}

function getCommand(ctx: CommandContext): void {
  replyGet(ctx, ctx.lookupRead(ctx.key(1)));
}

function getsetCommand(ctx: CommandContext): void {
  const key = ctx.key(1);
  if (!replyGet(ctx, ctx.lookupRead(key))) return;
  ctx.db.set(key, str(own(ctx.argv[2])));
  ctx.dirty();
  ctx.rewrite([SET, ctx.argv[1], ctx.argv[2]]);
}

function getdelCommand(ctx: CommandContext): void {
  const key = ctx.key(1);
  const e = ctx.lookupRead(key);
  if (!replyGet(ctx, e)) return;
  if (e === undefined) return;
  ctx.db.delete(key);
  ctx.dirty();
  ctx.rewrite([ctx.server.config.getBool("lazyfree-lazy-user-del") ? UNLINK : DEL, ctx.argv[1]]);
}

function msetCommand(ctx: CommandContext): void {
  const argv = ctx.argv;
  if (argv.length % 2 === 0) {
    ctx.reply.addError("ERR wrong number of arguments for 'mset' command");
    return;
  }
  for (let j = 1; j < argv.length; j += 2) {
    const key = ctx.key(j);
    ctx.lookupWrite(key); // expires a stale key first, like setKey's lookup
    ctx.db.set(key, str(own(argv[j + 1])));
  }
  ctx.dirty((argv.length - 1) / 2);
  ctx.reply.addOk();
}

function mgetCommand(ctx: CommandContext): void {
  const argv = ctx.argv;
  ctx.reply.addArrayLength(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const e = ctx.lookupRead(ctx.key(j));
    if (e === undefined || e.value.type !== "string") ctx.reply.addNullBulk();
    else ctx.reply.addBulk(e.value.value);
  }
}

function appendCommand(ctx: CommandContext): void {
  const key = ctx.key(1);
  const e = ctx.writeTyped(key, "string");
  if (e === null) return;
  const add = ctx.argv[2];
  if (e === undefined) {
    ctx.db.set(key, str(own(add)));
    ctx.dirty();
    ctx.reply.addInteger(add.length);
    return;
  }
  const cur = (e.value as StringValue).value;
  if (cur.length + add.length > ctx.server.config.getInt("proto-max-bulk-len")) {
    ctx.reply.addError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    return;
  }
  e.value = str(Buffer.concat([cur, add])); // values are never mutated in place
  ctx.dirty();
  ctx.reply.addInteger(cur.length + add.length);
}

function strlenCommand(ctx: CommandContext): void {
  const e = ctx.readTyped(ctx.key(1), "string");
  if (e === null) return;
  ctx.reply.addInteger(e === undefined ? 0 : (e.value as StringValue).value.length);
}

function replyBigInt(ctx: CommandContext, n: bigint): void {
  if (n >= -9007199254740991n && n <= 9007199254740991n) ctx.reply.addInteger(Number(n));
  else ctx.reply.addBigInteger(n);
}

/** incrDecrCommand(). Small values take a plain-number path; BigInt keeps 64-bit exactness. */
function incrDecrReply(ctx: CommandContext, incr: bigint): void {
  const key = ctx.key(1);
  const e = ctx.writeTyped(key, "string");
  if (e === null) return;
  if (incr >= -1000000n && incr <= 1000000n) {
    const cur = e === undefined ? 0 : (e.value as StringValue).value;
    const v = cur === 0 ? 0 : cur.length <= 15 ? parseIntArg(cur) : NaN;
    if (!Number.isNaN(v)) {
      const result = v + Number(incr);
      const text = Buffer.from(String(result), "latin1");
      if (e === undefined) ctx.db.set(key, str(text));
      else e.value = str(text); // keeps the TTL
      ctx.dirty();
      ctx.reply.addInteger(result);
      return;
    }
  }
  let value = 0n;
  if (e !== undefined) {
    const v = parseInt64((e.value as StringValue).value);
    if (v === null) {
      ctx.reply.addError(NOT_INTEGER);
      return;
    }
    value = v;
  }
  if ((incr < 0n && value < 0n && incr < LLONG_MIN - value) || (incr > 0n && value > 0n && incr > LLONG_MAX - value)) {
    ctx.reply.addError("ERR increment or decrement would overflow");
    return;
  }
  const result = value + incr;
  const text = Buffer.from(result.toString(), "latin1");
  if (e === undefined) ctx.db.set(key, str(text));
  else e.value = str(text); // keeps the TTL
  ctx.dirty();
  replyBigInt(ctx, result);
}

function incrbyArg(ctx: CommandContext): bigint | null {
  const v = parseInt64(ctx.argv[2]);
  if (v === null) ctx.reply.addError(NOT_INTEGER);
  return v;
}

function incrbyfloatCommand(ctx: CommandContext): void {
  const key = ctx.key(1);
  const e = ctx.writeTyped(key, "string");
  if (e === null) return;
  const current = e === undefined ? parseLongDouble(Buffer.from("0")) : parseLongDouble((e.value as StringValue).value);
  const incr = current === null ? null : parseLongDouble(ctx.argv[2]);
  if (current === null || incr === null) {
    ctx.reply.addError(NOT_FLOAT);
    return;
  }
  const sum = addLongDouble(current, incr);
  if (sum.infinite) {
    ctx.reply.addError("ERR increment would produce NaN or Infinity");
    return;
  }
  const text = Buffer.from(formatLongDoubleHuman(sum), "latin1");
  if (e === undefined) ctx.db.set(key, str(text));
  else e.value = str(text);
  ctx.dirty();
  ctx.reply.addBulk(text);
  ctx.rewrite([SET, ctx.argv[1], text, KEEPTTL]);
}

export const stringCommands: CommandDefinition[] = [
  def("get", 2, "readonly fast", [1, 1, 1], "read string fast", getCommand),
  def("set", -3, "write denyoom", [1, 1, 1], "write string slow", setCommand),
  def("setex", 4, "write denyoom", [1, 1, 1], "write string slow", (ctx) =>
    setGeneric(ctx, 1, 3, {
      flags: FLAG_EX,
      expire: ctx.argv[2],
      unit: "seconds",
      okReply: null,
      abortReply: null,
      cmdName: "setex",
    }),
  ),
  def("psetex", 4, "write denyoom", [1, 1, 1], "write string slow", (ctx) =>
    setGeneric(ctx, 1, 3, {
      flags: FLAG_PX,
      expire: ctx.argv[2],
      unit: "milliseconds",
      okReply: null,
      abortReply: null,
      cmdName: "psetex",
    }),
  ),
  def("setnx", 3, "write denyoom fast", [1, 1, 1], "write string fast", (ctx) =>
    setGeneric(ctx, 1, 2, {
      flags: FLAG_NX,
      expire: null,
      unit: "seconds",
      okReply: ONE,
      abortReply: ZERO,
      cmdName: "setnx",
    }),
  ),
  def("getset", 3, "write denyoom fast", [1, 1, 1], "write string fast", getsetCommand),
  def("getdel", 2, "write fast", [1, 1, 1], "write string fast", getdelCommand),
  def("mset", -3, "write denyoom", [1, -1, 2], "write string slow", msetCommand),
  def("mget", -2, "readonly fast", [1, -1, 1], "read string fast", mgetCommand),
  def("append", 3, "write denyoom fast", [1, 1, 1], "write string fast", appendCommand),
  def("strlen", 2, "readonly fast", [1, 1, 1], "read string fast", strlenCommand),
  def("incr", 2, "write denyoom fast", [1, 1, 1], "write string fast", (ctx) => incrDecrReply(ctx, 1n)),
  def("decr", 2, "write denyoom fast", [1, 1, 1], "write string fast", (ctx) => incrDecrReply(ctx, -1n)),
  def("incrby", 3, "write denyoom fast", [1, 1, 1], "write string fast", (ctx) => {
    const v = incrbyArg(ctx);
    if (v !== null) incrDecrReply(ctx, v);
  }),
  def("decrby", 3, "write denyoom fast", [1, 1, 1], "write string fast", (ctx) => {
    const v = incrbyArg(ctx);
    if (v === null) return;
    if (v === LLONG_MIN) {
      ctx.reply.addError("ERR decrement would overflow");
      return;
    }
    incrDecrReply(ctx, -v);
  }),
  def("incrbyfloat", 3, "write denyoom fast", [1, 1, 1], "write string fast", incrbyfloatCommand),
];
