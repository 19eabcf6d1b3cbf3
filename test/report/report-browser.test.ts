// report.html in a real browser (Debian's chromium, headless): the report of a real campaign on the
// built-in server with a planted deviation (so there is a counterexample), and the reports of real
// passing `replcheck run`s, with and without --html-all. The page must load without console errors
// or requests elsewhere, have one timeline lane per node, mark the divergent step, show a step's
// panel when it is clicked, chart one point per scenario run, and with --html-all one collapsed
// timeline per kept scenario. Each report keeps report.png next to it; with
// REPLCHECK_REPORT_ARTIFACTS=DIR the reports stay in DIR (diverged/, passed/, html-all/) for people
// who look at CI artifacts.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { RULE_IDS } from "../../model/rule-ids.js";
import { report, type RunCliOptions } from "../../harness/cli/run-command.js";
import { createRunOutput } from "../../harness/cli/run-output.js";
import { ScenarioRecorder } from "../../harness/report/run-report.js";
import { runCampaign } from "../../harness/run/campaign.js";
import { CampaignHistory } from "../../harness/run/campaign-history.js";
import { campaignConfig, RUN_DEFAULTS } from "../../harness/run/defaults.js";
import { createBuiltinTarget } from "../../harness/targets/builtin.js";
import type { ServerHandle } from "../../server/index.js";
import { CHROMIUM, haveChromium, openReport, screenshot, withBrowser } from "./browser.js";

const strict = process.env.REPLCHECK_STRICT === "1";
if (!haveChromium)
  console.warn(
    `report-browser.test.ts: chromium not found at ${CHROMIUM}, browser tests skipped (apt-get install chromium)${strict ? "; REPLCHECK_STRICT makes them fail" : ""}`,
  );
const requireChromium = () => {
  if (!haveChromium) throw new Error("REPLCHECK_STRICT is set but chromium is missing (apt-get install chromium)");
};

