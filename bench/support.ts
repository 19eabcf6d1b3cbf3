// Shared pieces of the benchmarks: starting servers side by side and timing things.

import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { startServer, type ServerHandle } from "../server/index.js";
import { createBinaryTarget, type BinaryTarget } from "../harness/targets/binary.js";

export const REDIS_SERVER = "/usr/bin/redis-server";
export const REDIS_BENCHMARK = "/usr/bin/redis-benchmark";

export const haveRedis = (): boolean => existsSync(REDIS_SERVER);
export const haveRedisBenchmark = (): boolean => existsSync(REDIS_BENCHMARK);

export interface Endpoint {
  label: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

export async function builtinEndpoint(
  config: Record<string, string> = {},
): Promise<Endpoint & { handle: ServerHandle }> {
  const handle = await startServer({ config: { save: "", ...config } });
  return { label: "replcheck builtin", host: handle.host, port: handle.port, handle, stop: () => handle.close() };
}

export async function redisEndpoint(config: Record<string, string> = {}): Promise<Endpoint & { target: BinaryTarget }> {
  const target = await createBinaryTarget({ binary: REDIS_SERVER });
  const node = await target.startNode("bench", { save: "", appendonly: "no", ...config });
  return { label: "redis-server 7.0.15", host: node.host, port: node.port, target, stop: () => target.stopAll() };
}

/** Runs redis-benchmark and returns requests per second per test ("SET" → 123456). */
export function redisBenchmark(e: Endpoint, args: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(REDIS_BENCHMARK, ["-h", e.host, "-p", String(e.port), "--csv", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`redis-benchmark exited with ${code}: ${err}`));
      const rates: Record<string, number> = {};
      for (const line of out.split("\n")) {
        const m = /^"([^"]+)","([\d.]+)"/.exec(line);
        if (m !== null) rates[m[1]] = Number(m[2]);
      }
      resolve(rates);
    });
  });
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - start };
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function redisVersion(): string {
  const r = spawnSync(REDIS_SERVER, ["--version"], { encoding: "utf8" });
  return r.stdout.trim();
}
