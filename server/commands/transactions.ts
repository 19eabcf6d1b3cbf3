// MULTI / EXEC / DISCARD (multi.c). Queuing itself happens in processCommand, which gives every
// queued command the way to run it.

import { def, type CommandDefinition } from "./command-spec.js";
import type { CommandContext } from "./command-context.js";

function multiCommand(ctx: CommandContext): void {
  if (ctx.client.inMulti) return ctx.reply.addError("ERR MULTI calls can not be nested");
  ctx.client.inMulti = true;
  ctx.reply.addOk();
}

function discardCommand(ctx: CommandContext): void {
  if (!ctx.client.inMulti) return ctx.reply.addError("ERR DISCARD without MULTI");
  ctx.client.resetMulti();
  ctx.reply.addOk();
}

/** EXEC runs the queued commands inside the current execution unit (one propagate call). */
function execCommand(ctx: CommandContext): void {
  const client = ctx.client;
  if (!client.inMulti) return ctx.reply.addError("ERR EXEC without MULTI");
  if (client.multiDirty) {
    client.resetMulti();
    return ctx.reply.addError("EXECABORT Transaction discarded because of previous errors.");
  }
  const queue = client.multiQueue;
  ctx.reply.addArrayLength(queue.length);
  try {
    for (const q of queue) q.run();
  } finally {
    client.resetMulti();
    ctx.preventPropagation = true; // EXEC itself is never propagated, only what it ran
  }
}

export const transactionCommands: CommandDefinition[] = [
  def("multi", 1, "noscript loading stale fast allow_busy", null, "fast transaction", multiCommand),
  def("exec", 1, "noscript loading stale skip_slowlog", null, "slow transaction", execCommand),
  def("discard", 1, "noscript loading stale fast allow_busy", null, "fast transaction", discardCommand),
];
