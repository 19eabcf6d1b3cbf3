// What `replcheck run` prints and writes for a divergence (exit 1), which a live run only reaches
// with a bug in the target: the counterexample, how often it reproduced, the full rerun and replay
// command lines, the scenario file, report.json and JUnit with the exit code.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { report, type RunCliOptions } from "../../harness/cli/run-command.js";
import { readScenarioFile } from "../../harness/report/scenario-file.js";
import type { CampaignResult } from "../../harness/run/campaign.js";
import type { StepRecord } from "../../harness/run/scenario-run.js";

const dir = mkdtempSync(join(tmpdir(), "replcheck-report-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const summary = {
  role: "master",
  link: "-",
  offset: "50",
  replid: "R1",
  replid2: "-",
  backlog: "1..50",
  syncs: "0/0/0",
};
const record = (index: number, failed: boolean): StepRecord => ({
  index,
  step: { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "k", "v"], now: 0 } },
  description: "n0: SET k v",
  outcomes: 1,
  chosen: 0,
  path: [],
  checks: [
    { node: "n0", field: "offset", rule: "OFFSET-1", ok: !failed, predicted: "50", observed: failed ? "27" : "50" },
  ],
  failures: failed
    ? [{ node: "n0", field: "offset", rule: "OFFSET-1", ok: false, predicted: "50", observed: "27" }]
    : [],
  predicted: { n0: summary },
  observed: { n0: failed ? { ...summary, offset: "27" } : summary },
  syncs: [],
  notes: [],
  settleMs: 1,
});

const diverged: CampaignResult = {
  runs: 7,
  steps: 40,
  failures: 1,
  inconclusive: 0,
  shrinking: false,
  elapsedMs: 5000,
  seed: 99,
  path: "6:0:1",
  rules: new Map([["OFFSET-1", { checked: 40, failed: 1 }]]),
  counterexample: {
    status: "diverged",
    reason: "OFFSET-1 n0 offset",
    steps: [record(1, false), record(2, true)],
    executed: [record(1, false).step, record(2, true).step],
    profile: "Redis 7.0 (7.0.15)",
    target: "redis-server 7.0.15 (/usr/bin/redis-server)",
  },
  inconclusiveReasons: [],
  profile: "Redis 7.0 (7.0.15)",
  target: "redis-server 7.0.15 (/usr/bin/redis-server)",
  interrupted: false,
  reproduced: { diverged: 1, of: 2, requested: 3 },
  shrink: { numShrinks: 12, stopped: true },
};

const opts: RunCliOptions = {
  target: "redis-server",
  runs: 100,
  timeLimit: 60_000,
  replicas: 1,
  steps: 20,
  seed: 99,
  profile: "redis-7.0",
};

function printed(fn: () => number): { code: number; out: string } {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
  const code = fn();
  return { code, out: lines.join("\n") };
}

describe("the run report for a divergence", () => {
  it("exit 1 with the counterexample, reproduced k/n, shrinking cut short, and the command lines; files written", () => {
    const junit = join(dir, "junit.xml");
    const { code, out } = printed(() => report(diverged, opts, "redis-server", { outDir: dir, junit }, undefined));
    expect(code).toBe(1);
    expect(out).toMatch(/✗ OFFSET-1 n0 offset: predicted 50, observed 27/);
    expect(out).toContain(
      "reproduced 1/2 when replayed from its steps (it depends on timing; the time limit stopped 1 of 3 replays)",
    );
    expect(out).toContain("shrinking stopped after 12 shrinks");
    expect(out).toContain(
      "replcheck run --target redis-server --replicas 1 --steps 20 --seed 99 --path 6:0:1 --profile redis-7.0",
    );
    const file = join(dir, "replcheck-counterexample-99.json");
    expect(out).toContain(`replcheck replay ${file} --target redis-server --profile redis-7.0`);
    expect(readScenarioFile(file).steps).toHaveLength(2);
    expect(out).toMatch(/replcheck: a divergence from the model was found \(exit 1\)$/);
    expect(JSON.parse(readFileSync(join(dir, "report.json"), "utf8"))).toMatchObject({
      exitCode: 1,
      failures: 1,
      path: "6:0:1",
    });
    expect(existsSync(junit)).toBe(true);
  });

  it("interrupted while shrinking: the counterexample so far is shown, the code is the signal's", () => {
    const { code, out } = printed(() =>
      report({ ...diverged, interrupted: true }, opts, "redis-server", { outDir: dir }, "SIGTERM"),
    );
    expect(code).toBe(143);
    expect(out).toMatch(/Counterexample/);
    expect(out).toMatch(/^interrupted after 7 scenarios$/m);
  });

  it("a scenario that failed with an error is no verdict (3), and its stack is shown", () => {
    const { code, out } = printed(() =>
      report(
        { ...diverged, counterexample: undefined, error: "TypeError: boom\n    at x" },
        opts,
        "redis-server",
        {},
        undefined,
      ),
    );
    expect(code).toBe(3);
    expect(out).toContain("TypeError: boom");
  });
});
