// call(): runs one command implementation and records its propagation (server.c call()).

import type { RedisServer } from "../core/redis-server.js";
import type { Client } from "../core/client.js";
import type { CommandSpec } from "../commands/command-spec.js";
import { CommandContext } from "../commands/command-context.js";

export function call(server: RedisServer, client: Client, cmd: CommandSpec, argv: Buffer[]): void {
  // A context per call: a command run by EXEC cannot disturb EXEC's own.
  const ctx = new CommandContext(server, client, argv, server.now());
  const reply = client.reply;
  const dirtyBefore = server.dirty;
  const errorsBefore = reply.errorCount;
  client.lastCommand = cmd.fullName;
  try {
    (cmd.handler as NonNullable<CommandSpec["handler"]>)(ctx);
  } catch (err) {
    // A bug must not take the process down: report it to this client, log it, count it.
    server.internalErrors++;
    server.log.warning(
      `Internal error in '${cmd.fullName}' (a replcheck bug): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    reply.addError(`ERR internal error in '${cmd.fullName}': ${err instanceof Error ? err.message : String(err)}`);
  }
  server.stats.totalCommandsProcessed++;
  if (reply.errorCount !== errorsBefore) {
    server.stats.totalErrorReplies += reply.errorCount - errorsBefore;
    return; // a failed command propagates nothing of its own
  }
  if (!ctx.preventPropagation && (server.dirty !== dirtyBefore || ctx.forcePropagation)) {
    server.addPropagatedOp(client.db.id, ctx.propagateArgv);
  }
}
