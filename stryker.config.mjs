// StrykerJS (`npm run mutation`; not in CI, not in npm test): mutants of the server's replication
// core, each judged by scripts/mutation-check.ts (a short fixed-seed campaign on the builtin target
// and the backlog / PSYNC unit tests). Reports go to reports/mutation/.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "command",
  commandRunner: { command: "node --import tsx scripts/mutation-check.ts" },
  // The PSYNC decision, the replication ids and the ring backlog (the "core files"). Of
  // psync.ts only the decision (masterTryPartialResynchronization): with psync.ts whole and
  // replication-stream.ts (294 mutants) a run was projected at 2 h 30 min on the busy 2-core
  // machine it was written on; the refusals before the decision are covered by unit tests
  // (test/server/replication-sync.test.ts) that the judge does not run. REPLCHECK_MUTATE (a
  // comma-separated list of globs, `file:from-to` allowed) replaces the list.
  mutate: process.env.REPLCHECK_MUTATE?.split(",") ?? [
    "server/replication/master/psync.ts:87-129",
    "server/replication/replication-ids.ts",
    "server/replication/master/ring-backlog.ts",
  ],
  // Log lines are not mutated (scripts/mutation-ignore-logs.mjs).
  plugins: ["@stryker-mutator/*", "./scripts/mutation-ignore-logs.mjs"],
  ignorers: ["log-lines"],
  // The command runner cannot tell which mutant a test covers: every mutant runs the whole judge.
  coverageAnalysis: "off",
  concurrency: 2,
  // A mutant that stalls a step makes the campaign wait for its settle deadline; past this it is a timeout.
  timeoutMS: 60_000,
  timeoutFactor: 2,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  // Only what the judge runs goes into the sandbox: other runs in the checkout create and delete
  // files at its top (counterexample files) while Stryker copies it.
  ignorePatterns: [
    "/*",
    "!/server",
    "!/harness",
    "!/model",
    "!/package.json",
    "!/tsconfig.json",
    "!/vitest.config.ts",
    "!/test",
    "/test/*",
    "!/test/server",
    "!/scripts",
    "/scripts/*",
    "!/scripts/mutation-check.ts",
  ],
  cleanTempDir: true,
};
