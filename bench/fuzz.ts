// `npm run bench -- fuzz`: the differential fuzzer's big run (harness/fuzz/report.ts): at least a
// million frames against redis-server 7.0.15, the built-in server as its own process. Prints
// frames/s, differences by class, crashes and both servers' peak RSS. REPLCHECK_FUZZ_FRAMES,
// REPLCHECK_FUZZ_SEED and REPLCHECK_FUZZ_LANES change the run.

import { fuzzReport } from "../harness/fuzz/report.js";
import { redisServerAvailable, DEFAULT_REDIS_SERVER } from "../harness/fuzz/servers.js";

export async function fuzzBench(): Promise<string[]> {
  if (!redisServerAvailable()) return [`differential fuzz: skipped, ${DEFAULT_REDIS_SERVER} is absent`];
  const frames = Number(process.env.REPLCHECK_FUZZ_FRAMES ?? 1_000_000);
  const seed = Number(process.env.REPLCHECK_FUZZ_SEED ?? 20_251_011);
  const lanes = Number(process.env.REPLCHECK_FUZZ_LANES ?? 2);
  const report = await fuzzReport({ frames, seed, lanes, progress: (l) => console.error(l) });
  return report.lines;
}
