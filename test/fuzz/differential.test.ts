// The differential fuzzer in `npm test`: a seeded, bounded run of generated client streams against
// the built-in server (in this process) and redis-server 7.0.15. A difference that
// harness/fuzz/known-differences.ts does not explain fails with the shrunk byte stream and the seed that
// replays it. The big run: `npm run bench -- fuzz` or `replcheck fuzz --frames 1000000`.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatStats, runDifferential } from "../../harness/fuzz/differential.js";
import { redisServerAvailable, DEFAULT_REDIS_SERVER } from "../../harness/fuzz/servers.js";
import { startFuzzTargets, type StartedTargets } from "../../harness/fuzz/targets.js";

const strict = process.env.REPLCHECK_STRICT === "1";
const available = redisServerAvailable();
if (!available && !strict)
  console.warn(
    `differential fuzz: skipped, ${DEFAULT_REDIS_SERVER} is absent (install redis-server, or set REPLCHECK_STRICT=1 to make this a failure)`,
  );

/** Fixed, so `npm test` sends the same streams every time; REPLCHECK_FUZZ_SEED explores others. */
const SEED = Number(process.env.REPLCHECK_FUZZ_SEED ?? 20_251_011);
const FRAMES = Number(process.env.REPLCHECK_FUZZ_FRAMES ?? 20_000);

describe.skipIf(!available && !strict)("differential fuzzing against redis-server 7.0.15", () => {
  // two lanes of servers, fuzzed side by side: less waiting on a loaded machine
  const lanes: StartedTargets[] = [];

  beforeAll(async () => {
    if (!available)
      throw new Error(`${DEFAULT_REDIS_SERVER} is absent and REPLCHECK_STRICT=1: install the redis-server package`);
    for (let i = 0; i < 2; i++) lanes.push(await startFuzzTargets("in-process"));
  });

  afterAll(async () => {
    for (const t of lanes) await t.stop();
  });

  it(`${FRAMES} generated frames (seed ${SEED}): every difference is a known one`, async () => {
    const result = await runDifferential(lanes, { seed: SEED, frames: FRAMES, casesPerRun: 100 });
    console.log(formatStats(result.stats).join("\n"));
    if (result.failure !== null) throw new Error(result.failure);
    expect(result.stats.frames).toBeGreaterThanOrEqual(FRAMES);
    expect(result.stats.differences).toEqual({});
  }, 600_000);
});
