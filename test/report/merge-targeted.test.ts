// replcheck merge and the targeted phase: each shard ran its own targeted scenarios, so the merged
// report lists them all in list order, and a targeted divergence (no generated scenario ran after
// it) is the merged counterexample before any generated one, as in an unsharded run.

import { describe, expect, it } from "vitest";
import { mergeReports, type ShardReport } from "../../harness/report/merge-reports.js";
import { RUN_REPORT_FORMAT, type RunReport } from "../../harness/report/run-report.js";
import type { TargetedOutcome } from "../../harness/run/targeted-outcome.js";

const outcome = (index: number, status: TargetedOutcome["status"] = "passed"): TargetedOutcome => ({
  index,
  name: `targeted ${index}`,
  rules: ["PSYNC-2"],
  status,
  steps: 4,
  elapsedMs: 100,
});

const counterexample = (reason: string) =>
  ({ status: "diverged", reason, steps: [], executed: [], profile: "builtin", target: "builtin" }) as never;

function shard(index: number, fields: Partial<RunReport>): ShardReport {
  const report: RunReport = {
    format: RUN_REPORT_FORMAT,
    replcheck: "0.1.0",
    command: "run",
    options: { target: "builtin", runs: 10, timeLimit: 60_000, replicas: 2, steps: 30 },
    startedAt: "2026-11-29T05:00:00.000Z",
    endedAt: "2026-11-29T05:01:00.000Z",
    exitCode: 0,
    verdict: "",
    scenarios: [],
    seed: 7,
    runs: 3,
    steps: 30,
    failures: 0,
    inconclusive: 0,
    shrinking: false,
    elapsedMs: 60_000,
    interrupted: false,
    inconclusiveReasons: [],
    rules: {},
    ...fields,
  };
  return { file: `shard-${index}/report.json`, report, shard: { index, count: 2 } };
}

describe("merging the targeted scenarios of shards", () => {
  it("lists every shard's targeted scenarios in list order and sums their steps", () => {
    const merged = mergeReports([
      shard(2, { targeted: { outcomes: [outcome(1), outcome(3)], steps: 8, elapsedMs: 300 } }),
      shard(1, { targeted: { outcomes: [outcome(0), outcome(2)], steps: 8, elapsedMs: 500 } }),
    ]);
    expect(merged.report.targeted?.outcomes.map((o) => o.index)).toEqual([0, 1, 2, 3]);
    expect(merged.report.targeted?.steps).toBe(16);
    expect(merged.report.targeted?.elapsedMs).toBe(500);
    expect(merged.verdict.code).toBe(0);
  });

  it("a targeted divergence is the merged counterexample, before another shard's generated one", () => {
    const generated = shard(1, {
      failures: 1,
      path: "0:1",
      counterexample: counterexample("generated"),
      targeted: { outcomes: [outcome(0)], steps: 4, elapsedMs: 100 },
    });
    const targeted = shard(2, {
      runs: 0,
      steps: 0,
      failures: 1,
      counterexample: counterexample("targeted"),
      targeted: { outcomes: [outcome(1, "diverged")], steps: 4, elapsedMs: 100 },
    });
    const merged = mergeReports([generated, targeted]);
    expect(merged.report.counterexample?.reason).toBe("targeted");
    expect(merged.report.path).toBeUndefined();
    expect(merged.verdict.code).toBe(1);
    // Without the targeted one, the generated counterexample stays.
    expect(mergeReports([generated, shard(2, {})]).report.counterexample?.reason).toBe("generated");
  });
});
