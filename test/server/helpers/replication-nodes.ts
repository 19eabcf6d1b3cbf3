// In-process replication test nodes: each with a temp dir and an ephemeral port, deterministic
// replication settings (no cron PINGs, no diskless delay, no saves), ioredis clients, INFO
// parsing and deadline polling. Everything started is recorded and stopped by stopAll().

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { startLinkProxy, type LinkProxy } from "../../../harness/proxy/index.js";
import { startServer, type ServerHandle } from "../../../server/index.js";

export const DETERMINISTIC: Record<string, string> = {
  "repl-diskless-sync-delay": "0",
  "repl-ping-replica-period": "3600",
  "repl-timeout": "3600",
  "repl-backlog-ttl": "0",
  save: "",
};

export interface TestNode {
  handle: ServerHandle;
  /** A normal client; RESP replies as strings. */
  client: Redis;
  dir: string;
  readonly port: number;
  /** Start-up config, for restarts. */
  config: Record<string, string>;
}

export class Nodes {
  private readonly nodes: TestNode[] = [];
  private readonly clients: Redis[] = [];
  private readonly proxies: LinkProxy[] = [];
  private readonly dirs: string[] = [];

  async start(config: Record<string, string> = {}, dir?: string): Promise<TestNode> {
    const nodeDir = dir ?? mkdtempSync(join(tmpdir(), "replcheck-repl-"));
    if (dir === undefined) this.dirs.push(nodeDir);
    const full = { ...DETERMINISTIC, dir: nodeDir, ...config };
    const handle = await startServer({ config: full });
    const node: TestNode = {
      handle,
      client: this.redis(handle.port),
      dir: nodeDir,
      config: full,
      get port() {
        return this.handle.port;
      },
    };
    this.nodes.push(node);
    return node;
  }

  /** close() then startServer in the same dir on the same port (a replcheck restart). */
  async restart(node: TestNode, config: Record<string, string> = node.config): Promise<void> {
    const port = node.handle.port;
    node.client.disconnect();
    await node.handle.close();
    node.config = { ...config, dir: node.dir, port: String(port) };
    node.handle = await startServer({ config: node.config });
    node.client = this.redis(node.handle.port);
  }

  redis(port: number): Redis {
    const r = new Redis({
      port,
      host: "127.0.0.1",
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50,
      lazyConnect: false,
    });
    r.on("error", () => {});
    this.clients.push(r);
    return r;
  }

  async proxy(target: TestNode | number): Promise<LinkProxy> {
    const port = typeof target === "number" ? target : target.port;
    const p = await startLinkProxy({ targetHost: "127.0.0.1", targetPort: port });
    this.proxies.push(p);
    return p;
  }

  async stopAll(): Promise<void> {
    for (const c of this.clients.splice(0)) c.disconnect();
    for (const p of this.proxies.splice(0)) await p.close();
    for (const n of this.nodes.splice(0)) await n.handle.close();
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}

/** INFO <section> as name -> value. */
export async function info(node: TestNode | Redis, section = "replication"): Promise<Record<string, string>> {
  const client = node instanceof Redis ? node : node.client;
  const text = await client.info(section);
  const out: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export const num = (v: string | undefined): number => Number(v);

/** Polls `check` until it returns true; fails with `what` and the last observation at the deadline. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean | string> | boolean | string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = "";
  for (;;) {
    try {
      const r = await check();
      if (r === true) return;
      last = r;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

export async function linkUp(replica: TestNode): Promise<void> {
  await waitFor(`${replica.port} link up`, async () => {
    const i = await info(replica);
    return i.master_link_status === "up" || `link ${i.master_link_status}`;
  });
}

/** Waits until every replica shows the master's offset and replid. */
export async function inSync(master: TestNode, ...replicas: TestNode[]): Promise<void> {
  await waitFor("replicas at the master's offset", async () => {
    const m = await info(master);
    for (const r of replicas) {
      const i = await info(r);
      if (
        i.master_link_status !== "up" ||
        i.master_repl_offset !== m.master_repl_offset ||
        i.master_replid !== m.master_replid
      ) {
        return `${r.port}: ${i.master_link_status} ${i.master_repl_offset}/${i.master_replid} vs ${m.master_repl_offset}/${m.master_replid}`;
      }
    }
    return true;
  });
}

export async function stats(node: TestNode): Promise<{ full: number; ok: number; err: number }> {
  const s = await info(node, "stats");
  return { full: num(s.sync_full), ok: num(s.sync_partial_ok), err: num(s.sync_partial_err) };
}

export async function offset(node: TestNode): Promise<number> {
  return num((await info(node)).master_repl_offset);
}

/** Every key of every db with its type and a type-aware value (a dataset digest). */
export async function dataset(node: TestNode | Redis, dbs = 16): Promise<string[]> {
  const base = node instanceof Redis ? node : node.client;
  const r = base.duplicate();
  r.on("error", () => {});
  const lines: string[] = [];
  try {
    for (let db = 0; db < dbs; db++) {
      await r.select(db);
      let cursor = "0";
      do {
        const [next, keys] = await r.scan(cursor, "COUNT", "1000");
        cursor = next;
        for (const k of keys) {
          const type = await r.type(k);
          let value: unknown;
          if (type === "string") value = await r.get(k);
          else if (type === "list") value = await r.lrange(k, 0, -1);
          else if (type === "hash") value = Object.entries(await r.hgetall(k)).sort();
          else if (type === "set") value = (await r.smembers(k)).sort();
          else if (type === "zset") value = await r.zrange(k, "0", "-1", "WITHSCORES");
          else if (type === "none") continue;
          const ttl = await r.pttl(k);
          lines.push(`${db} ${k} ${type} ${ttl >= 0 ? "ttl" : "-"} ${JSON.stringify(value)}`);
        }
      } while (cursor !== "0");
    }
  } finally {
    r.disconnect();
  }
  return lines.sort();
}
