// Public entry point of replcheck's Redis-compatible server.

import { createRequire } from "node:module";
import type net from "node:net";
import { RedisServer } from "./core/redis-server.js";
import { ServerCron } from "./core/server-cron.js";
import { listen } from "./net/tcp-listener.js";

export { RedisServer } from "./core/redis-server.js";
export type { RedisServerOptions } from "./core/redis-server.js";
export { Client } from "./core/client.js";
export type { ClientKind, ClientTransport } from "./core/client.js";
export type { ServerHooks, PropagatedOp, PropagationUnit, CommandCheckInfo } from "./core/hooks.js";
export type { CommandSpec, CommandDefinition, CommandFlag, CommandHandler } from "./commands/command-spec.js";
export { CommandContext } from "./commands/command-context.js";
export { ConfigRegistry } from "./config/config-registry.js";
export { ServerStats } from "./core/server-stats.js";

export interface StartServerOptions {
  /** Config name -> value, like `--name value` on the redis-server command line. */
  config?: Record<string, string>;
  /** Injectable clock (unix ms) for key expiry and INFO times. */
  now?: () => number;
  /** What SHUTDOWN does after it replied; default: close this instance. */
  onShutdown?: (handle: ServerHandle) => void;
}

export interface ServerHandle {
  readonly host: string;
  readonly port: number;
  /** The server core, for the replication layer and tests. */
  readonly server: RedisServer;
  /** Runs one active expiry cycle now (tests; the cron runs it hz times per second). */
  activeExpireCycle(): { sampled: number; expired: number };
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
 * Starts an instance. `config.port` defaults to 0 (an ephemeral port); `config.bind` to
 * 127.0.0.1 (the first address is used). Rejects with a clear Error for bad options or a port
 * in use.
 */
export async function startServer(options: StartServerOptions = {}): Promise<ServerHandle> {
  const config = { port: "0", ...options.config };
  const server = new RedisServer({ config, now: options.now, replcheckVersion: packageVersion() });
  const host = server.config.getString("bind").split(" ")[0] || "127.0.0.1";
  const sockets = new Set<net.Socket>();
  const listener = await listen(server, host, server.config.getInt("port"), sockets);
  const address = listener.address() as net.AddressInfo;
  server.port = address.port;
  server.config.applyStartupOptions({ port: String(address.port) });
  const cron = new ServerCron(server);
  cron.start();

  let closing: Promise<void> | null = null;
  const handle: ServerHandle = {
    host,
    port: address.port,
    server,
    activeExpireCycle: () => server.activeExpireCycle(),
    get closed() {
      return closing !== null;
    },
    close() {
      if (closing !== null) return closing;
      closing = new Promise<void>((resolve) => {
        cron.stop();
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
