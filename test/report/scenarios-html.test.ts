// The campaign's history in report.html, without a browser: what CampaignHistory keeps (every run's
// times, the last N scenarios' steps, the count of those dropped), the "scenarios over time" chart
// (one point per run, by kind, thinned only beyond its cap), and the --html-all section (one
// collapsed timeline per kept scenario, ids unique on the page); and --html-all's usage error.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { RunCliOptions } from "../../harness/cli/run-command.js";
import { reportHtml } from "../../harness/report/html/report-page.js";
import { MAX_CHART_POINTS, scenariosChart } from "../../harness/report/html/scenarios-chart.js";
import { CampaignHistory, type ScenarioRun } from "../../harness/run/campaign-history.js";
import type { ScenarioResult } from "../../harness/run/scenario-run.js";
import { campaign, divergentScenario } from "./fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "replcheck-scenarios-html-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const opts: RunCliOptions = { target: "builtin", runs: 50, timeLimit: 90_000, replicas: 2, steps: 20 };
const EPOCH = 1_000_000;

const run = (over: Partial<ScenarioRun> & Pick<ScenarioRun, "status">, at: number): ScenarioRun => ({
  phase: "explore",
  steps: 8,
  startedAt: EPOCH + at - 500,
  endedAt: EPOCH + at,
  ...over,
});

const scenario = (status: ScenarioResult["status"]): ScenarioResult => ({ ...divergentScenario(), status });

/** Generated scenarios 0..n-1, the last one diverged, then `shrinks` shrink attempts. */
function history(keep: number, n: number, shrinks = 0): CampaignHistory {
  const h = new CampaignHistory(keep, EPOCH);
  for (let i = 0; i < n; i++) {
    const status = i === n - 1 ? "diverged" : i === 1 ? "inconclusive" : "passed";
    h.record(run({ index: i, status }, 1000 * (i + 1)), scenario(status));
  }
  for (let i = 0; i < shrinks; i++)
    h.record(run({ phase: "shrink", status: i % 2 === 0 ? "diverged" : "passed" }, 1000 * (n + 1) + 100 * i));
  return h;
}

const count = (html: string, re: RegExp): number => html.match(re)?.length ?? 0;

describe("CampaignHistory", () => {
  it("keeps every run's times, relative to its epoch, in the order the runs ended", () => {
    const h = history(0, 3, 2);
    expect(h.timings.map((t) => [t.phase, t.index, t.status, t.startMs, t.endMs])).toEqual([
      ["explore", 0, "passed", 500, 1000],
      ["explore", 1, "inconclusive", 1500, 2000],
      ["explore", 2, "diverged", 2500, 3000],
      ["shrink", undefined, "diverged", 3500, 4000],
      ["shrink", undefined, "passed", 3600, 4100],
    ]);
  });

  it("keeps the steps of the last `keep` generated scenarios and counts the older ones dropped", () => {
    const h = history(2, 5, 3);
    expect(h.kept().map((k) => k.index)).toEqual([3, 4]);
    expect(h.dropped).toBe(3);
    expect(h.kept()[1].result.status).toBe("diverged");
  });

  it("keeps no steps with keep 0 (the default without --html-all)", () => {
    const h = history(0, 4);
    expect(h.kept()).toEqual([]);
    expect(h.dropped).toBe(4);
  });

  it("learns scenarios from the caller's events when the campaign cannot record them (worker lanes)", () => {
    const h = new CampaignHistory(1, EPOCH);
    const steps = divergentScenario().steps;
    for (const r of steps.slice(0, 3)) h.stepSeen(r);
    h.scenarioSeen({ index: 4, status: "passed", steps: 3 }, EPOCH + 2000);
    for (const r of steps) h.stepSeen(r);
    h.scenarioSeen({ index: 6, status: "diverged", steps: 8 }, EPOCH + 3000);
    expect(h.timings).toEqual([
      { phase: "explore", index: 4, status: "passed", endMs: 2000, steps: 3 },
      { phase: "explore", index: 6, status: "diverged", endMs: 3000, steps: 8 },
    ]);
    expect(h.kept().map((k) => [k.index, k.result.status, k.result.steps.length])).toEqual([[6, "diverged", 8]]);
    expect(h.dropped).toBe(1);
    expect(scenariosChart(h.timings, 2)).toContain("<title>scenario 4: passed, 3 steps, ended at 2.0 s</title>");
  });

  it("ignores those events once the campaign records runs itself (no run counted twice)", () => {
    const h = new CampaignHistory(5, EPOCH);
    const steps = divergentScenario().steps;
    h.stepSeen(steps[0]);
    h.record(run({ index: 0, status: "passed" }, 1000), scenario("passed"));
    h.scenarioSeen({ index: 0, status: "passed", steps: 1 });
    h.stepSeen(steps[1]);
    h.record(run({ index: 1, status: "passed" }, 2000), scenario("passed"));
    h.scenarioSeen({ index: 1, status: "passed", steps: 1 });
    expect(h.timings.map((t) => t.index)).toEqual([0, 1]);
    expect(h.kept().map((k) => k.result.steps.length)).toEqual([8, 8]);
  });

  it("refuses a keep that is not a whole number ≥ 0", () => {
    expect(() => new CampaignHistory(-1)).toThrow(/keep must be a whole number ≥ 0, got -1/);
    expect(() => new CampaignHistory(1.5)).toThrow(/got 1.5/);
  });
});

