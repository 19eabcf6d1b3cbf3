// Server commands: INFO, CONFIG, SHUTDOWN (server.c, config.c). COMMAND is command-introspection.ts,
// DEBUG debug-command.ts.

import { cOption } from "../util/c-string.js";
import { def, type CommandDefinition } from "./command-spec.js";
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
  for (let j = 2; j < argv.length; j += 2)
    pairs.push([argv[j].toString("latin1", 0, argv[j].length), argv[j + 1].toString("utf8")]);
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
    const o = cOption(ctx.argv[j]);
    if (!["nosave", "save", "now", "force", "abort"].includes(o)) return ctx.reply.addError(SYNTAX_ERROR);
    if (o === "abort") return ctx.reply.addError("ERR No shutdown in progress.");
  }
  // Like Redis the client gets no reply: the server goes away.
  ctx.client.stopProcessing = true;
  const server = ctx.server;
  setImmediate(() => server.onShutdown?.());
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
  def(
    "shutdown",
    -1,
    "admin noscript loading stale no_multi allow_busy",
    null,
    "admin slow dangerous",
    shutdownCommand,
  ),
];
