// Talking to a server in a container through its published port: readiness (PONG, not -LOADING),
// INFO server for the description, and SHUTDOWN for a restart.

import { infoField } from "../observe/info.js";
import { RespConnection } from "../util/resp-connection.js";

async function withConnection<T>(
  host: string,
  port: number,
  use: (c: RespConnection) => Promise<T>,
): Promise<T | undefined> {
  let conn: RespConnection;
  try {
    conn = await RespConnection.open({ host, port, connectTimeoutMs: 500 });
  } catch {
    return undefined;
  }
  try {
    return await use(conn);
  } finally {
    conn.close();
  }
}

/** PONG: the server listens and has finished loading its RDB. */
export async function answersPing(host: string, port: number): Promise<boolean> {
  const reply = await withConnection(host, port, (c) => c.send(["PING"], 2000));
  return reply?.kind === "reply" && reply.value.kind === "status" && reply.value.value === "PONG";
}

/** e.g. "redis 7.0.15", "valkey 8.0.1", from INFO server; undefined if it cannot be read. */
export async function serverVersion(host: string, port: number): Promise<string | undefined> {
  const reply = await withConnection(host, port, (c) => c.send(["INFO", "server"], 2000));
  if (reply?.kind !== "reply" || reply.value.kind !== "bulk" || reply.value.value === null) return undefined;
  const text = String(reply.value.value);
  const field = (name: string) => infoField(text, name);
  const replcheck = field("replcheck_version");
  if (replcheck !== undefined) return `replcheck ${replcheck}`;
  const valkey = field("valkey_version");
  if (valkey !== undefined) return `valkey ${valkey}`;
  const redis = field("redis_version");
  return redis === undefined ? undefined : `redis ${redis}`;
}

/** SHUTDOWN NOSAVE NOW (7.0+), or SHUTDOWN NOSAVE where NOW is a syntax error (6.2). Best effort. */
export async function shutdownNoSave(host: string, port: number): Promise<void> {
  await withConnection(host, port, async (c) => {
    const now = await c.send(["SHUTDOWN", "NOSAVE", "NOW"], 2000);
    if (now.kind === "error") await c.send(["SHUTDOWN", "NOSAVE"], 2000);
  });
}
