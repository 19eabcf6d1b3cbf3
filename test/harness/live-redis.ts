// Shared by the harness suites that need the real redis-server: whether it is there, and the
// strict-mode failure (registered only when it applies, so a machine with Redis shows no skipped test).

import { existsSync } from "node:fs";
import { describe, it } from "vitest";

export const REDIS_SERVER = "/usr/bin/redis-server";
export const redisAvailable = existsSync(REDIS_SERVER);
const strict = Boolean(process.env.REPLCHECK_STRICT);

/** Call at the top of a suite: warns when skipping, or registers a failing test under REPLCHECK_STRICT. */
export function announceLiveRedis(suite: string): void {
  if (redisAvailable) return;
  const reason = `${REDIS_SERVER} not found (Debian: apt-get install redis-server)`;
  if (strict) {
    describe(`${suite}: real redis-server required (REPLCHECK_STRICT)`, () => {
      it("has /usr/bin/redis-server", () => {
        throw new Error(`REPLCHECK_STRICT is set but ${reason}`);
      });
    });
  } else {
    console.warn(`[${suite}] skipping the live tests: ${reason}; set REPLCHECK_STRICT=1 to fail instead`);
  }
}
