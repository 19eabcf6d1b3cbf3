// Server commands: INFO, CONFIG, SHUTDOWN, COMMAND, DEBUG (server.c, config.c, debug.c).

import { def, type CommandDefinition, type CommandSpec } from "./command-spec.js";
import { SYNTAX_ERROR, type CommandContext } from "./command-context.js";
import { replyHelp } from "./connection.js";

function infoCommand(ctx: CommandContext): void {
  const sections = ctx.argv.slice(1).map((a) => a.toString("latin1", 0, a.length));
  ctx.reply.addBulkText(ctx.server.info.render(sections));
}

function configGet(ctx: CommandContext): void {
  const pairs = ctx.server.config.configGet(ctx.argv.slice(2).map((a) => a.toString("latin1", 0, a.length)));
  ctx.reply.addArrayLength(pairs.length * 2);
  for (const [name, value] of pairs) {
    ctx.reply.addBulkLatin1(name);
    ctx.reply.addBulkText(value);
  }
}

function configSet(ctx: CommandContext): void {
  const argv = ctx.argv;
  if (argv.length % 2 === 1) return ctx.reply.addError(SYNTAX_ERROR);
  const pairs: [string, string][] = [];
  for (let j = 2; j < argv.length; j += 2) pairs.push([argv[j].toString("latin1", 0, argv[j].length), argv[j + 1].toString("utf8")]);
  const error = ctx.server.config.setFromClient(pairs);
  if (error !== null) ctx.reply.addError(error);
  else ctx.reply.addOk();
}

const CONFIG_HELP = [
  "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GET <pattern>",
  "    Return parameters matching the glob-like <pattern> and their values.",
  "SET <directive> <value>",
  "    Set the configuration <directive> to <value>.",
  "RESETSTAT",
  "    Reset statistics reported by the INFO command.",
  "REWRITE",
  "    Rewrite the configuration file.",
  "HELP",
  "    Print this help.",
];

function shutdownCommand(ctx: CommandContext): void {
  for (let j = 1; j < ctx.argv.length; j++) {
    const o = ctx.argv[j].toString("latin1", 0, ctx.argv[j].length).toLowerCase();
    if (!["nosave", "save", "now", "force", "abort"].includes(o)) return ctx.reply.addError(SYNTAX_ERROR);
    if (o === "abort") return ctx.reply.addError("ERR No shutdown in progress.");
  }
  // Like Redis the client gets no reply: the server goes away.
  ctx.client.stopProcessing = true;
  const server = ctx.server;
  setImmediate(() => server.onShutdown?.());
}

/** COMMAND INFO entry (7.0 layout): name, arity, flags, first, last, step, categories, tips, key specs, subcommands. */
function replyCommandInfo(ctx: CommandContext, spec: CommandSpec): void {
  const r = ctx.reply;
  r.addArrayLength(10);
  r.addBulkLatin1(spec.fullName);
  r.addInteger(spec.arity);
  r.addArrayLength(spec.flags.size);
  for (const f of spec.flags) r.addSimple(f);
  r.addInteger(spec.firstKey);
  r.addInteger(spec.lastKey);
  r.addInteger(spec.keyStep);
  r.addArrayLength(spec.categories.length);
  for (const c of spec.categories) r.addSimple(`@${c}`);
  r.addArrayLength(0);
  r.addArrayLength(0);
  const subs = spec.subcommands ? [...spec.subcommands.values()] : [];
  r.addArrayLength(subs.length);
  for (const s of subs) replyCommandInfo(ctx, s);
}

function commandInfo(ctx: CommandContext): void {
  const table = ctx.server.commands;
  if (ctx.argv.length === 2) {
    const all = table.all();
    ctx.reply.addArrayLength(all.length);
    for (const s of all) replyCommandInfo(ctx, s);
    return;
  }
  ctx.reply.addArrayLength(ctx.argv.length - 2);
  for (let j = 2; j < ctx.argv.length; j++) {
    const spec = lookupFullName(ctx, ctx.argv[j].toString("latin1", 0, ctx.argv[j].length));
    if (spec === undefined) ctx.reply.addNullBulk();
    else replyCommandInfo(ctx, spec);
  }
}

function lookupFullName(ctx: CommandContext, name: string): CommandSpec | undefined {
  const [top, sub] = name.toLowerCase().split("|");
  const spec = ctx.server.commands.get(top);
  if (sub === undefined) return spec;
  return spec?.subcommands?.get(sub);
}

