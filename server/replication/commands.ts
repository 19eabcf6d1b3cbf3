// The replication and persistence commands (Redis 7.0 names, arities and flags), which the entry
// point registers after the core's, and DEBUG CHANGE-REPL-ID.

import { def, type CommandDefinition, type CommandHandler } from "../commands/command-spec.js";
import type { CommandTable } from "../commands/command-table.js";
import { syncCommand } from "./master/psync.js";
import type { Replication } from "./replication.js";
import { replconfCommand } from "./replconf-command.js";
import { replicaofCommand } from "./replicaof-command.js";
import { roleCommand } from "./role-command.js";

export function registerReplicationCommands(
  repl: Replication,
  table: CommandTable,
  debugExtensions: Map<string, CommandHandler>,
): void {
  const p = repl.persistence;
  const defs: CommandDefinition[] = [
    def("psync", -3, "admin noscript no_async_loading no_multi", null, "admin slow dangerous", (ctx) =>
      syncCommand(repl, ctx, true),
    ),
    def("sync", 1, "admin noscript no_async_loading no_multi", null, "admin slow dangerous", (ctx) =>
      syncCommand(repl, ctx, false),
    ),
    def("replconf", -1, "admin noscript loading stale allow_busy", null, "admin slow dangerous", (ctx) =>
      replconfCommand(repl, ctx),
    ),
    def("replicaof", 3, "admin noscript stale no_async_loading", null, "admin slow dangerous", (ctx) =>
      replicaofCommand(repl, repl.server.log, ctx),
    ),
    def("slaveof", 3, "admin noscript stale no_async_loading", null, "admin slow dangerous", (ctx) =>
      replicaofCommand(repl, repl.server.log, ctx),
    ),
    def("wait", 3, "noscript", null, "slow connection", (ctx) => repl.waits.command(ctx)),
    def("role", 1, "noscript loading stale fast", null, "admin fast dangerous", (ctx) => roleCommand(repl, ctx)),
    def("save", 1, "admin noscript no_async_loading no_multi", null, "admin slow dangerous", (ctx) =>
      p.saveCommand(ctx),
    ),
    def("bgsave", -1, "admin noscript no_async_loading", null, "admin slow dangerous", (ctx) => p.bgsaveCommand(ctx)),
    def("lastsave", 1, "loading stale fast", null, "admin fast dangerous", (ctx) => ctx.reply.addInteger(p.lastSave)),
    def("shutdown", -1, "admin noscript loading stale no_multi allow_busy", null, "admin slow dangerous", (ctx) =>
      p.shutdownCommand(ctx),
    ),
  ];
  table.registerAll(defs);
  // DEBUG CHANGE-REPL-ID (needs enable-debug-command): a new history, as REPLID-6 describes
  debugExtensions.set("change-repl-id", (ctx) => {
    repl.ids.newHistory();
    ctx.reply.addOk();
  });
}
