// Starts the four servers of a differential run (built-in and redis-server, each without and with
// requirepass) and works out which command names only redis-server knows.

import type { FuzzTargets } from "./differential.js";
import { AUTH_PASSWORD } from "./frames.js";
import { command, DEFAULT_REDIS_SERVER, InProcessBuiltin, ProcessServer, type FuzzServer } from "./servers.js";

/** The four servers of one lane, and how to stop them. */
export interface StartedTargets extends FuzzTargets {
  stop(): Promise<void>;
}

/** COMMAND LIST's names (lowercase), on a fresh connection. */
async function commandNames(port: number): Promise<Set<string>> {
  const out = await command(port, "COMMAND LIST\r\n").catch(() => "");
  // the reply is an array of bulks; wait for all of it
  const names = new Set<string>();
  for (const m of out.matchAll(/\$\d+\r\n([^\r]*)\r\n/g)) names.add(m[1].toLowerCase());
  return names;
}

/**
 * `builtinMode` "in-process": the built-in server runs in this process (the vitest module);
 * "process": as `node bin/replcheck.js server`, so its peak RSS can be read (bench, CLI).
 */
export async function startFuzzTargets(
  builtinMode: "in-process" | "process",
  redisBinary = DEFAULT_REDIS_SERVER,
): Promise<StartedTargets> {
  const started: FuzzServer[] = [];
  const builtin = (config: Record<string, string>) =>
    builtinMode === "process" ? ProcessServer.builtin(config) : InProcessBuiltin.start(config);
  try {
    const auth = { requirepass: AUTH_PASSWORD };
    const servers = await Promise.all([
      builtin({}),
      ProcessServer.redis({}, redisBinary),
      builtin(auth),
      ProcessServer.redis(auth, redisBinary),
    ]);
    started.push(...servers);
    const [b, r, ba, ra] = servers;
    const ours = await commandNames(b.port);
    const theirs = await commandNames(r.port);
    if (theirs.size === 0) throw new Error("redis-server answered COMMAND LIST with nothing");
    const redisOnly = new Set([...theirs].filter((n) => !ours.has(n)));
    return {
      builtin: b,
      redis: r,
      builtinAuth: ba,
      redisAuth: ra,
      redisOnly,
      stop: async () => {
        for (const s of started) await s.stop();
      },
    };
  } catch (err) {
    for (const s of started) await s.stop();
    throw err;
  }
}
