// report.html without a browser: the timeline derived from step records (lanes, link bands, sync
// markers checked against the serving node's counters, replication ids, differences), the rule
// table from the catalogue, the page's self-containment and escaping, and the CLI writing it with
// the same reproduction commands it prints.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { RULE_IDS } from "../../model/rule-ids.js";
import { campaignVerdict } from "../../harness/cli/exit-codes.js";
import { report, type RunCliOptions } from "../../harness/cli/run-command.js";
import { reportHtml } from "../../harness/report/html/report-page.js";
import { ruleRows } from "../../harness/report/html/rule-table.js";
import { agrees, differingFields } from "../../harness/report/html/summary-values.js";
import { timeline } from "../../harness/report/html/timeline-data.js";
import { campaign, divergentScenario, node } from "./fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "replcheck-html-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const opts: RunCliOptions = { target: "builtin", runs: 50, timeLimit: 90_000, replicas: 2, steps: 20 };

describe("the timeline's data", () => {
  const t = timeline(divergentScenario());
  const lane = (n: string) => t.lanes.find((l) => l.node === n)!;

  it("has one lane per node, in node order, and one cell per step", () => {
    expect(t.nodes).toEqual(["n0", "n1", "n2"]);
    for (const l of t.lanes) expect(l.cells).toHaveLength(8);
    expect(t.divergent).toBe(8);
    expect(t.steps.map((s) => s.state)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok", "ok", "diverged"]);
  });

  it("shows roles as observed: master, replica of whom", () => {
    expect(lane("n1").cells.map((c) => c.role.role)).toEqual([
      "replica",
      "replica",
      "replica",
      "replica",
      "replica",
      "replica",
      "master",
      "master",
    ]);
    expect(lane("n2").cells.map((c) => c.role.master ?? "-")).toEqual(["-", "n0", "n0", "n0", "n0", "n0", "n0", "n1"]);
  });

  it("derives link bands from the link actions and the link status each replica showed", () => {
    expect(lane("n2").cells.map((c) => c.link)).toEqual(["none", "up", "cut", "cut", "up", "up", "up", "up"]);
    // The throttle applies to n1's edge to n0 until n1 is promoted; a master has no link.
    expect(lane("n1").cells.map((c) => c.link)).toEqual(["up", "up", "up", "up", "up", "throttle", "none", "none"]);
    expect(lane("n0").cells.every((c) => c.link === "none")).toBe(true);
  });

  it("marks syncs on the replica, and flips a marker to what the serving node's counters show", () => {
    const kinds = (n: string) =>
      lane(n).cells.map((c) => c.markers.map((m) => `${m.kind}${m.mismatch ? "!" : ""}`).join(","));
    expect(kinds("n1")).toEqual(["full", "", "", "", "", "", "promoted", ""]);
    // Step 8: the model said +CONTINUE, n1 counted a full sync.
    expect(kinds("n2")).toEqual(["", "full", "", "", "partial", "", "", "full!"]);
    expect(lane("n2").cells[7].markers[0].title).toContain("n1's counters show 1 full and 0 partial syncs");
  });

  it("keeps offsets, backlog windows and replication ids per step", () => {
    expect(lane("n0").cells.map((c) => c.offset)).toEqual([0, 0, 0, 40, 40, 40, 40, 40]);
    expect(lane("n0").cells[3].backlog).toEqual({ first: 1, last: 40 });
    expect(lane("n0").cells[0].backlog).toBeUndefined();
    expect(t.maxOffset).toBe(40);
    expect(lane("n1").cells.map((c) => c.replid)).toEqual(["R2", "R2", "R2", "R2", "R2", "R2", "R4", "R4"]);
  });

  it("marks differences and failures on the node and step where they are", () => {
    expect(lane("n1").cells[7].differs).toEqual(["syncs"]);
    expect(lane("n2").cells[7].differs).toEqual(["replid2"]);
    expect(lane("n2").cells[7].failures.map((f) => f.field)).toEqual(["master_replid2"]);
    expect(lane("n0").cells[7].differs).toEqual([]);
  });
});

describe("values inside a predicted range agree", () => {
  it.each([
    ["first 1..5 len 10..20", "first 3 len 15", true],
    ["first 1..5 len 10..∞", "first 5 len 9000", true],
    ["first 1..5 len 10..20", "first 6 len 15", false],
    ["full 1 ok 0 err 1", "full 1 ok 0 err 1", true],
    ["full 0 ok 1 err 0", "full 1 ok 0 err 1", false],
    ["R2 until 41", "-", false],
  ])("%s vs %s", (p, o, expected) => expect(agrees(p, o)).toBe(expected));

  it("so a ranged prediction is not reported as a difference", () => {
    expect(differingFields(node({ backlog: "first 1..5 len 0..16384" }), node({ backlog: "first 2 len 100" }))).toEqual(
      [],
    );
  });
});

describe("the rule table", () => {
  it("lists every rule of the catalogue, failed, held or skipped with its layer", () => {
    const rows = ruleRows(campaign(divergentScenario()).rules);
    expect(rows.map((r) => r.id)).toEqual(RULE_IDS);
    expect(rows.find((r) => r.id === "PSYNC-1")).toMatchObject({
      status: "failed",
      checked: 12,
      failed: 2,
      title: "Replication-id check",
    });
    expect(rows.find((r) => r.id === "OFFSET-1")).toMatchObject({ status: "held", checked: 40 });
    expect(rows.find((r) => r.id === "PSYNC-5")).toMatchObject({ status: "skipped", layer: "server" });
  });
});

describe("the page", () => {
  const html = reportHtml({
    result: campaign(divergentScenario()),
    verdict: { code: 1, why: "a divergence from the model was found" },
    options: opts,
    outDir: dir,
  });

  it("is self-contained: nothing is loaded from elsewhere", () => {
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html).not.toMatch(/url\((?!#)/);
    expect(html).not.toMatch(/@import/);
    expect(html).toContain("default-src 'none'");
  });

  it("escapes what the steps carry", () => {
    expect(html).toContain("n0: SET &lt;k&gt; v");
    expect(html).not.toContain("SET <k>");
  });

  it("has a lane per node, the divergent step marked, a panel per step, and the broken rule's text", () => {
    expect(html.match(/<g class="lane" data-node="n\d"/g)).toHaveLength(3);
    expect(html.match(/data-divergent="true"/g)).toHaveLength(1);
    expect(html).toContain('<g class="step-col step-diverged divergent" data-step="8" data-divergent="true">');
    expect(html.match(/<section class="step-detail"/g)).toHaveLength(8);
    expect(html).toContain('data-initial-step="8"');
    expect(html).toContain("Replication-id check");
    expect(html).toContain('id="rule-PSYNC-1"');
  });

  it("a mixed run names each server kind's profile and version with its nodes", () => {
    const mixed = {
      ...campaign(),
      profile: "replcheck built-in server (0.1.0) on n0 + Redis 7.0 (7.0.15) on n1, n2",
    };
    const page = reportHtml({ result: mixed, verdict: campaignVerdict(mixed), options: opts, outDir: dir });
    expect(page).toContain("replcheck built-in server on n0 + Redis 7.0 on n1, n2");
    expect(page).toContain("0.1.0 on n0 + 7.0.15 on n1, n2");
  });

  it("a passing run has the summary and the rule table, and no timeline", () => {
    const passed = campaign();
    const page = reportHtml({ result: passed, verdict: campaignVerdict(passed), options: opts, outDir: dir });
    expect(page).toContain('id="summary"');
    expect(page).toContain('class="rules"');
    expect(page).not.toContain('id="timeline"');
    expect(page).toContain(
      "replcheck run --target builtin --replicas 2 --steps 20 --runs 50 --time-limit 90s --seed 77",
    );
  });
});

describe("replcheck run --out writes report.html", () => {
  function quietly<T>(fn: () => T): { value: T; out: string } {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    return { value: fn(), out: lines.join("\n") };
  }

  it("next to report.json, with the command lines the console printed", () => {
    const out = mkdtempSync(join(dir, "run-"));
    const { value: code, out: printed } = quietly(() =>
      report(campaign(divergentScenario()), opts, "builtin", { outDir: out }, undefined),
    );
    expect(code).toBe(1);
    expect(existsSync(join(out, "report.json"))).toBe(true);
    const page = readFileSync(join(out, "report.html"), "utf8");
    const rerun = /^\s+(replcheck run .*)$/m.exec(printed)![1];
    const replay = /^\s+(replcheck replay .*)$/m.exec(printed)![1];
    expect(replay).toContain(join(out, "replcheck-counterexample-77.json"));
    expect(page).toContain(rerun);
    expect(page).toContain(replay.replaceAll("'", "&#39;"));
  });

  it("for a passing run too", () => {
    const out = mkdtempSync(join(dir, "run-"));
    const { value: code } = quietly(() => report(campaign(), opts, "builtin", { outDir: out }, undefined));
    expect(code).toBe(0);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("every check held");
  });
});
