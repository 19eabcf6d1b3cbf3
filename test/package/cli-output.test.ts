// What `replcheck run` prints where, for people and for machines: the start line at once on
// stderr, progress on stderr and the report on stdout; --quiet (the verdict only, nothing on
// stderr), --verbose (every step on stderr), --json (NDJSON events on stdout); and report.json's
// format header, options, times and one record per scenario.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RUN_REPORT_FORMAT, ScenarioRecorder, type RunReport } from "../../harness/report/run-report.js";
import type { CampaignProgress, CampaignResult } from "../../harness/run/campaign.js";
import type { StepRecord } from "../../harness/run/scenario-run.js";
import { REPO_ROOT } from "./consumer-project.js";

const BIN = join(REPO_ROOT, "bin/replcheck.js");
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
const dir = mkdtempSync(join(tmpdir(), "replcheck-cli-output-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function replcheck(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: "utf8", timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const small = ["run", "--target", "builtin", "--runs", "3", "--steps", "5", "--seed", "7"];

describe("replcheck run output", { timeout: 300_000 }, () => {
  it("starts with one line on stderr (target, profile, seed, time limit); the report goes to stdout", () => {
    const r = replcheck([...small.filter((a, i) => !(a === "--seed" || small[i - 1] === "--seed"))]);
    expect(r.code, r.err).toBe(0);
    const first = r.err.split("\n")[0];
    expect(first).toMatch(
      new RegExp(
        `^replcheck ${VERSION} run: target builtin, profile from INFO server, seed -?\\d+, time limit 60s, up to 3 scenarios of 5 steps, 2 replicas$`,
      ),
    );
    const seed = /seed (-?\d+)/.exec(first ?? "")?.[1];
    // The seed announced is the seed used.
    expect(r.out).toContain(`seed ${seed}`);
    expect(r.out).toMatch(/^rule\s+checked\s+failed$/m);
    expect(r.out).toMatch(
      /replcheck: every check held \(\d+ steps in 3 scenarios, after \d+ targeted scenarios\) \(exit 0\)\n$/,
    );
    expect(r.err).not.toContain("replcheck: every check held");
  });

  it("--quiet: only the verdict on stdout, nothing on stderr", () => {
    const r = replcheck([...small, "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toMatch(
      /^replcheck: every check held \(\d+ steps in 3 scenarios, after \d+ targeted scenarios\) \(exit 0\)\n$/,
    );
  });

  it("--verbose: every step on stderr as it runs, each scenario with its seed and path", () => {
    const r = replcheck([...small, "--verbose"]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^scenario 0 \(--seed 7 --path 0\):$/m);
    expect(r.err).toMatch(/^scenario 2 \(--seed 7 --path 2\):$/m);
    expect(r.err).toMatch(/^ {2}1\. n1: REPLICAOF n0$/m);
    expect(r.err).toMatch(/^ {7}n0: master, offset \d+/m);
  });

  it("--quiet and --verbose together are a usage error (exit 2)", () => {
    const r = replcheck([...small, "--quiet", "--verbose"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot be used with/);
  });

  it("--json: stdout is NDJSON (start, one event per scenario, summary); report.json has its format header and one record per scenario", () => {
    const out = join(dir, "json-out");
    const r = replcheck([...small, "--json", "--out", out]);
    expect(r.code, r.err).toBe(0);
    const events = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.event)).toEqual(["start", "scenario", "scenario", "scenario", "summary"]);
    expect(events[0]).toMatchObject({
      replcheck: VERSION,
      target: "builtin",
      seed: 7,
      runs: 3,
      steps: 5,
      replicas: 2,
      timeLimitMs: 60_000,
    });
    expect(events[1]).toMatchObject({ index: 0, path: "0", status: "passed" });
    expect(events.at(-1)).toMatchObject({ exitCode: 0, scenarios: 3, failures: 0 });
    expect(r.err.split("\n")[0]).toMatch(/^replcheck .* run: target builtin/);

    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as RunReport & { steps: number };
    expect(report).toMatchObject({ format: RUN_REPORT_FORMAT, replcheck: VERSION, command: "run", exitCode: 0 });
    expect(report.options).toMatchObject({
      target: "builtin",
      runs: 3,
      steps: 5,
      seed: 7,
      replicas: 2,
      timeLimit: 60_000,
    });
    expect(report.options).not.toHaveProperty("json");
    expect(Date.parse(report.startedAt)).toBeLessThanOrEqual(Date.parse(report.endedAt));
    expect(report.scenarios.map((s) => s.path)).toEqual(["0", "1", "2"]);
    expect(report.scenarios.reduce((n, s) => n + s.steps, 0)).toBe(report.steps);
  });
});

describe("ScenarioRecorder", () => {
  const progress = (runs: number, failures: number, inconclusive: number, shrinking = false): CampaignProgress => ({
    runs,
    steps: 0,
    failures,
    inconclusive,
    shrinking,
    elapsedMs: 0,
  });
  const step = (rule?: string): StepRecord =>
    ({ failures: rule === undefined ? [] : [{ rule }] }) as unknown as StepRecord;

  it("tells passed, inconclusive, diverged and interrupted scenarios apart from the campaign's counts", () => {
    const r = new ScenarioRecorder(undefined);
    r.step(step());
    r.step(step());
    expect(r.progress(progress(1, 0, 0))).toMatchObject({ index: 0, path: "0", status: "passed", steps: 2 });
    r.step(step());
    expect(r.progress(progress(2, 0, 1))).toMatchObject({ index: 1, status: "inconclusive", steps: 1 });
    r.step(step());
    r.step(step("OFFSET-1"));
    expect(r.progress(progress(3, 1, 1, true))).toMatchObject({
      index: 2,
      status: "diverged",
      failedRules: ["OFFSET-1"],
    });
    // Shrinking: the counts do not move, no scenario ends.
    expect(r.progress(progress(3, 1, 1, true))).toBeUndefined();
    const records = r.finish({ inconclusiveReasons: ["no reply in time"] } as CampaignResult);
    expect(records.map((s) => s.status)).toEqual(["passed", "inconclusive", "diverged"]);
    expect(records[1]?.reason).toBe("no reply in time");
  });

  it("a scenario cut short by an interrupt is recorded as interrupted; --path names the one scenario", () => {
    const r = new ScenarioRecorder("4:1");
    r.step(step());
    const records = r.finish({ inconclusiveReasons: [] as string[] } as CampaignResult);
    expect(records).toEqual([{ index: 0, path: "4:1", status: "interrupted", steps: 1, failedRules: [] }]);
  });
});
