import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The checkout's own tests import `replcheck/vitest` as a user does: the sources here, never a
  // possibly stale dist/ (package.json's exports, which point at dist/, are for installed copies).
  resolve: { alias: { "replcheck/vitest": fileURLToPath(new URL("./harness/vitest.ts", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    // Live-server suites start real processes; give them room, but never rely on timing for verdicts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two test files at once even on a 2-core machine (vitest's default leaves one core idle): the
    // suites must pass on busy cores anyway (test/conformance/verdict-under-load.test.ts), and CI's
    // wall time halves.
    maxWorkers: 2,
  },
});
