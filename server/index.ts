// Public entry point of replcheck's Redis-compatible server.

import { createRequire } from "node:module";
import type net from "node:net";
import { RedisServer } from "./core/redis-server.js";
import { ServerCron } from "./core/server-cron.js";
import { defineServerInfo } from "./core/server-info.js";
import { CommandTable } from "./commands/command-table.js";
import type { CommandHandler } from "./commands/command-spec.js";
import { registerBuiltinCommands } from "./commands/builtin.js";
import { processInput } from "./exec/process-input.js";
import { listen } from "./net/tcp-listener.js";
import { Replication } from "./replication/replication.js";
import { registerReplicationCommands } from "./replication/commands.js";

export { RedisServer } from "./core/redis-server.js";
export type { RedisServerOptions, InputProcessor } from "./core/redis-server.js";
export { Client } from "./core/client.js";
export type { ClientKind, ClientTransport } from "./core/client.js";
export type { ServerHooks, PropagatedOp, PropagationUnit, CommandCheckInfo } from "./core/hooks.js";
export type { CommandSpec, CommandDefinition, CommandFlag, CommandHandler } from "./commands/command-spec.js";
export { CommandContext } from "./commands/command-context.js";
export { CommandTable } from "./commands/command-table.js";
export { ConfigRegistry } from "./config/config-registry.js";
export { ServerStats } from "./core/server-stats.js";
export { Replication } from "./replication/replication.js";
export type { ServerLog } from "./core/server-log.js";

export interface StartServerOptions {
  /** Config name -> value, like `--name value` on the redis-server command line. */
  config?: Record<string, string>;
  /** Injectable clock (unix ms) for key expiry and INFO times. */
  now?: () => number;
  /** What SHUTDOWN does after it replied; default: close this instance. */
  onShutdown?: (handle: ServerHandle) => void;
  /** Receives every log line (Redis format); default: lines are only kept in server.log. */
  log?: (line: string) => void;
}

export interface ServerHandle {
  readonly host: string;
  readonly port: number;
  /** The server core, for the replication layer and tests. */
  readonly server: RedisServer;
  /** The replication layer (ids, stream, backlog, replicas, master link). */
  readonly replication: Replication;
  /** Runs one active expiry cycle now (tests; the cron runs it hz times per second). */
  activeExpireCycle(): { sampled: number; expired: number };
  /**
   * Freezes the instance as SIGSTOP freezes a process: its timers stop and no socket is read or
   * written (what peers send waits in the kernel, what it would send waits in Node), but nothing is
   * closed. For the harness's pause fault (LINK-9).
   */
  freeze(): void;
  /** Runs again after freeze: queued output goes out, waiting input is read, timers restart. */
  thaw(): void;
  /** Closes every client and the listener. Idempotent. */
  close(): Promise<void>;
  readonly closed: boolean;
}

function packageVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require("../package.json") as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}

/**
 * Builds the parts of one instance and wires them: the core runs requests through the command
 * table, which holds the core's commands and then replication's; replication plugs into the core.
 */
function buildInstance(
  options: StartServerOptions,
  config: Record<string, string>,
): { server: RedisServer; replication: Replication } {
  const commands = new CommandTable();
  const debugExtensions = new Map<string, CommandHandler>();
  const server = new RedisServer({
    config,
    now: options.now,
    replcheckVersion: packageVersion(),
    processInput: (s, client) => processInput(s, commands, client),
  });
  if (options.log) server.log.sink = options.log;
  defineServerInfo(server);
  registerBuiltinCommands(commands, debugExtensions);
  const replication = new Replication(server);
  registerReplicationCommands(replication, commands, debugExtensions);
  return { server, replication };
}

/**
 * Starts an instance. `config.port` defaults to 0 (an ephemeral port); `config.bind` to
 * 127.0.0.1 (the first address is used). `<dir>/<dbfilename>` is loaded first if it exists;
 * `replicaof "<host> <port>"` makes it a replica. Rejects with a clear Error for bad options, an
 * unloadable RDB file or a port in use.
 */
export async function startServer(options: StartServerOptions = {}): Promise<ServerHandle> {
  const config = { port: "0", ...options.config };
  const { server, replication } = buildInstance(options, config);
  try {
    replication.loadData();
  } catch (err) {
    throw new Error(
      `Fatal error loading the DB (${server.config.getString("dir")}/${server.config.getString("dbfilename")}): ${(err as Error).message}`,
    );
  }
  const host = server.config.getString("bind").split(" ")[0] || "127.0.0.1";
  const sockets = new Set<net.Socket>();
  const listener = await listen(server, host, server.config.getInt("port"), sockets);
  const address = listener.address() as net.AddressInfo;
  server.port = address.port;
  server.config.applyStartupOptions({ port: String(address.port) });
  const cron = new ServerCron(server);
  cron.start();
  replication.start();

  let closing: Promise<void> | null = null;
  let frozen: net.Socket[] | null = null;
  const freezeSocket = (sock: net.Socket) => {
    sock.pause();
    sock.cork();
  };
  // A connection accepted while frozen waits too (attachConnection has run: this listener is second).
  listener.on("connection", (sock: net.Socket) => {
    if (frozen === null) return;
    freezeSocket(sock);
    frozen.push(sock);
  });
  const handle: ServerHandle = {
    host,
    port: address.port,
    server,
    replication,
    activeExpireCycle: () => server.activeExpireCycle(),
    get closed() {
      return closing !== null;
    },
    freeze() {
      if (frozen !== null || closing !== null) return;
      cron.stop();
      replication.pauseCron();
      const link = replication.link.connection;
      frozen = [...sockets, ...(link === null ? [] : [link])];
      for (const sock of frozen) freezeSocket(sock);
    },
    thaw() {
      if (frozen === null) return;
      const held = frozen;
      frozen = null;
      for (const sock of held) {
        if (sock.destroyed) continue;
        sock.uncork();
        sock.resume();
      }
      if (closing !== null) return;
      cron.start();
      replication.resumeCron();
    },
    close() {
      if (closing !== null) return closing;
      closing = new Promise<void>((resolve) => {
        cron.stop();
        replication.stop();
        server.flushAll();
        for (const c of [...server.clients.values()]) server.closeClient(c, true);
        for (const s of sockets) s.destroy();
        listener.close(() => resolve());
      });
      return closing;
    },
  };
  server.onShutdown = () => {
    if (options.onShutdown) options.onShutdown(handle);
    else void handle.close();
  };
  return handle;
}
