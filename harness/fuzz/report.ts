// The big differential run shared by `npm run bench -- fuzz` and `replcheck fuzz`: the built-in
// server as its own process (`replcheck server`) next to redis-server, one or more lanes of
// them, a million frames by default; it reports frames/s, differences by class, crashes and the
// peak RSS of both servers.

import { writeFileSync } from "node:fs";
import { caseBytes } from "./frames.js";
import { formatStats, runDifferential, type FuzzResult } from "./differential.js";
import { DEFAULT_REDIS_SERVER, type FuzzServer } from "./servers.js";
import { startFuzzTargets, type StartedTargets } from "./targets.js";

/** Options of fuzzReport (what `replcheck fuzz` and the fuzz bench pass). */
export interface FuzzReportOptions {
  frames: number;
  seed: number;
  /** Target sets side by side (each: built-in and redis-server, without and with a password). */
  lanes: number;
  redisServer?: string;
  /** Where the shrunk counterexample's bytes are written, if there is one. */
  counterexampleFile?: string;
  /** A line now and then while it runs. */
  progress?: (line: string) => void;
}

/** The printed lines and the figures of a big differential run. */
export interface FuzzReport {
  lines: string[];
  result: FuzzResult;
  crashes: { builtin: number; redis: number };
  peakRssKb: { builtin: number | null; redis: number | null };
}

const running = new Set<StartedTargets>();

/** Stops every server a report started (an interrupted run). */
export async function stopAllFuzzServers(): Promise<void> {
  const all = [...running];
  running.clear();
  for (const t of all) await t.stop();
}

const mb = (kb: number | null): string => (kb === null ? "n/a" : `${(kb / 1024).toFixed(1)} MB`);

function peak(servers: FuzzServer[]): number | null {
  const values = servers.map((s) => s.peakRssKb()).filter((v): v is number => v !== null);
  return values.length === 0 ? null : Math.max(...values);
}

/** Starts the lanes of servers, runs the differential fuzzer and stops them, also on failure. */
export async function fuzzReport(options: FuzzReportOptions): Promise<FuzzReport> {
  const lanes: StartedTargets[] = [];
  try {
    for (let i = 0; i < options.lanes; i++) {
      const t = await startFuzzTargets("process", options.redisServer ?? DEFAULT_REDIS_SERVER);
      running.add(t);
      lanes.push(t);
    }
    const result = await runDifferential(lanes, {
      seed: options.seed,
      frames: options.frames,
      maxGroups: 120,
      casesPerRun: 200,
      onProgress: (s) => {
        if (s.cases % 500 === 0)
          options.progress?.(
            `  ${s.frames} frames, ${s.cases} cases, ${Math.round((s.frames * 1000) / Math.max(1, s.elapsedMs))} frames/s`,
          );
      },
    });
    const builtins = lanes.flatMap((t) => [t.builtin, t.builtinAuth]);
    const redises = lanes.flatMap((t) => [t.redis, t.redisAuth]);
    // A crash ends the run (shrunk like any other difference); a server found dead at the end counts too.
    const crashes = {
      builtin: result.stats.crashes.builtin + builtins.filter((s) => s.crashed() !== null).length,
      redis: result.stats.crashes.redis + redises.filter((s) => s.crashed() !== null).length,
    };
    const peakRssKb = { builtin: peak(builtins), redis: peak(redises) };
    const lines = [
      `differential fuzz against ${options.redisServer ?? DEFAULT_REDIS_SERVER}: seed ${options.seed}, ${options.lanes} lane(s) of 2 built-in + 2 redis-server processes`,
      ...formatStats(result.stats).filter((l) => !l.startsWith("crashes:")),
      `crashes: built-in ${crashes.builtin}, redis-server ${crashes.redis}`,
      `peak RSS (VmHWM, largest process): built-in ${mb(peakRssKb.builtin)}, redis-server ${mb(peakRssKb.redis)}`,
    ];
    if (result.failure !== null) {
      lines.push("", result.failure);
      if (options.counterexampleFile !== undefined && result.counterexample !== null) {
        writeFileSync(options.counterexampleFile, caseBytes(result.counterexample));
        lines.push(`the stream's bytes: ${options.counterexampleFile} (profile ${result.counterexample.profile})`);
      }
    }
    return { lines, result, crashes, peakRssKb };
  } finally {
    for (const t of lanes) {
      running.delete(t);
      await t.stop();
    }
  }
}