describe("the scenarios-over-time chart", () => {
  it("has one point per run, by kind, on the running count of generated scenarios", () => {
    const svg = scenariosChart(history(0, 4, 3).timings, 4);
    expect(svg).toContain('data-runs="7" data-points="7"');
    const chart = svg.slice(0, svg.indexOf("</svg>"));
    expect(count(chart, /<g class="point point-passed"/g)).toBe(2);
    expect(count(chart, /<g class="point point-inconclusive"/g)).toBe(1);
    expect(count(chart, /<g class="point point-diverged"/g)).toBe(1);
    expect(count(chart, /<g class="point point-shrinking"/g)).toBe(3);
    expect(chart).toContain('class="shrink-band"');
    expect(chart).toContain("<title>scenario 1: inconclusive, 8 steps, 1.5 s to 2.0 s</title>");
    expect(chart).toContain("shrink attempt: diverged again (a smaller counterexample)");
    // The legend counts each kind.
    expect(svg).toMatch(/data-kind="shrinking">.*shrink attempt <b>3<\/b>/);
  });

  it("says so when nothing finished, or when the scenarios' times were not reported", () => {
    expect(scenariosChart([], 0)).toContain("No scenario finished");
    expect(scenariosChart([], 12)).toContain("The times of this run's 12 scenarios were not reported to this process");
  });

  it("thins only passed points beyond its cap, and says how many it draws", () => {
    const h = new CampaignHistory(0, EPOCH);
    const n = MAX_CHART_POINTS * 2;
    for (let i = 0; i < n; i++)
      h.record(run({ index: i, status: i % 1000 === 999 ? "inconclusive" : "passed" }, 10 * (i + 1)));
    const svg = scenariosChart(h.timings, n);
    const chart = svg.slice(0, svg.indexOf("</svg>"));
    const drawn = count(chart, /<g class="point /g);
    expect(drawn).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(drawn).toBeGreaterThan(MAX_CHART_POINTS / 2);
    expect(count(chart, /point-inconclusive/g)).toBe(n / 1000);
    expect(svg).toContain(`data-runs="${n}" data-points="${drawn}"`);
    expect(svg).toContain(`${n} runs: every one not passed is drawn`);
  });
});

describe("report.html with the history", () => {
  const page = (h: CampaignHistory | undefined, counterexample = true) =>
    reportHtml({
      result: campaign(counterexample ? divergentScenario() : undefined),
      verdict: { code: counterexample ? 1 : 0, why: "…" },
      options: opts,
      outDir: dir,
      ...(h === undefined ? {} : { history: h }),
    });

  it("shows the chart in the run summary", () => {
    const html = page(history(0, 5, 2));
    const summary = html.slice(html.indexOf('id="summary"'), html.indexOf('id="counterexample"'));
    expect(summary).toContain("Scenarios over time");
    expect(summary).toContain('<svg id="scenarios-chart"');
  });

  it("without --html-all: the counterexample only, no kept scenarios", () => {
    const html = page(history(0, 5));
    expect(html).not.toContain('id="scenarios"');
    expect(count(html, /<svg[^>]* class="timeline"/g)).toBe(1);
    expect(html).not.toContain("--html-all");
  });

  it("with --html-all: the counterexample first, then one collapsed timeline per kept scenario, the dropped counted", () => {
    const html = page(history(3, 5));
    expect(html).toContain("<code>--html-all</code>");
    expect(html.indexOf('id="counterexample"')).toBeLessThan(html.indexOf('id="scenarios"'));
    expect(html).toContain('data-kept="3" data-dropped="2"');
    expect(html).toContain("2 older scenarios were dropped</b> (--html-all keeps the last 3)");
    const entries = html.match(/<details class="scenario"[^>]*>/g) ?? [];
    expect(entries.map((d) => /data-scenario="(\d+)"/.exec(d)?.[1])).toEqual(["2", "3", "4"]);
    expect(entries.every((d) => !/\sopen[\s>=]/.test(d))).toBe(true);
    // Each has its own timeline (one lane per node) and step panels.
    expect(count(html, /<svg[^>]* class="timeline"/g)).toBe(4);
    expect(count(html, /<g class="lane" data-node="n\d"/g)).toBe(4 * 3);
    expect(count(html, /<section class="step-detail"/g)).toBe(4 * 8);
    expect(html).toContain('id="s4-step-8"');
    expect(html).toContain('<summary><b>scenario 4</b> <span class="badge badge-diverged">diverged</span>');
  });

  it("says how many of the result's scenarios it never saw (lanes that ran elsewhere)", () => {
    // campaign() counts 5 generated scenarios; this history saw 3.
    const html = page(history(3, 3));
    expect(html).toContain("2 of the run's 5 scenarios were not reported to this process");
    expect(page(history(3, 5))).not.toContain("were not reported");
  });

  it("keeps every id unique on the page", () => {
    const html = page(history(5, 5, 2));
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(5 * 8);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("a passing run with --html-all shows the legend with its kept scenarios", () => {
    const html = page(history(5, 2), false);
    expect(html).toContain("all 2 generated scenarios of the run");
    expect(count(html, /class="legend"/g)).toBe(1);
  });

  it("without a recorded history (a result built by hand) the summary says so", () => {
    expect(page(undefined)).toContain("did not record its scenarios' times");
  });
});

describe("replcheck run --html-all", () => {
  const bin = resolve(import.meta.dirname, "../../bin/replcheck.js");

  it("keeps the scenarios of lanes in worker threads too (--concurrency 2 on the built-in target)", {
    timeout: 600_000,
  }, () => {
    const out = join(dir, "concurrent");
    const args = ["run", "--target", "builtin", "--runs", "4", "--replicas", "1", "--steps", "6", "--seed", "9"];
    const r = spawnSync(
      process.execPath,
      [bin, ...args, "--time-limit", "300s", "--concurrency", "2", "--html-all", "--out", out, "--quiet"],
      { encoding: "utf8", timeout: 590_000 },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const html = readFileSync(join(out, "report.html"), "utf8");
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as { scenarios: { path: string }[] };
    const chart = html.slice(
      html.indexOf('<svg id="scenarios-chart"'),
      html.indexOf("</svg>", html.indexOf("scenarios-chart")),
    );
    expect(count(chart, /<g class="point point-passed"/g)).toBe(4);
    expect(chart).toContain("ended at");
    const kept = [...html.matchAll(/<details class="scenario"[^>]* data-scenario="(\d+)"/g)].map((m) => m[1]);
    expect(kept.sort()).toEqual(report.scenarios.map((s) => s.path).sort());
    expect(html).toContain('data-kept="4" data-dropped="0"');
    expect(html).not.toContain("were not reported to this process");
  });

  it("needs --out: a usage error (exit 2) that says so", { timeout: 120_000 }, () => {
    const r = spawnSync(process.execPath, [bin, "run", "--html-all", "--runs", "1", "--time-limit", "10s"], {
      encoding: "utf8",
      timeout: 110_000,
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain("--html-all needs --out DIR");
  });
});
