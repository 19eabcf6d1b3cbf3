// DEBUG (debug.c), behind enable-debug-command: SET-ACTIVE-EXPIRE, and the subcommands other layers
// add (replication's CHANGE-REPL-ID) through the extension map the entry point hands in.

import { def, type CommandDefinition, type CommandHandler } from "./command-spec.js";
import type { CommandContext } from "./command-context.js";

/** enable-debug-command is checked by processCommand (the command is `protected`). */
function debugCommand(extensions: ReadonlyMap<string, CommandHandler>, ctx: CommandContext): void {
  const sub = ctx.argv[1].toString("latin1", 0, ctx.argv[1].length).toLowerCase();
  const extension = extensions.get(sub);
  if (extension !== undefined) return extension(ctx);
  if (sub === "set-active-expire" && ctx.argv.length === 3) {
    ctx.server.activeExpireEnabled = ctx.argv[2].toString("latin1", 0, ctx.argv[2].length) !== "0";
    return ctx.reply.addOk();
  }
  ctx.reply.addError(
    `ERR unknown subcommand '${ctx.argv[1].toString("latin1", 0, ctx.argv[1].length)}'. Try DEBUG HELP.`,
  );
}

/** `extensions`: lowercase subcommand name -> handler, filled by other layers before clients connect. */
export function debugCommands(extensions: ReadonlyMap<string, CommandHandler>): CommandDefinition[] {
  return [
    def("debug", -2, "admin noscript loading stale protected", null, "admin slow dangerous", (ctx) =>
      debugCommand(extensions, ctx),
    ),
  ];
}