const BIN = resolve(import.meta.dirname, "../../bin/replcheck.js");
const kept = process.env.REPLCHECK_REPORT_ARTIFACTS;
const root = kept === undefined ? mkdtempSync(join(tmpdir(), "replcheck-report-browser-")) : resolve(kept);
afterAll(() => {
  if (kept === undefined) rmSync(root, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

function outDir(name: string): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The planted deviation: a promoted node keeps its replid (REPLID-4 says it takes a new one). */
function keepReplidOnPromotion(s: ServerHandle): void {
  const ids = s.replication.ids;
  ids.shift = (offset: number) => {
    ids.replid2 = ids.replid;
    ids.secondOffset = offset + 1;
  };
}

/** `replcheck run ...` as a real process; killed (by pid) if the test ends before it does. */
async function replcheckRun(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [BIN, "run", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    const code = await new Promise<number | null>((done, fail) => {
      child.on("error", fail);
      child.on("close", done);
    });
    return { code, out };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

describe("report.html in headless chromium", () => {
  it.skipIf(!haveChromium && !strict)(
    "a divergence: one lane per node, the divergent step marked and selected, a clicked step shown",
    { timeout: 600_000 },
    async () => {
      requireChromium();
      const history = new CampaignHistory(RUN_DEFAULTS.htmlAllScenarios);
      const result = await runCampaign(
        campaignConfig(() => createBuiltinTarget({ onStart: keepReplidOnPromotion }), {
          history,
          settleDeadlineMs: 2000,
          runs: 300,
          seed: 4242,
          replicas: 2,
          maxSteps: 30,
          // Seed 4242's first scenario promotes a replica; the limit only bounds a loaded machine.
          timeLimitMs: 420_000,
        }),
      );
      const ce = result.counterexample;
      expect(ce?.status, result.error).toBe("diverged");
      const failed = ce!.steps.find((s) => s.failures.length > 0)!;
      const dir = outDir("diverged");
      vi.spyOn(console, "log").mockImplementation(() => {});
      const opts: RunCliOptions = {
        target: "builtin",
        runs: 300,
        timeLimit: 600_000,
        replicas: 2,
        steps: 30,
        seed: 4242,
        htmlAll: true,
      };
      const context = {
        output: createRunOutput({ ...opts, quiet: true }),
        recorder: new ScenarioRecorder(undefined),
        startedAt: new Date(Date.now() - result.elapsedMs),
        history,
      };
      const code = report(result, opts, "builtin", { outDir: dir }, undefined, context);
      vi.restoreAllMocks();
      expect(code).toBe(1);
      const file = join(dir, "report.html");
      expect(existsSync(file)).toBe(true);

      await withBrowser(async (browser) => {
        const { page, errors, outside } = await openReport(browser, file);
        const nodes = Object.keys(failed.predicted).sort();
        expect(
          await page.locator("#timeline .lane").evaluateAll((lanes) => lanes.map((l) => l.getAttribute("data-node"))),
        ).toEqual(nodes);
        // The divergent step: its column marked, selected at opening, its panel the only one shown.
        const divergent = page.locator("#timeline .step-col.divergent");
        expect(await divergent.count()).toBe(1);
        expect(await divergent.getAttribute("data-step")).toBe(String(failed.index));
        expect(await page.locator("body").getAttribute("data-selected-step")).toBe(String(failed.index));
        expect(await page.locator(".step-detail:visible").evaluateAll((s) => s.map((e) => e.id))).toEqual([
          `step-${failed.index}`,
        ]);
        const panel = page.locator(`#step-${failed.index}`);
        expect(await panel.locator('.failure[data-rule="REPLID-4"]').isVisible()).toBe(true);
        expect(await panel.locator(".failure .rule-title").first().textContent()).toContain("Promotion");
        expect(await panel.locator("td.obs.diff").count()).toBeGreaterThan(0);
        for (const f of failed.failures)
          expect(
            await page
              .locator(`#timeline .cell[data-step="${failed.index}"][data-node="${f.node}"] .cell-failed`)
              .count(),
          ).toBe(1);
        expect(await page.locator("#rule-REPLID-4").getAttribute("class")).toContain("rule-failed");
        expect(await page.locator("#repro-counterexample").textContent()).toContain("replcheck replay");

        // Scenarios over time: a point per run (generated scenarios and shrink attempts), the divergence among them.
        const shrinks = history.timings.filter((t) => t.phase === "shrink").length;
        expect(shrinks).toBeGreaterThan(0);
        expect(await page.locator("#scenarios-chart .point").count()).toBe(history.timings.length);
        expect(await page.locator('#scenarios-chart .point[data-kind="shrinking"]').count()).toBe(shrinks);
        expect(await page.locator('#scenarios-chart .point[data-kind="diverged"]').count()).toBe(result.failures);
        expect(await page.locator('#scenarios-chart .point[data-kind="passed"]').count()).toBe(
          result.runs - result.failures - result.inconclusive,
        );
        expect(await page.locator("#scenarios-chart").isVisible()).toBe(true);

        // --html-all: after the counterexample, one collapsed timeline per kept scenario, one lane per node.
        const kept = history.kept();
        expect(kept.map((k) => k.result.status).at(-1)).toBe("diverged");
        const entries = page.locator("details.scenario");
        expect(await entries.count()).toBe(kept.length);
        expect(await entries.evaluateAll((ds) => ds.map((d) => d.getAttribute("data-scenario")))).toEqual(
          kept.map((k) => String(k.index)),
        );
        expect(await page.locator("details.scenario[open]").count()).toBe(0);
        expect(await page.locator("details.scenario svg.timeline").first().isVisible()).toBe(false);
        const order = await page.evaluate<boolean>(
          `document.getElementById("counterexample").compareDocumentPosition(document.getElementById("scenarios")) === Node.DOCUMENT_POSITION_FOLLOWING`,
        );
        expect(order).toBe(true);
        for (const k of kept) {
          const lanes = await page
            .locator(`details.scenario[data-scenario="${k.index}"] svg.timeline .lane`)
            .evaluateAll((ls) => ls.map((l) => l.getAttribute("data-node")));
          expect(lanes).toEqual(Object.keys(k.result.steps[0].predicted).sort());
        }
        expect(await page.locator("#scenarios").getAttribute("data-dropped")).toBe(String(history.dropped));

        // Opening the diverged scenario as generated (before shrinking): its divergent step is selected in it,
        // a click on its first step selects that one there, and the counterexample's selection stays.
        const original = kept.at(-1)!;
        const entry = page.locator(`details.scenario[data-scenario="${original.index}"]`);
        await entry.locator("summary").click();
        const firstFailed = original.result.steps.find((s) => s.failures.length > 0)!;
        expect(await entry.getAttribute("data-selected-step")).toBe(String(firstFailed.index));
        expect(await entry.locator(".step-detail:visible").evaluateAll((s) => s.map((e) => e.id))).toEqual([
          `s${original.index}-step-${firstFailed.index}`,
        ]);
        await entry.locator('svg.timeline .step-col[data-step="1"] .step-number').click();
        expect(await entry.getAttribute("data-selected-step")).toBe("1");
        expect(await entry.locator(".step-detail:visible").evaluateAll((s) => s.map((e) => e.id))).toEqual([
          `s${original.index}-step-1`,
        ]);
        expect(await page.locator("body").getAttribute("data-selected-step")).toBe(String(failed.index));
        // Closed again, the arrow keys move in the counterexample once more (a promotion needs a step before it).
        expect(failed.index).toBeGreaterThan(1);
        await entry.locator("summary").click();
        await page.keyboard.press("ArrowLeft");
        expect(await entry.getAttribute("data-selected-step")).toBe("1");
        expect(await page.locator("body").getAttribute("data-selected-step")).toBe(String(failed.index - 1));
        await page.keyboard.press("ArrowRight");

        // Clicking a step (its number in the timeline, or its row in the step list) shows its panel.
        await page.locator('#timeline .step-col[data-step="1"] .step-number').click();
        expect(await page.locator("body").getAttribute("data-selected-step")).toBe("1");
        expect(await page.locator(".step-detail:visible").evaluateAll((s) => s.map((e) => e.id))).toEqual(["step-1"]);
        expect(await page.locator("#step-1 h3").textContent()).toContain(ce!.steps[0].description);
        await page.keyboard.press("ArrowRight");
        expect(await page.locator("body").getAttribute("data-selected-step")).toBe("2");
        await page.locator(`#steps tr.step-row[data-step="${failed.index}"]`).click();
        expect(await page.locator("body").getAttribute("data-selected-step")).toBe(String(failed.index));

        await page.evaluate("window.scrollTo(0, 0)");
        await screenshot(page, join(dir, "report.png"));
        expect(errors).toEqual([]);
        expect(outside).toEqual([]);
      });
      expect(readFileSync(join(dir, "report.png")).subarray(1, 4).toString()).toBe("PNG");
    },
  );

  it.skipIf(!haveChromium && !strict)(
    "a passing `replcheck run --out`: the summary and the rule table",
    { timeout: 600_000 },
    async () => {
      requireChromium();
      const dir = outDir("passed");
      const run = await replcheckRun([
        "--target",
        "builtin",
        "--runs",
        "3",
        "--replicas",
        "1",
        "--steps",
        "8",
        "--time-limit",
        "120s",
        "--seed",
        "7",
        "--out",
        dir,
      ]);
      expect(run.code, run.out).toBe(0);
      const file = join(dir, "report.html");
      const { scenarios } = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { scenarios: unknown[] };

      await withBrowser(async (browser) => {
        const { page, errors, outside } = await openReport(browser, file);
        expect(await page.locator("#verdict").getAttribute("data-exit-code")).toBe("0");
        expect(await page.locator("#verdict").textContent()).toContain("every check held");
        expect(await page.locator("#summary").textContent()).toContain("--runs 3");
        expect(await page.locator("table.rules tr.rule-row").count()).toBe(RULE_IDS.length);
        expect(await page.locator("table.rules tr.rule-held").count()).toBeGreaterThan(0);
        expect(await page.locator("table.rules tr.rule-failed").count()).toBe(0);
        expect(await page.locator("#timeline").count()).toBe(0);
        // Without --html-all no scenario is kept; the chart has a point per scenario report.json lists.
        expect(await page.locator("#scenarios").count()).toBe(0);
        expect(await page.locator("#scenarios-chart .point").count()).toBe(scenarios.length);
        expect(await page.locator('#scenarios-chart .point[data-kind="passed"]').count()).toBe(3);
        expect(await page.locator("#repro-campaign").textContent()).toContain(
          "replcheck run --target builtin --replicas 1 --steps 8 --runs 3 --time-limit 120s --seed 7",
        );
        await screenshot(page, join(dir, "report.png"));
        expect(errors).toEqual([]);
        expect(outside).toEqual([]);
      });
      expect(existsSync(join(dir, "report.png"))).toBe(true);
    },
  );

  it.skipIf(!haveChromium && !strict)(
    "a passing `replcheck run --html-all`: one timeline per scenario, one lane per node",
    { timeout: 600_000 },
    async () => {
      requireChromium();
      const dir = outDir("html-all");
      const args = ["--target", "builtin", "--runs", "4", "--replicas", "2", "--steps", "10", "--time-limit", "300s"];
      const run = await replcheckRun([...args, "--seed", "7", "--out", dir, "--html-all"]);
      expect(run.code, run.out).toBe(0);
      const json = readFileSync(join(dir, "report.json"), "utf8");
      const written = JSON.parse(json) as { scenarios: { index: number; steps: number }[]; options: object };
      expect(written.scenarios).toHaveLength(4);
      // report.json is the same with or without --html-all: the option and the kept steps are the HTML's alone.
      expect(Object.keys(written.options)).not.toContain("htmlAll");
      expect(json).not.toMatch(/"htmlAll"|"timings"|"kept"/);

      await withBrowser(async (browser) => {
        const { page, errors, outside } = await openReport(browser, join(dir, "report.html"));
        expect(await page.locator("#summary").textContent()).toContain("--html-all");
        expect(await page.locator("#scenarios-chart .point").count()).toBe(4);
        expect(await page.locator("#scenarios").getAttribute("data-dropped")).toBe("0");
        const entries = page.locator("details.scenario");
        expect(await entries.evaluateAll((ds) => ds.map((d) => d.getAttribute("data-scenario")))).toEqual([
          "0",
          "1",
          "2",
          "3",
        ]);
        for (const s of written.scenarios) {
          const entry = page.locator(`details.scenario[data-scenario="${s.index}"]`);
          expect(
            await entry.locator("svg.timeline .lane").evaluateAll((ls) => ls.map((l) => l.getAttribute("data-node"))),
          ).toEqual(["n0", "n1", "n2"]);
          expect(await entry.locator("svg.timeline .step-col").count()).toBe(s.steps);
          expect(await entry.locator(".step-detail").count()).toBe(s.steps);
        }
        // Opened, a scenario shows its timeline and its last step's panel; the arrow keys move within it.
        const first = entries.first();
        await first.locator("summary").click();
        expect(await first.locator("svg.timeline").isVisible()).toBe(true);
        const last = written.scenarios[0].steps;
        expect(await first.locator(".step-detail:visible").evaluateAll((s) => s.map((e) => e.id))).toEqual([
          `s0-step-${last}`,
        ]);
        await page.keyboard.press("ArrowLeft");
        expect(await first.getAttribute("data-selected-step")).toBe(String(last - 1));
        expect(await page.locator(".step-detail:visible").count()).toBe(1);
        await page.evaluate("window.scrollTo(0, 0)");
        await screenshot(page, join(dir, "report.png"));
        expect(errors).toEqual([]);
        expect(outside).toEqual([]);
      });
      expect(readFileSync(join(dir, "report.png")).subarray(1, 4).toString()).toBe("PNG");
    },
  );
});
