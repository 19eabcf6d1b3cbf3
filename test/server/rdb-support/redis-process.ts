// Starts and stops real redis-server processes for the RDB interop tests. Every process is stopped by
// its ChildProcess handle (never by name); callers stop them in afterAll/finally.

import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

export const REDIS_SERVER = "/usr/bin/redis-server";
export const REDIS_CHECK_RDB = "/usr/bin/redis-check-rdb";

export interface Availability {
  ok: boolean;
  reason: string;
}

/** Whether the real-Redis tests can run; when not, REPLCHECK_STRICT turns the skip into a failure. */
export function redisAvailability(): Availability {
  if (!existsSync(REDIS_SERVER)) {
    return { ok: false, reason: `${REDIS_SERVER} is missing (Debian: apt-get install redis-server, 7.0.15)` };
  }
  if (!existsSync(REDIS_CHECK_RDB)) {
    return { ok: false, reason: `${REDIS_CHECK_RDB} is missing (Debian: apt-get install redis-tools)` };
  }
  return { ok: true, reason: "" };
}

export const strictMode = (): boolean => Boolean(process.env.REPLCHECK_STRICT);

import { findFreePort as freePort } from "../../../harness/targets/free-port.js";

export { freePort };

export async function makeTempDir(prefix = "replcheck-rdb-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface RedisProcess {
  readonly port: number;
  readonly dir: string;
  readonly client: Redis;
  readonly child: ChildProcess;
  /** Everything the server logged so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  dir: string;
  dbfilename?: string;
  args?: string[];
}

/** Starts redis-server (loading <dir>/<dbfilename> if present) and waits until it accepts connections. */
export async function startRedis(opts: StartOptions): Promise<RedisProcess> {
  const port = await freePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    opts.dir,
    "--dbfilename",
    opts.dbfilename ?? "dump.rdb",
    "--save",
    "",
    "--appendonly",
    "no",
    "--daemonize",
    "no",
    "--protected-mode",
    "no",
    "--logfile",
    "",
    ...(opts.args ?? []),
  ];
  const child = spawn(REDIS_SERVER, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stopChild = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 30_000);
      const check = (): void => {
        if (output.includes("Ready to accept connections")) {
          clearTimeout(deadline);
          resolve();
        }
      };
      child.stdout?.on("data", check);
      child.once("exit", (code, signal) => {
        clearTimeout(deadline);
        reject(
          new Error(`redis-server exited (code ${code}, signal ${signal}) before accepting connections:\n${output}`),
        );
      });
      check();
    });
  } catch (e) {
    await stopChild();
    throw e;
  }

  const client = new Redis({
    port,
    host: "127.0.0.1",
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  try {
    await client.connect();
  } catch (e) {
    client.disconnect();
    await stopChild();
    throw e;
  }
  return {
    port,
    dir: opts.dir,
    client,
    child,
    log: () => output,
    stop: async () => {
      client.disconnect();
      await stopChild();
    },
  };
}

/** Runs redis-check-rdb on a file; resolves with its output, rejects if it reports a problem. */
export async function checkRdbFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(REDIS_CHECK_RDB, [path], (err, stdout, stderr) => {
      const out = `${stdout}${stderr}`;
      if (err || !out.includes("RDB looks OK")) reject(new Error(`redis-check-rdb failed:\n${out}`));
      else resolve(out);
    });
  });
}
