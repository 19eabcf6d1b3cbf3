// The link proxy between a real redis-server master and replica (Debian's 7.0.15 at /usr/bin).
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startLinkProxy, type LinkProxy } from "../../harness/proxy/index.js";

const REDIS_SERVER = "/usr/bin/redis-server";
const available = existsSync(REDIS_SERVER);
const strict = Boolean(process.env.REPLCHECK_STRICT);
const skipReason = `${REDIS_SERVER} not found: install it (Debian: apt-get install redis-server) or set REPLCHECK_STRICT=1 to fail instead of skipping`;
if (!available && !strict) console.warn(`link-proxy-redis: skipped, ${skipReason}`);

// ---------------------------------------------------------------- processes and cleanup

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

interface RedisProcess {
  readonly port: number;
  readonly child: ChildProcess;
  log(): string;
}

/** Stops a process we started, by its handle: TERM, then KILL if it does not exit in time. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startRedis(name: string, extraArgs: string[]): Promise<RedisProcess> {
  const dir = await mkdtemp(join(tmpdir(), `replcheck-proxy-${name}-`));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  // The free port may be taken between probe and bind: retry a few times.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", ...extraArgs];
    const child = spawn(REDIS_SERVER, args, { stdio: ["ignore", "pipe", "pipe"] });
    cleanups.push(() => stopProcess(child));
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const redis = { port, child, log: () => output };
    try {
      await waitFor(`${name} to answer PING`, async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
        return (await redisCommand(port, "PING").catch(() => undefined)) === "PONG";
      });
      return redis;
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test(output)) throw error;
    }
  }
}

// ---------------------------------------------------------------- a minimal RESP client

type Reply = string | number | null;

async function redisCommand(port: number, ...args: string[]): Promise<Reply> {
  const socket = connect({ host: "127.0.0.1", port });
  try {
    await once(socket, "connect");
    socket.write(`*${args.length}\r\n` + args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join(""));
    let buffer = Buffer.alloc(0);
    for await (const chunk of socket) {
      buffer = Buffer.concat([buffer, chunk as Buffer]);
      const reply = parseReply(buffer);
      if (reply) return reply.value;
    }
    throw new Error(`connection closed before the reply to ${args[0]}`);
  } finally {
    socket.destroy();
  }
}

/** Parses one non-aggregate reply; undefined while incomplete. */
function parseReply(buffer: Buffer): { value: Reply } | undefined {
  const lineEnd = buffer.indexOf("\r\n");
  if (lineEnd < 0) return undefined;
  const line = buffer.toString("utf8", 1, lineEnd);
  switch (String.fromCharCode(buffer[0])) {
    case "+":
      return { value: line };
    case "-":
      throw new Error(`redis error: ${line}`);
    case ":":
      return { value: Number(line) };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null };
      const start = lineEnd + 2;
      if (buffer.length < start + length + 2) return undefined;
      return { value: buffer.toString("utf8", start, start + length) };
    }
    default:
      throw new Error(`unexpected reply: ${buffer.toString("utf8", 0, Math.min(buffer.length, 80))}`);
  }
}

async function replicationInfo(port: number): Promise<Record<string, string>> {
  const text = String(await redisCommand(port, "INFO", "replication"));
  const fields: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

/** Polls with a deadline; `what` may be a function so the message shows the last observation. */
async function waitFor(what: string | (() => string), predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    const describe = typeof what === "function" ? what() : what;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${describe}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function waitForLinkStatus(replicaPort: number, status: "up" | "down"): Promise<void> {
  let last = "";
  await waitFor(() => `replica master_link_status:${status} (last seen: ${last})`, async () => {
    last = (await replicationInfo(replicaPort)).master_link_status ?? "(missing)";
    return last === status;
  });
}

/** A master, a proxy in front of it, and a replica that replicates through the proxy. */
async function replicatedPair(options: { masterArgs?: string[]; replicaArgs?: string[] } = {}): Promise<{
  master: RedisProcess;
  replica: RedisProcess;
  proxy: LinkProxy;
}> {
  const master = await startRedis("master", options.masterArgs ?? []);
  const proxy = await startLinkProxy({ targetHost: "127.0.0.1", targetPort: master.port, name: "replica->master" });
  cleanups.push(() => proxy.close());
  const replica = await startRedis("replica", ["--replicaof", "127.0.0.1", String(proxy.port), ...(options.replicaArgs ?? [])]);
  await waitForLinkStatus(replica.port, "up");
  return { master, replica, proxy };
}

// ---------------------------------------------------------------- tests

describe.skipIf(!available && !strict)("link proxy with a real redis-server", () => {
  it("cut takes the replica's link down; heal brings it back up with the writes made meanwhile", async () => {
    if (!available) throw new Error(skipReason);
    const { master, replica, proxy } = await replicatedPair();
    await redisCommand(master.port, "SET", "k", "before");
    await waitFor("the write to replicate", async () => (await redisCommand(replica.port, "GET", "k")) === "before");

    await proxy.setState("cut");
    await waitForLinkStatus(replica.port, "down");
    await waitFor("the master to drop its replica", async () => (await replicationInfo(master.port)).connected_slaves === "0");
    await redisCommand(master.port, "SET", "k", "during-cut");
    await waitFor("the replica's reconnect attempt to be parked", () => proxy.stats().parked >= 1);

    await proxy.setState("up");
    await waitForLinkStatus(replica.port, "up");
    await waitFor("the write made during the cut to arrive", async () => (await redisCommand(replica.port, "GET", "k")) === "during-cut");
    expect(proxy.stats().released).toBeGreaterThanOrEqual(1);
  });

  it("blackhole lets repl-timeout take the link down; heal closes the dead stream and the link comes back", async () => {
    if (!available) throw new Error(skipReason);
    const { master, replica, proxy } = await replicatedPair({
      masterArgs: ["--repl-ping-replica-period", "1"],
      replicaArgs: ["--repl-timeout", "3"],
    });
    await proxy.setState("blackhole");
    await redisCommand(master.port, "SET", "k", "during-blackhole");
    await waitForLinkStatus(replica.port, "down");
    expect(await redisCommand(replica.port, "GET", "k")).toBeNull();
    expect(proxy.stats().bytesDroppedToClient).toBeGreaterThan(0);

    await proxy.setState("up");
    await waitForLinkStatus(replica.port, "up");
    await waitFor("the write made during the blackhole to arrive", async () => (await redisCommand(replica.port, "GET", "k")) === "during-blackhole");
  });
});
