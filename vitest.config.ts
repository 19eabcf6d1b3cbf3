import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Live-server suites start real processes; give them room, but never rely on timing for verdicts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
