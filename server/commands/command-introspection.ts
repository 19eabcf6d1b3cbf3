// COMMAND and its subcommands (server.c commandCommand & co., 7.0 layout): they describe the
// table they are given, which holds every command the entry point registered (replication's too).

import { def, type CommandDefinition, type CommandSpec } from "./command-spec.js";
import { SYNTAX_ERROR, type CommandContext } from "./command-context.js";
import type { CommandTable } from "./command-table.js";
import { replyHelp } from "./connection.js";

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

function commandInfo(table: CommandTable, ctx: CommandContext): void {
  if (ctx.argv.length === 2) {
    const all = table.all();
    ctx.reply.addArrayLength(all.length);
    for (const s of all) replyCommandInfo(ctx, s);
    return;
  }
  ctx.reply.addArrayLength(ctx.argv.length - 2);
  for (let j = 2; j < ctx.argv.length; j++) {
    const spec = lookupFullName(table, ctx.argv[j].toString("latin1", 0, ctx.argv[j].length));
    if (spec === undefined) ctx.reply.addNullBulk();
    else replyCommandInfo(ctx, spec);
  }
}

function lookupFullName(table: CommandTable, name: string): CommandSpec | undefined {
  const [top, sub] = name.toLowerCase().split("|");
  const spec = table.get(top);
  if (sub === undefined) return spec;
  return spec?.subcommands?.get(sub);
}

/** COMMAND DOCS: a minimal doc map (summary, since, group) per command, enough for redis-cli. */
function commandDocs(table: CommandTable, ctx: CommandContext): void {
  const specs =
    ctx.argv.length === 2
      ? table.all()
      : ctx.argv
          .slice(2)
          .map((a) => lookupFullName(table, a.toString("latin1", 0, a.length)))
          .filter((s) => s !== undefined);
  ctx.reply.addArrayLength(specs.length * 2);
  for (const s of specs) {
    ctx.reply.addBulkLatin1(s.fullName);
    ctx.reply.addArrayLength(6);
    ctx.reply.addBulkLatin1("summary");
    ctx.reply.addBulkLatin1(`The ${s.fullName.toUpperCase()} command`);
    ctx.reply.addBulkLatin1("since");
    ctx.reply.addBulkLatin1("1.0.0");
    ctx.reply.addBulkLatin1("group");
    ctx.reply.addBulkLatin1(
      s.categories.find((c) =>
        ["string", "list", "hash", "set", "sortedset", "keyspace", "connection", "transaction"].includes(c),
      ) ?? "server",
    );
  }
}

function commandList(table: CommandTable, ctx: CommandContext): void {
  if (ctx.argv.length > 2) return ctx.reply.addError(SYNTAX_ERROR);
  const names = table.all().map((s) => s.name);
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

function commandCommand(table: CommandTable, ctx: CommandContext): void {
  // COMMAND without subcommand: all command infos. With an unknown subcommand: the 7.0 error.
  if (ctx.argv.length === 1) {
    const all = table.all();
    ctx.reply.addArrayLength(all.length);
    for (const s of all) replyCommandInfo(ctx, s);
    return;
  }
  const sub = ctx.argv[1].toString("latin1", 0, ctx.argv[1].length);
  ctx.reply.addError(`ERR unknown subcommand '${sub}'. Try COMMAND HELP.`);
}

export function introspectionCommands(table: CommandTable): CommandDefinition[] {
  return [
    def("command", -1, "loading stale", null, "slow connection", (ctx) => commandCommand(table, ctx), {
      subcommands: [
        def("count", 2, "loading stale", null, "slow connection", (ctx) => ctx.reply.addInteger(table.size)),
        def("info", -2, "loading stale", null, "slow connection", (ctx) => commandInfo(table, ctx)),
        def("docs", -2, "loading stale", null, "slow connection", (ctx) => commandDocs(table, ctx)),
        def("list", -2, "loading stale", null, "slow connection", (ctx) => commandList(table, ctx)),
        def("help", 2, "loading stale", null, "slow connection", (ctx) => replyHelp(ctx, COMMAND_HELP)),
      ],
    }),
  ];
}
