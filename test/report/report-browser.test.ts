// report.html in a real browser (Debian's chromium, headless): the report of a real campaign on the
// built-in server with a planted deviation (so there is a counterexample) and the report of a real
// passing `replcheck run`. The page must load without console errors or requests elsewhere, have
// one timeline lane per node, mark the divergent step, and show a step's panel when it is clicked.
// Each report keeps report.png next to it; with REPLCHECK_REPORT_ARTIFACTS=DIR both reports stay
// in DIR (diverged/, passed/) for people who look at CI artifacts.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { RULE_IDS } from "../../model/rule-ids.js";
import { report } from "../../harness/cli/run-command.js";
import { runCampaign } from "../../harness/run/campaign.js";
import { campaignConfig } from "../../harness/run/defaults.js";
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
      const result = await runCampaign(
        campaignConfig(() => createBuiltinTarget({ onStart: keepReplidOnPromotion }), {
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
      const code = report(
        result,
        { target: "builtin", runs: 300, timeLimit: 600_000, replicas: 2, steps: 30, seed: 4242 },
        "builtin",
        { outDir: dir },
        undefined,
      );
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

        // Clicking a step (its number in the timeline, or its row in the step list) shows its panel.
        await page.locator('#timeline .step-col[data-step="1"] .step-number').click();
        expect(await page.locator("body").getAttribute("data-selected-step")).toBe("1");
        expect(await page.locator(".step-detail:visible").evaluateAll((s) => s.map((e) => e.id))).toEqual(["step-1"]);
        expect(await page.locator("#step-1 h3").textContent()).toContain(ce!.steps[0].description);
        await page.keyboard.press("ArrowRight");
        expect(await page.locator("body").getAttribute("data-selected-step")).toBe("2");
        await page.locator(`tr.step-row[data-step="${failed.index}"]`).click();
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

      await withBrowser(async (browser) => {
        const { page, errors, outside } = await openReport(browser, file);
        expect(await page.locator("#verdict").getAttribute("data-exit-code")).toBe("0");
        expect(await page.locator("#verdict").textContent()).toContain("every check held");
        expect(await page.locator("#summary").textContent()).toContain("--runs 3");
        expect(await page.locator("table.rules tr.rule-row").count()).toBe(RULE_IDS.length);
        expect(await page.locator("table.rules tr.rule-held").count()).toBeGreaterThan(0);
        expect(await page.locator("table.rules tr.rule-failed").count()).toBe(0);
        expect(await page.locator("#timeline").count()).toBe(0);
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
});