/** COMMAND DOCS: a minimal doc map (summary, since, group) per command, enough for redis-cli. */
function commandDocs(ctx: CommandContext): void {
  const table = ctx.server.commands;
  const specs =
    ctx.argv.length === 2
      ? table.all()
      : ctx.argv.slice(2).map((a) => lookupFullName(ctx, a.toString("latin1", 0, a.length))).filter((s) => s !== undefined);
  ctx.reply.addArrayLength(specs.length * 2);
  for (const s of specs) {
    ctx.reply.addBulkLatin1(s.fullName);
    ctx.reply.addArrayLength(6);
    ctx.reply.addBulkLatin1("summary");
    ctx.reply.addBulkLatin1(`The ${s.fullName.toUpperCase()} command`);
    ctx.reply.addBulkLatin1("since");
    ctx.reply.addBulkLatin1("1.0.0");
    ctx.reply.addBulkLatin1("group");
    ctx.reply.addBulkLatin1(s.categories.find((c) => ["string", "list", "hash", "set", "sortedset", "keyspace", "connection", "transaction"].includes(c)) ?? "server");
  }
}

function commandList(ctx: CommandContext): void {
  if (ctx.argv.length > 2) return ctx.reply.addError(SYNTAX_ERROR);
  const names = ctx.server.commands.all().map((s) => s.name);
  ctx.reply.addArrayLength(names.length);
  for (const n of names) ctx.reply.addBulkLatin1(n);
}

const COMMAND_HELP = [
  "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "(no subcommand)",
  "    Return details about all Redis commands.",
  "COUNT",
  "    Return the total number of commands in this Redis server.",
  "LIST",
  "    Return a list of all commands in this Redis server.",
  "INFO [<command-name> ...]",
  "    Return details about multiple Redis commands.",
  "DOCS [<command-name> ...]",
  "    Return documentation details about multiple Redis commands.",
  "HELP",
  "    Print this help.",
];

function commandCommand(ctx: CommandContext): void {
  // COMMAND without subcommand: all command infos. With an unknown subcommand: the 7.0 error.
  if (ctx.argv.length === 1) {
    const all = ctx.server.commands.all();
    ctx.reply.addArrayLength(all.length);
    for (const s of all) replyCommandInfo(ctx, s);
    return;
  }
  const sub = ctx.argv[1].toString("latin1", 0, ctx.argv[1].length);
  ctx.reply.addError(`ERR unknown subcommand '${sub}'. Try COMMAND HELP.`);
}

const DEBUG_DISABLED =
  "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.";

function debugCommand(ctx: CommandContext): void {
  const mode = ctx.server.config.getString("enable-debug-command");
  const local = ["127.0.0.1", "::1"].includes(ctx.client.transport.remoteAddress);
  if (mode === "no" || (mode === "local" && !local)) return ctx.reply.addError(DEBUG_DISABLED);
  const sub = ctx.argv[1].toString("latin1", 0, ctx.argv[1].length).toLowerCase();
  const extension = ctx.server.debugSubcommands.get(sub);
  if (extension !== undefined) return extension(ctx);
  if (sub === "set-active-expire" && ctx.argv.length === 3) {
    ctx.server.activeExpireEnabled = ctx.argv[2].toString("latin1", 0, ctx.argv[2].length) !== "0";
    return ctx.reply.addOk();
  }
  ctx.reply.addError(`ERR unknown subcommand '${ctx.argv[1].toString("latin1", 0, ctx.argv[1].length)}'. Try DEBUG HELP.`);
}

export const serverCommands: CommandDefinition[] = [
  def("info", -1, "loading stale", null, "slow dangerous", infoCommand),
  def("config", -2, "", null, "slow", null, {
    subcommands: [
      def("get", -3, "admin noscript loading stale", null, "admin slow dangerous", configGet),
      def("set", -4, "admin noscript loading stale", null, "admin slow dangerous", configSet),
      def("resetstat", 2, "admin noscript loading stale", null, "admin slow dangerous", (ctx) => {
        ctx.server.stats.reset();
        ctx.reply.addOk();
      }),
      def("help", 2, "loading stale", null, "slow", (ctx) => replyHelp(ctx, CONFIG_HELP)),
    ],
  }),
  def("shutdown", -1, "admin noscript loading stale no_multi allow_busy", null, "admin slow dangerous", shutdownCommand),
  def("command", -1, "loading stale", null, "slow connection", commandCommand, {
    subcommands: [
      def("count", 2, "loading stale", null, "slow connection", (ctx) => ctx.reply.addInteger(ctx.server.commands.size)),
      def("info", -2, "loading stale", null, "slow connection", commandInfo),
      def("docs", -2, "loading stale", null, "slow connection", commandDocs),
      def("list", -2, "loading stale", null, "slow connection", commandList),
      def("help", 2, "loading stale", null, "slow connection", (ctx) => replyHelp(ctx, COMMAND_HELP)),
    ],
  }),
  def("debug", -2, "admin noscript loading stale protected", null, "admin slow dangerous", debugCommand),
];
