// The built-in server's throughput against redis-server, side by side in one run:
// redis-benchmark -t set,get -P 16, printing ops/s and the ratio (goal: builtin at least 0.5×).

import {
  builtinEndpoint,
  fmt,
  haveRedis,
  haveRedisBenchmark,
  redisBenchmark,
  redisEndpoint,
  type Endpoint,
} from "./support.js";

export async function serverThroughputBench(requests = 500_000): Promise<string[]> {
  if (!haveRedis() || !haveRedisBenchmark())
    return [
      "server throughput: skipped (needs /usr/bin/redis-server and /usr/bin/redis-benchmark: apt-get install redis-server redis-tools)",
    ];
  const args = ["-t", "set,get", "-P", "16", "-n", String(requests), "-c", "50", "-r", "100000", "-d", "16"];
  const lines = [`server throughput: redis-benchmark ${args.join(" ")}`];
  const endpoints: Endpoint[] = [await builtinEndpoint(), await redisEndpoint()];
  try {
    // Alternate the two servers twice and keep each one's best, so a noisy moment hurts neither.
    const best: Record<string, Record<string, number>> = {};
    for (let round = 0; round < 2; round++) {
      for (const e of endpoints) {
        const rates = await redisBenchmark(e, args);
        best[e.label] ??= {};
        const b = best[e.label];
        for (const [test, rps] of Object.entries(rates)) b[test] = Math.max(b[test] ?? 0, rps);
      }
    }
    const [ours, theirs] = endpoints.map((e) => best[e.label]);
    for (const test of Object.keys(theirs)) {
      const ratio = (ours[test] ?? 0) / theirs[test];
      lines.push(
        `  ${test.padEnd(4)} builtin ${fmt(ours[test] ?? 0).padStart(10)} ops/s   redis-server ${fmt(theirs[test]).padStart(10)} ops/s   ratio ${ratio.toFixed(2)}× (goal ≥ 0.50×)`,
      );
    }
  } finally {
    for (const e of endpoints) await e.stop();
  }
  return lines;
}
