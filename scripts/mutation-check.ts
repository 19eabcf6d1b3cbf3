// The judge of one mutant in `npm run mutation` (StrykerJS's command runner; stryker.config.mjs):
// the targeted scenarios and a short fixed-seed campaign on the builtin target, then the fast unit
// tests of the backlog and of PSYNC. Exit 0: the mutant survived; exit 1: killed. Each verdict and its reason is appended
// to reports/mutation/verdicts.log, so a kill by an inconclusive scenario can be told from a
// divergence.

import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { campaignConfig } from "../harness/run/defaults.js";
import { runSplitCampaign } from "../harness/run/parallel-campaign.js";

/** Fixed: every mutant meets the same scenarios. */
const SEED = 20261129;
/** Scenarios per mutant: enough to reach promotions, reconnects and resizes, a few seconds in all. */
const RUNS = 8;
const UNIT_TESTS = ["test/server/replication-backlog.test.ts", "test/server/replication-sync.test.ts"];
/** The RingBacklog unit tests, and the describe blocks of replication-sync on the PSYNC decision and the backlog window (the campaign covers the rest); -t applies to every file given. */
const UNIT_FILTER = "RingBacklog|backlog window|PSYNC on the wire";

const root = join(import.meta.dirname, "..");
const mutant = process.env.__STRYKER_ACTIVE_MUTANT__ ?? "none";

function verdict(killed: boolean, reason: string): never {
  // Stryker runs this inside its sandbox (.stryker-tmp/sandbox-*); the log goes to the checkout's reports/.
  const reports = process.env.REPLCHECK_MUTATION_REPORTS ?? join(root, "reports", "mutation");
  mkdirSync(reports, { recursive: true });
  appendFileSync(join(reports, "verdicts.log"), `${mutant}\t${killed ? "killed" : "survived"}\t${reason}\n`);
  console.log(`mutant ${mutant}: ${killed ? "killed" : "survived"} (${reason})`);
  process.exit(killed ? 1 : 0);
}

// The first divergence is the verdict: the campaign is stopped there, without shrinking, and
// cleans up its nodes as after an interrupt.
const stop = new AbortController();
// The targeted scenarios first, as `replcheck run` does (a few seconds on the built-in server):
// they reach the seed behaviours a short campaign may not draw.
const result = await runSplitCampaign(
  campaignConfig("builtin", {
    seed: SEED,
    runs: RUNS,
    reproductions: 0,
    targeted: true,
    signal: stop.signal,
    onProgress: (p) => {
      if (p.failures > 0) stop.abort();
    },
  }),
  {},
);
const targeted = result.runs === 0 ? result.targeted?.outcomes.find((o) => o.status === "diverged") : undefined;
if (targeted !== undefined) verdict(true, `targeted scenario "${targeted.name}" diverged: ${targeted.reason ?? "?"}`);
if (result.failures > 0 && result.error === undefined)
  verdict(true, `campaign diverged in scenario ${result.runs}: ${result.counterexample?.reason ?? "?"}`);
if (result.error !== undefined) verdict(true, `campaign error: ${result.error.split("\n")[0]}`);
// A clean server settles every step of these scenarios; a mutant that stalls replication does not.
if (result.inconclusive > 0) verdict(true, `campaign inconclusive: ${result.inconclusiveReasons[0]}`);

const vitest = spawnSync(
  process.execPath,
  [join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...UNIT_TESTS, "-t", UNIT_FILTER, "--bail=1"],
  { cwd: root, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" },
);
if (vitest.status !== 0) {
  const failed = /FAIL .*$/m.exec(vitest.stdout + vitest.stderr)?.[0] ?? `exit ${vitest.status ?? vitest.signal}`;
  verdict(true, `unit tests: ${failed}`);
}
verdict(false, `${result.runs} scenarios and the unit tests passed`);
