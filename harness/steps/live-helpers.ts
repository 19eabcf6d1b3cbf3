// Small live operations the step kinds share.

import type { ObservedReply } from "../check/reply.js";
import type { LiveNode } from "../live/cluster.js";

/** Selects db on the node's commands connection, once per change. */
export async function select(n: LiveNode, db: number, timeoutMs: number): Promise<void> {
  if (n.db === db) return;
  const r = await n.commands.send(["SELECT", String(db)], timeoutMs);
  if (r.kind !== "reply") throw new Error(`SELECT ${db} on ${n.name} failed: ${JSON.stringify(r)}`);
  n.db = db;
}

/** An administrative command on the node's admin connection, its reply as the checker sees replies. */
export async function admin(n: LiveNode, argv: readonly string[]): Promise<ObservedReply> {
  try {
    const value = await n.admin.call(argv[0], ...argv.slice(1));
    return typeof value === "string" ? { kind: "status", value } : { kind: "bulk", value: String(value) };
  } catch (e) {
    const message = (e as Error).message;
    if (/timed out/i.test(message)) return { kind: "timeout" };
    return { kind: "error", value: message };
  }
}
