// Connection commands: PING, ECHO, SELECT, AUTH, QUIT and CLIENT (networking.c, acl.c).

import { def, type CommandDefinition } from "./command-spec.js";
import { NOT_INTEGER, SYNTAX_ERROR, type CommandContext } from "./command-context.js";
import { parseIntArg } from "../util/integers.js";
import type { Client, ClientKind } from "../core/client.js";

const PONG = Buffer.from("+PONG\r\n");

function pingCommand(ctx: CommandContext): void {
  if (ctx.argv.length > 2) return ctx.reply.addError("ERR wrong number of arguments for 'ping' command");
  if (ctx.argv.length === 1) ctx.reply.addRaw(PONG);
  else ctx.reply.addBulk(ctx.argv[1]);
}

/** selectCommand(): getIntFromObjectOrReply, which tells a non-integer from one outside int. */
function selectCommand(ctx: CommandContext): void {
  const id = parseIntArg(ctx.argv[1]);
  if (Number.isNaN(id)) return ctx.reply.addError(NOT_INTEGER);
  if (id < -2147483648 || id > 2147483647)
    return ctx.reply.addError("ERR value is out of range, value must between -2147483648 and 2147483647");
  const dbs = ctx.server.keyspace.dbs;
  if (id < 0 || id >= dbs.length) return ctx.reply.addError("ERR DB index is out of range");
  ctx.client.db = dbs[id];
  ctx.reply.addOk();
}

function authCommand(ctx: CommandContext): void {
  const argv = ctx.argv;
  if (argv.length > 3) return ctx.reply.addError(SYNTAX_ERROR);
  const server = ctx.server;
  let ok: boolean;
  if (argv.length === 2) {
    if (!server.authRequired) {
      return ctx.reply.addError(
        "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
      );
    }
    ok = server.checkPassword(argv[1]);
  } else {
    // only the "default" user exists; without requirepass it accepts any password (nopass)
    ok =
      argv[1].toString("latin1", 0, argv[1].length) === "default" &&
      (!server.authRequired || server.checkPassword(argv[2]));
  }
  if (ok) {
    ctx.client.authenticated = true;
    ctx.reply.addOk();
  } else {
    ctx.reply.addError("WRONGPASS invalid username-password pair or user is disabled.");
  }
}

function quitCommand(ctx: CommandContext): void {
  ctx.reply.addOk();
  ctx.client.closeAfterReply = true;
}

const TYPE_NAMES: Record<string, ClientKind | "pubsub"> = {
  normal: "normal",
  slave: "replica",
  replica: "replica",
  pubsub: "pubsub",
  master: "master",
};

function clientType(c: Client): ClientKind | "pubsub" {
  if (c.kind === "master") return "master";
  if (c.kind === "replica") return "replica";
  if (c.pubsub) return "pubsub";
  return "normal";
}

function clientKill(ctx: CommandContext): void {
  const argv = ctx.argv;
  let addr: string | null = null;
  let laddr: string | null = null;
  let id: number | null = null;
  let type: string | null = null;
  let skipMe = true;
  if (argv.length === 3) {
    addr = argv[2].toString("latin1", 0, argv[2].length);
    skipMe = false; // with the old form a client can kill itself
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const more = argv.length > i + 1;
      const opt = argv[i].toString("latin1", 0, argv[i].length).toLowerCase();
      const val = more ? argv[i + 1].toString("latin1", 0, argv[i + 1].length) : "";
      if (opt === "id" && more) {
        const n = parseIntArg(argv[i + 1]);
        if (Number.isNaN(n) || n < 1) return ctx.reply.addError("ERR client-id should be greater than 0");
        id = n;
      } else if (opt === "type" && more) {
        const t = TYPE_NAMES[val.toLowerCase()];
        if (t === undefined) return ctx.reply.addError(`ERR Unknown client type '${val}'`);
        type = t;
      } else if (opt === "addr" && more) addr = val;
      else if (opt === "laddr" && more) laddr = val;
      else if (opt === "user" && more) {
        if (val !== "default") return ctx.reply.addError(`ERR No such user '${val}'`);
      } else if (opt === "skipme" && more) {
        const v = val.toLowerCase();
        if (v === "yes") skipMe = true;
        else if (v === "no") skipMe = false;
        else return ctx.reply.addError(SYNTAX_ERROR);
      } else return ctx.reply.addError(SYNTAX_ERROR);
    }
  }
  const server = ctx.server;
  let killed = 0;
  let killSelf = false;
  for (const c of [...server.clients.values()]) {
    if (addr !== null && c.address !== addr) continue;
    if (laddr !== null && c.localAddress !== laddr) continue;
    if (type !== null && clientType(c) !== type) continue;
    if (id !== null && c.id !== id) continue;
    if (c === ctx.client && skipMe) continue;
    if (c === ctx.client) killSelf = true;
    else server.closeClient(c, false);
    killed++;
  }
  if (argv.length === 3) {
    if (killed === 0) ctx.reply.addError("ERR No such client");
    else ctx.reply.addOk();
  } else {
    ctx.reply.addInteger(killed);
  }
  if (killSelf) ctx.client.closeAfterReply = true;
}

