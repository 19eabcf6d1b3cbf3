// report.json's JSON Schema (harness/report/run-report-schema.ts, shipped as
// schemas/report.schema.json): the shipped files (report, scenario and matrix schemas) are what
// `npm run schemas` writes now, and every file of schemas/ is one of them; the
// report.json of a real `replcheck run` conforms to the shipped file as any JSON Schema tool reads
// it; a report with a counterexample conforms; and a corrupted report is rejected with the JSON
// path of the bad field.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runReportErrors } from "../../harness/report/report-validation.js";
import { runReport, type RunReport } from "../../harness/report/run-report.js";
import { SHIPPED_SCHEMAS } from "../../harness/report/schemas.js";
import type { CampaignResult } from "../../harness/run/campaign.js";
import type { StepRecord } from "../../harness/run/scenario-run.js";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/replcheck.js");
const dir = mkdtempSync(join(tmpdir(), "replcheck-schema-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shipped = (file: string): object => JSON.parse(readFileSync(join(ROOT, "schemas", file), "utf8"));

describe("the shipped schemas", () => {
  it.each(SHIPPED_SCHEMAS.map((s) => [s.file, s] as const))("schemas/%s is up to date (npm run schemas)", (file, s) => {
    expect(shipped(file), `schemas/${file} is stale: run npm run schemas`).toEqual(
      JSON.parse(JSON.stringify(s.schema)),
    );
  });

  it("every file of schemas/ is in the list (so each is checked above and written by npm run schemas)", () => {
    expect(readdirSync(join(ROOT, "schemas")).sort()).toEqual(SHIPPED_SCHEMAS.map((s) => s.file).sort());
    expect(SHIPPED_SCHEMAS.map((s) => s.file)).toContain("matrix.schema.json");
  });

  it("npm run schemas -- --check agrees", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/schemas.ts"), "--check"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/schemas\/ is up to date/);
  });
});

describe("report.json against schemas/report.schema.json", () => {
  let real: RunReport;
  /** The shipped file, compiled by a fresh ajv as a user's tool would: not the TypeScript object. */
  const validateShipped = new Ajv({ allErrors: true }).compile(shipped("report.schema.json"));

  beforeAll(() => {
    const out = join(dir, "out");
    const r = spawnSync(
      process.execPath,
      [BIN, "run", "--target", "builtin", "--runs", "3", "--steps", "8", "--time-limit", "5m", "--out", out, "--quiet"],
      { encoding: "utf8", timeout: 600_000 },
    );
    if (r.status !== 0) throw new Error(`replcheck run exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
    real = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as RunReport;
  }, 700_000);

  it("a real run's report conforms (scenarios, rules and coverage included)", () => {
    expect(real.scenarios.length).toBeGreaterThan(0);
    expect(real.coverage?.rows.length).toBeGreaterThan(0);
    expect(Object.keys(real.rules).length).toBeGreaterThan(0);
    expect(validateShipped(real), JSON.stringify(validateShipped.errors, null, 2)).toBe(true);
    expect(runReportErrors(real)).toEqual([]);
  });

  it("a report with a counterexample, reproductions and shrinking conforms", () => {
    const summary = { role: "master", link: "-", offset: "50", replid: "R1", replid2: "-", backlog: "none", syncs: "" };
    const record = (index: number, observedOffset: string): StepRecord => {
      const ok = observedOffset === "50";
      const check = {
        node: "n0",
        field: "offset",
        rule: "OFFSET-1" as const,
        ok,
        predicted: "50",
        observed: observedOffset,
      };
      return {
        index,
        step: { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "k", "v"], now: 0 } },
        description: "n0: SET k v",
        outcomes: 1,
        chosen: 0,
        path: [],
        checks: [check],
        failures: ok ? [] : [check],
        predicted: { n0: summary },
        observed: { n0: { ...summary, offset: observedOffset } },
        syncs: [],
        notes: [],
        settleMs: 3,
      };
    };
    const steps = [record(0, "50"), record(1, "27")];
    const result: CampaignResult = {
      runs: 4,
      steps: 30,
      failures: 1,
      inconclusive: 0,
      shrinking: false,
      elapsedMs: 1234,
      seed: 42,
      path: "3:0",
      rules: new Map([["OFFSET-1", { checked: 30, failed: 1 }]]),
      counterexample: {
        status: "diverged",
        reason: "OFFSET-1 n0 offset",
        steps,
        executed: steps.map((s) => s.step),
        profile: "Redis 7.0 (7.0.15)",
        target: "builtin",
      },
      inconclusiveReasons: [],
      interrupted: false,
      reproduced: { diverged: 2, of: 2, requested: 3 },
      shrink: { numShrinks: 5, stopped: false },
    };
    const options = { target: "builtin", runs: 100, timeLimit: 60_000, replicas: 1, steps: 20, seed: 42 };
    const report = JSON.parse(
      JSON.stringify(runReport(result, { code: 1, why: "a divergence" }, options, new Date(), [])),
    ) as RunReport;
    expect(report.counterexample?.steps[1].failures[0].rule).toBe("OFFSET-1");
    expect(validateShipped(report), JSON.stringify(validateShipped.errors, null, 2)).toBe(true);
    expect(runReportErrors(report)).toEqual([]);
  });

  it("a corrupted report is rejected, each error naming the field by its path", () => {
    const bad = structuredClone(real) as unknown as Record<string, unknown> & {
      scenarios: Record<string, unknown>[];
      options: Record<string, unknown>;
      rules: Record<string, unknown>;
    };
    bad.scenarios[0].status = "maybe";
    delete bad.options.target;
    bad.rules["OFFSET-1"] = { checked: "many", failed: 0 };
    bad.startedAt = "yesterday";
    bad.surprise = true;
    expect(validateShipped(bad)).toBe(false);
    const errors = runReportErrors(bad);
    expect(errors).toContain(
      "/scenarios/0/status: must be equal to one of the allowed values (passed, diverged, inconclusive, interrupted)",
    );
    expect(errors).toContain("/options: must have required property 'target'");
    expect(errors).toContain("/rules/OFFSET-1/checked: must be integer");
    expect(errors.some((e) => e.startsWith("/startedAt: must match pattern"))).toBe(true);
    expect(errors).toContain("(the report): must NOT have additional properties: surprise");
    expect(runReportErrors({ ...real, format: "replcheck-report/2" })).toEqual(["/format: must be equal to constant"]);
  });
});
