// The harness's connections to a node.
//
// - Admin connections (ioredis 6): INFO, ROLE, CONFIG, REPLICAOF, SCAN and reads for digests. They
//   never queue while offline, never retry or resend a command, time out per command, and speak
//   RESP2 (ioredis 6 defaults to RESP3, whose ZRANGE WITHSCORES/HGETALL shapes differ).
// - Command connections (RespConnection): the commands whose replies the checker compares with
//   the model. ioredis decodes status (`+OK`) and bulk (`$2 OK`) replies to the same value, so these
//   use replcheck's small RESP2 decoder, which keeps every reply type apart.

import { Redis } from "ioredis";
import type { RespValue } from "./util/resp.js";
import { RespConnection, type SendResult } from "./util/resp-connection.js";
import { withRetries } from "./util/retry.js";
import { withDeadline } from "./util/wait-for.js";

export { RespConnection, type SendResult } from "./util/resp-connection.js";
export type { RespValue } from "./util/resp.js";

export interface AdminClientOptions {
  host: string;
  port: number;
  /** Per-command timeout (default 5000 ms); a command that takes longer is rejected with "Command timed out". */
  commandTimeoutMs?: number;
  /** Deadline for the connection to be ready (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Reconnect attempts after a lost connection (default 0: the caller opens a new client). Bounded, never a storm. */
  reconnectAttempts?: number;
  /** Pause between reconnect attempts (default 200 ms). */
  reconnectDelayMs?: number;
  /** CLIENT SETNAME, so the connection is recognisable in CLIENT LIST. */
  connectionName?: string;
  /**
   * Attempts to open the connection (default 1). A fresh node on a loaded machine can miss one
   * connect deadline; callers that just started it allow a few before calling it unreachable.
   */
  connectAttempts?: number;
  /** Pause before the second attempt, doubled for each further one (default 250 ms). */
  connectRetryDelayMs?: number;
}

/**
 * Opens an admin connection and resolves once it is usable. Each attempt that is not usable within
 * the deadline is closed; after the last one it throws, naming the address, every attempt's cause.
 */
export async function createAdminClient(options: AdminClientOptions): Promise<Redis> {
  try {
    return await withRetries(
      { attempts: options.connectAttempts ?? 1, firstDelayMs: options.connectRetryDelayMs ?? 250 },
      () => openAdminClient(options),
    );
  } catch (e) {
    throw new Error(`cannot open an admin connection to ${options.host}:${options.port}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** One attempt: ready within the deadline, or closed and rejected with the socket's own error when it had one. */
async function openAdminClient(options: AdminClientOptions): Promise<Redis> {
  const attempts = options.reconnectAttempts ?? 0;
  const reconnectDelay = options.reconnectDelayMs ?? 200;
  const connectTimeout = options.connectTimeoutMs ?? 5000;
  const client = new Redis({
    host: options.host,
    port: options.port,
    lazyConnect: true,
    protocol: 2,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    // No hidden INFO before "ready": a loading node answers -LOADING, which callers must see.
    enableReadyCheck: false,
    // No CLIENT SETINFO on every connect (7.0 does not know it; it would only add noise).
    disableClientInfo: true,
    commandTimeout: options.commandTimeoutMs ?? 5000,
    connectTimeout,
    retryStrategy: (times: number) => (times <= attempts ? reconnectDelay : null),
    reconnectOnError: () => false,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  });
  // Failures surface as rejected commands; without a listener ioredis would print every socket error.
  // The last one is kept: ioredis rejects connect() with a bare "Connection is closed" after it.
  let socketError: Error | undefined;
  client.on("error", (e: Error) => {
    socketError = e;
  });
  try {
    await withDeadline(
      client.connect(),
      connectTimeout + 500,
      () => new Error(`admin connection to ${options.host}:${options.port} not ready within ${connectTimeout} ms`),
    );
  } catch (e) {
    client.disconnect();
    const message = (e as Error).message;
    const socket = socketError?.message;
    throw new Error(socket === undefined || message.includes(socket) ? message : `${message} (${socket})`, {
      cause: e,
    });
  }
  return client;
}

/** Opens a command connection (typed replies; see RespConnection). */
export function openCommandConnection(options: {
  host: string;
  port: number;
  connectTimeoutMs?: number;
}): Promise<RespConnection> {
  return RespConnection.open(options);
}

/**
 * Sends one command and reports what happened: a reply (types kept apart), an error reply (full
 * text), a timeout (unknown outcome: the command may still run; its late reply is discarded) or a
 * lost connection. Never resends.
 */
export function send(
  connection: RespConnection,
  argv: readonly (string | Buffer)[],
  options: { timeoutMs: number },
): Promise<SendResult> {
  return connection.send(argv, options.timeoutMs);
}

/** A command's outcome as one value, in the shape the checker compares (harness/check/reply.ts ObservedReply). */
export type FlatReply = RespValue | { kind: "timeout" } | { kind: "connection-lost"; value: string };

export function flattenResult(result: SendResult): FlatReply {
  switch (result.kind) {
    case "reply":
      return result.value;
    case "error":
      return { kind: "error", value: result.message };
    case "timeout":
      return { kind: "timeout" };
    case "connection-lost":
      return { kind: "connection-lost", value: result.message };
  }
}