/** One CLIENT LIST / CLIENT INFO line (7.0 field set; memory fields are not tracked). */
export function clientInfoLine(c: Client, now: number): string {
  let flags = "";
  if (c.kind === "master") flags += "M";
  if (c.kind === "replica") flags += "S";
  if (c.inMulti) flags += "x";
  if (c.closeAfterReply) flags += "c";
  if (flags === "") flags = "N";
  const age = Math.max(0, Math.floor((now - c.createdAt) / 1000));
  const idle = Math.max(0, Math.floor((now - c.lastInteraction) / 1000));
  return (
    `id=${c.id} addr=${c.address} laddr=${c.localAddress} fd=-1 name=${c.name ?? ""} age=${age} idle=${idle} ` +
    `flags=${flags} db=${c.db.id} sub=0 psub=0 ssub=0 multi=${c.inMulti ? c.multiQueue.length : -1} ` +
    `qbuf=${c.parser.pendingBytes} qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 ` +
    `events=r cmd=${c.lastCommand} user=default redir=-1 resp=2`
  );
}

function clientList(ctx: CommandContext): void {
  const argv = ctx.argv;
  let type: string | null = null;
  let ids: Set<number> | null = null;
  if (argv.length === 4 && argv[2].toString("latin1", 0, argv[2].length).toLowerCase() === "type") {
    const val = argv[3].toString("latin1", 0, argv[3].length);
    const t = TYPE_NAMES[val.toLowerCase()];
    if (t === undefined) return ctx.reply.addError(`ERR Unknown client type '${val}'`);
    type = t;
  } else if (argv.length > 3 && argv[2].toString("latin1", 0, argv[2].length).toLowerCase() === "id") {
    ids = new Set();
    for (let j = 3; j < argv.length; j++) {
      const n = parseIntArg(argv[j]);
      if (Number.isNaN(n) || n < 1) return ctx.reply.addError("ERR Invalid client ID");
      ids.add(n);
    }
  } else if (argv.length !== 2) {
    return ctx.reply.addError(SYNTAX_ERROR);
  }
  const now = ctx.server.now();
  let out = "";
  for (const c of ctx.server.clients.values()) {
    if (type !== null && clientType(c) !== type) continue;
    if (ids !== null && !ids.has(c.id)) continue;
    out += `${clientInfoLine(c, now)}\n`;
  }
  ctx.reply.addBulkText(out);
}

function clientSetname(ctx: CommandContext): void {
  const name = ctx.argv[2];
  for (const byte of name) {
    if (byte < 0x21 || byte > 0x7e) {
      return ctx.reply.addError("ERR Client names cannot contain spaces, newlines or special characters.");
    }
  }
  ctx.client.name = name.length === 0 ? null : name.toString("latin1", 0, name.length);
  ctx.reply.addOk();
}

function clientGetname(ctx: CommandContext): void {
  if (ctx.client.name === null) ctx.reply.addNullBulk();
  else ctx.reply.addBulkLatin1(ctx.client.name);
}

const CLIENT_HELP = [
  "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GETNAME",
  "    Return the name of the current connection.",
  "ID",
  "    Return the ID of the current connection.",
  "INFO",
  "    Return information about the current client connection.",
  "KILL <ip:port>",
  "    Kill connection made from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Kill connections. Options are: ID, TYPE, USER, ADDR, LADDR, SKIPME.",
  "LIST [options ...]",
  "    Return information about client connections.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "HELP",
  "    Print this help.",
];

export function replyHelp(ctx: CommandContext, lines: string[]): void {
  ctx.reply.addArrayLength(lines.length);
  for (const l of lines) ctx.reply.addSimple(l);
}

export const connectionCommands: CommandDefinition[] = [
  def("ping", -1, "fast", null, "fast connection", pingCommand),
  def("echo", 2, "loading stale fast", null, "fast connection", (ctx) => ctx.reply.addBulk(ctx.argv[1])),
  def("select", 2, "loading stale fast", null, "fast connection", selectCommand),
  def("auth", -2, "noscript loading stale fast no_auth allow_busy", null, "fast connection", authCommand),
  def("quit", -1, "noscript loading stale fast no_auth allow_busy", null, "fast connection", quitCommand),
  def("client", -2, "", null, "slow", null, {
    subcommands: [
      def("id", 2, "noscript loading stale", null, "slow connection", (ctx) => ctx.reply.addInteger(ctx.client.id)),
      def("setname", 3, "noscript loading stale", null, "slow connection", clientSetname),
      def("getname", 2, "noscript loading stale", null, "slow connection", clientGetname),
      def("kill", -3, "admin noscript loading stale", null, "admin slow dangerous connection", clientKill),
      def("list", -2, "admin noscript loading stale", null, "admin slow dangerous connection", clientList),
      def("info", 2, "noscript loading stale", null, "slow connection", (ctx) =>
        ctx.reply.addBulkText(`${clientInfoLine(ctx.client, ctx.server.now())}\n`),
      ),
      def("help", 2, "loading stale", null, "slow connection", (ctx) => replyHelp(ctx, CLIENT_HELP)),
    ],
  }),
];
