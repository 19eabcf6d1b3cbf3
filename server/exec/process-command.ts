// processCommand(): lookup, arity, auth and the pre-execution hook, MULTI queuing, then
// execution as one unit (Redis 7.0 server.c processCommand, same checks in the same order).

import type { RedisServer } from "../core/redis-server.js";
import type { Client } from "../core/client.js";
import type { CommandSpec } from "../commands/command-spec.js";
import type { CommandTable } from "../commands/command-table.js";
import { call } from "./call.js";

/** Commands that run immediately even inside MULTI (multi.c / processCommand). */
const NOT_QUEUED = new Set(["exec", "discard", "multi", "watch", "quit", "reset"]);

/** C "%.*s" of a binary argument: stops at a NUL byte. */
function cText(b: Buffer, max: number): string {
  let end = Math.min(b.length, max);
  const nul = b.indexOf(0);
  if (nul !== -1 && nul < end) end = nul;
  return b.toString("latin1", 0, end);
}

export function unknownCommandError(argv: Buffer[]): string {
  let args = "";
  for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${cText(argv[i], 128 - args.length)}' `;
  return `ERR unknown command '${cText(argv[0], 128)}', with args beginning with: ${args}`;
}

/**
 * rejectCommand(): flags an open transaction; a rejected EXEC (in MULTI or not) discards it and
 * replies "EXECABORT Transaction discarded because of: <reason>" (execCommandAbort, where
 * formatted reasons carry no "ERR" and shared errors keep their code).
 */
function reject(client: Client, cmd: CommandSpec | undefined, message: string): void {
  if (client.inMulti) client.multiDirty = true;
  if (cmd !== undefined && cmd.name === "exec" && cmd.parent === null) {
    const reason = message.startsWith("ERR ") ? message.slice(4) : message;
    client.reply.addError(`EXECABORT Transaction discarded because of: ${reason}`);
    client.resetMulti();
    return;
  }
  client.reply.addError(message);
}

export interface ResolvedCommand {
  cmd: CommandSpec | undefined;
  error: string | null;
}

export function resolveCommand(table: CommandTable, argv: Buffer[]): ResolvedCommand {
  const top = table.lookup(argv[0]);
  if (top === undefined) return { cmd: undefined, error: unknownCommandError(argv) };
  let cmd = top;
  if (top.subcommands !== null) {
    if (argv.length === 1) return { cmd: top, error: `ERR wrong number of arguments for '${top.fullName}' command` };
    const sub = top.subcommands.get(argv[1].toString("latin1", 0, argv[1].length).toLowerCase());
    if (sub === undefined) {
      return {
        cmd: top,
        error: `ERR unknown subcommand '${cText(argv[1], 128)}'. Try ${top.name.toUpperCase()} HELP.`,
      };
    }
    cmd = sub;
  }
  if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
    return { cmd, error: `ERR wrong number of arguments for '${cmd.fullName}' command` };
  }
  return { cmd, error: null };
}

export function processCommand(server: RedisServer, table: CommandTable, client: Client, argv: Buffer[]): void {
  client.lastInteraction = server.now();
  const resolved = resolveCommand(table, argv);
  if (resolved.error !== null || resolved.cmd === undefined) {
    reject(client, resolved.cmd, resolved.error as string);
    server.stats.totalErrorReplies++;
    server.hooks.afterCommand(client, false);
    return;
  }
  const cmd = resolved.cmd;
  const error = precheck(server, client, cmd);
  let executed = false;
  if (error !== null) {
    reject(client, cmd, error);
    server.stats.totalErrorReplies++;
  } else if (client.inMulti && !(cmd.parent === null && NOT_QUEUED.has(cmd.name))) {
    client.multiQueue.push({
      isWrite: cmd.isWrite,
      allowsStale: cmd.flags.has("stale"),
      run: () => call(server, client, cmd, argv),
    });
    client.reply.addQueued();
  } else {
    server.runUnit(cmd, () => call(server, client, cmd, argv)); // a spec describes its propagation unit
    executed = true;
  }
  server.hooks.afterCommand(client, executed);
}

/** allowProtectedAction(): enable-debug-command yes, or local and the client is on loopback. */
function protectedAllowed(server: RedisServer, client: Client): boolean {
  const mode = server.config.getString("enable-debug-command");
  return mode === "yes" || (mode === "local" && ["127.0.0.1", "::1"].includes(client.transport.remoteAddress));
}

export const DEBUG_NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

/**
 * processCommand()'s checks after lookup and arity, in 7.0's order. Each runs when the command
 * arrives, so inside MULTI a refused command flags the transaction (EXECABORT) instead of queuing.
 */
function precheck(server: RedisServer, client: Client, cmd: CommandSpec): string | null {
  // CMD_PROTECTED (DEBUG; MODULE is not implemented), checked before authentication
  if (cmd.flags.has("protected") && !protectedAllowed(server, client)) return DEBUG_NOT_ALLOWED;
  if (!client.authenticated && server.authRequired && !cmd.flags.has("no_auth")) {
    return "NOAUTH Authentication required.";
  }
  if (client.inMulti && cmd.flags.has("no_multi")) return "ERR Command not allowed inside a transaction";
  const isExec = cmd.name === "exec" && cmd.parent === null;
  let isWrite = cmd.isWrite;
  let denyStale = !cmd.flags.has("stale");
  if (isExec && client.inMulti) {
    // 7.0 processCommand: an EXEC is a write if a queued command writes, and is refused by
    // MASTERDOWN if a queued command lacks the stale flag (mstate.cmd_inv_flags).
    isWrite = client.multiQueue.some((q) => q.isWrite);
    denyStale = client.multiQueue.some((q) => !q.allowsStale);
  }
  return server.hooks.beforeCommand(client, {
    isWrite,
    denyStale,
    isExec,
    queuing: client.inMulti && !isExec,
  });
}
