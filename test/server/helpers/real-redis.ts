// A throwaway real redis-server for comparison tests, started through the harness's binary target
// (free port, its own temp dir, stopped by its process handle). No persistence.

import { existsSync } from "node:fs";
import { createBinaryTarget } from "../../../harness/targets/binary.js";
import type { ServerConfig } from "../../../harness/targets/target.js";

export { findFreePort as freePort } from "../../../harness/targets/free-port.js";

export const REDIS_SERVER = "/usr/bin/redis-server";

export interface RealRedis {
  port: number;
  stop(): Promise<void>;
}

export function realRedisAvailable(): boolean {
  return existsSync(REDIS_SERVER);
}

/** `--name value [value…]` command-line options as a start-up config. */
function toConfig(args: readonly string[]): ServerConfig {
  const config: Record<string, string[]> = {};
  let name: string | undefined;
  for (const a of args) {
    if (a.startsWith("--")) {
      name = a.slice(2);
      config[name] = [];
    } else if (name === undefined) throw new Error(`option value ${a} has no --name before it`);
    else config[name].push(a);
  }
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
}

export async function startRealRedis(extraArgs: string[] = []): Promise<RealRedis> {
  const target = await createBinaryTarget({ binary: REDIS_SERVER });
  try {
    const node = await target.startNode("real", { save: "", appendonly: "no", ...toConfig(extraArgs) });
    return { port: node.port, stop: () => target.stopAll() };
  } catch (e) {
    await target.stopAll();
    throw e;
  }
}
