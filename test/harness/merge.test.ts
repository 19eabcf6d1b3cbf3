// replcheck merge through the real CLI, on reports of real sharded runs of the built-in target:
// passing shards merge to exit 0, a diverging shard makes the merged verdict a divergence (exit 1)
// with its rule failed in the merged JUnit, which validates against the junit-10 schema
// (xmllint); reports of different campaigns or formats are refused (exit 2).

import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Ran, runReplcheck } from "../support/replcheck-process.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TARGETED_SCENARIOS } from "../../harness/scenario/targeted.js";
import { runReportErrors } from "../../harness/report/report-validation.js";

const XSD = resolve(import.meta.dirname, "../fixtures/junit-10.xsd");
const strict = process.env.REPLCHECK_STRICT === "1";
const xmllint = spawnSync("xmllint", ["--version"]).error === undefined;
const dir = mkdtempSync(join(tmpdir(), "replcheck-merge-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const replcheck = (args: string[]) => runReplcheck(args, dir);

const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const at = (...p: string[]) => join(dir, ...p);

/** xmllint's verdict: null when the document validates against junit-10.xsd. */
function schemaErrors(file: string): string | null {
  if (!xmllint) {
    if (strict) throw new Error("REPLCHECK_STRICT is set but xmllint is missing (apt-get install libxml2-utils)");
    return null;
  }
  const r = spawnSync("xmllint", ["--noout", "--schema", XSD, file], { encoding: "utf8" });
  return r.status === 0 ? null : `${r.stdout}${r.stderr}`;
}

/** Shard i/n of a campaign (a JUnit file next to its report.json). */
const shard = (name: string, i: number, n: number, extra: string[]) =>
  replcheck([
    "run",
    "--target",
    "builtin",
    "--shard",
    `${i}/${n}`,
    "--out",
    at(name),
    "--junit",
    at(name, "junit.xml"),
    "--concurrency",
    "1",
    "-q",
    ...extra,
  ]);

// Passing: seed 7, four scenarios in two shards. Diverging: the built-in server checked as Redis
// 6.2 (MULTI/EXEC offsets differ, OFFSET-7), one scenario per shard: shard 3/3's (run index 2)
// diverges every time; shard 1/3's (run index 0) only sometimes (how SET EX propagates is checked
// only when that step's replicas are attached by then).
const passing = ["--seed", "7", "--runs", "4", "--steps", "6"];
// --no-targeted: the targeted MULTI/EXEC offsets scenario would diverge first (its merge is tested apart).
const diverging = ["--seed", "1", "--runs", "3", "--profile", "redis-6.2", "--time-limit", "30s", "--no-targeted"];
let shardRuns: Ran[] = [];
beforeAll(async () => {
  shardRuns = await Promise.all([
    shard("p1", 1, 2, passing),
    shard("p2", 2, 2, passing),
    shard("d1", 1, 3, diverging),
    shard("d3", 3, 3, diverging),
  ]);
}, 600_000);

describe("replcheck merge", () => {
  it("merges passing shards: counts and tallies summed, every scenario once, exit 0", {
    timeout: 120_000,
  }, async () => {
    expect(shardRuns.map((r) => r.code).slice(0, 2)).toEqual([0, 0]);
    const r = await replcheck(["merge", "--out", at("pm"), at("p1"), at("p2")]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/shards 1\/2, 2\/2 of seed 7/);
    const merged = json(at("pm", "report.json"));
    const parts = [json(at("p1", "report.json")), json(at("p2", "report.json"))];
    expect(runReportErrors(merged)).toEqual([]);
    expect(merged.exitCode).toBe(0);
    expect(merged.runs).toBe(parts[0].runs + parts[1].runs);
    expect(merged.steps).toBe(parts[0].steps + parts[1].steps);
    expect(merged.scenarios.map((s: { path: string }) => s.path)).toEqual(["0", "1", "2", "3"]);
    for (const rule of new Set([...Object.keys(parts[0].rules), ...Object.keys(parts[1].rules)])) {
      const checked = parts.reduce((a, p) => a + (p.rules[rule]?.checked ?? 0), 0);
      expect(merged.rules[rule].checked, rule).toBe(checked);
    }
    expect(merged.options.shards).toEqual(["1/2", "2/2"]);
    // Each shard ran its half of the targeted scenarios; merged, they are the whole list, in order.
    expect(parts[0].targeted.outcomes.map((o: { index: number }) => o.index).every((k: number) => k % 2 === 0)).toBe(
      true,
    );
    expect(merged.targeted.outcomes.map((o: { index: number }) => o.index)).toEqual(
      TARGETED_SCENARIOS.map((_, k) => k),
    );
    expect(merged.targeted.steps).toBe(parts[0].targeted.steps + parts[1].targeted.steps);
    const xml = readFileSync(at("pm", "junit.xml"), "utf8");
    expect(xml).toMatch(/<testsuites name="replcheck" tests="\d+" failures="0"/);
    // Every targeted scenario is one test case, none skipped: one of the two shards ran each.
    const targetedCases = [...xml.matchAll(/<testcase classname="replcheck\.targeted"[^>]*>([\s\S]*?)<\/testcase>/g)];
    expect(targetedCases).toHaveLength(TARGETED_SCENARIOS.length);
    expect(targetedCases.filter((m) => m[1].includes("<skipped"))).toEqual([]);
    expect(schemaErrors(at("pm", "junit.xml"))).toBeNull();
  });

  it("a rule failed in one shard fails the merged verdict and JUnit (exit 1)", { timeout: 120_000 }, async () => {
    expect(shardRuns[3].code, shardRuns[3].out).toBe(1);
    const r = await replcheck(["merge", "--out", at("dm"), at("d1"), at("d3")]);
    expect(r.code, r.out + r.err).toBe(1);
    // The counterexample kept is the earliest diverging scenario's: run index 0 if shard 1/3 diverged.
    const d1 = json(at("d1", "report.json"));
    const earliest =
      d1.path === undefined
        ? { path: json(at("d3", "report.json")).path, shard: "3/3" }
        : { path: d1.path, shard: "1/3" };
    expect(r.out).toMatch(/missing shards: 2\/3/);
    const merged = json(at("dm", "report.json"));
    expect(runReportErrors(merged)).toEqual([]);
    expect(merged.exitCode).toBe(1);
    expect(merged.path).toBe(earliest.path);
    expect(merged.counterexample).toBeDefined();
    const failedRules = Object.entries(merged.rules as Record<string, { failed: number }>)
      .filter(([, s]) => s.failed > 0)
      .map(([rule]) => rule);
    expect(failedRules.length).toBeGreaterThan(0);
    const xml = readFileSync(at("dm", "junit.xml"), "utf8");
    expect(xml).toContain(`<failure message="shard ${earliest.shard}: `);
    expect(xml).not.toMatch(/failures="0"/);
    expect(xml).toMatch(/<property name="shards" value="shard 1\/3, shard 3\/3"\/>/);
    expect(schemaErrors(at("dm", "junit.xml"))).toBeNull();
  });

  it("refuses reports of different campaigns or formats with a clear message (exit 2)", {
    timeout: 120_000,
  }, async () => {
    /** A copy of shard p2 with its report.json changed. */
    const altered = (name: string, change: (report: Record<string, unknown>) => void) => {
      cpSync(at("p2"), at(name), { recursive: true });
      const report = json(at(name, "report.json"));
      change(report);
      writeFileSync(at(name, "report.json"), JSON.stringify(report));
      return at(name);
    };
    const notJunit = at("not-junit.xml");
    writeFileSync(notJunit, '<?xml version="1.0"?><testsuites name="other"/>');
    const cases: [string[], RegExp][] = [
      [[at("p1"), altered("seed", (r) => (r.seed = 8))], /different seeds/],
      [
        [at("p1"), altered("target", (r) => ((r.options as { target: string }).target = "redis-server"))],
        /different targets/,
      ],
      [[at("p1"), altered("profile", (r) => (r.profile = "Redis 7.0 (7.0.15)"))], /different profiles/],
      [[at("p1"), altered("format", (r) => (r.format = "replcheck-report/0"))], /format "replcheck-report\/0"/],
      [[at("p1"), at("p1")], /are both shard 1\/2/],
      [
        [at("p1"), altered("count", (r) => ((r.options as { shard: object }).shard = { index: 2, count: 3 }))],
        /different shard counts/,
      ],
      [[at("p1"), altered("whole", (r) => delete (r.options as { shard?: object }).shard)], /not a shard's report/],
      [
        [at("p1", "report.json"), at("p2", "report.json"), at("p1", "junit.xml"), notJunit],
        /not a replcheck JUnit file/,
      ],
      [[at("nowhere")], /does not exist/],
    ];
    const runs = await Promise.all(cases.map(([inputs]) => replcheck(["merge", "--out", at("refused"), ...inputs])));
    runs.forEach((r, i) => {
      expect(r.code, `${cases[i][1]}: ${r.out}${r.err}`).toBe(2);
      expect(r.err).toMatch(cases[i][1]);
    });
  });
});
