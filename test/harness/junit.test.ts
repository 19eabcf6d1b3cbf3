// JUnit output: one test case per catalogue rule in every run, failures only for the rules the final
// counterexample breaks, skipped for rules no check exercised, and a document that validates
// against the Jenkins junit-10 schema (test/fixtures/junit-10.xsd) with a real validator
// (`xmllint --schema`, Debian's libxml2-utils).
// spec-refs: rule ids here are data, not rules this file checks.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Check } from "../../harness/check/compare.js";
import { junitXml } from "../../harness/report/junit.js";
import type { CampaignResult, RuleStats } from "../../harness/run/campaign.js";
import type { StepRecord } from "../../harness/run/scenario-run.js";
import { RULE_IDS, type RuleId } from "../../model/index.js";

const XSD = resolve(import.meta.dirname, "../fixtures/junit-10.xsd");
const strict = process.env.REPLCHECK_STRICT === "1";
const xmllint = spawnSync("xmllint", ["--version"]).error === undefined;
if (!xmllint)
  console.warn("junit.test.ts: xmllint not found, schema validation skipped (apt-get install libxml2-utils)");

const dir = mkdtempSync(join(tmpdir(), "replcheck-junit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** xmllint's verdict on a document: null when it validates, else its messages. */
function schemaErrors(doc: string): string | null {
  const file = join(dir, `doc-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, doc);
  const r = spawnSync("xmllint", ["--noout", "--schema", XSD, file], { encoding: "utf8" });
  return r.status === 0 ? null : `${r.stdout}${r.stderr}`;
}

const check = (rule: RuleId, ok: boolean, extra: Partial<Check> = {}): Check => ({
  node: "n1",
  field: "sync_full",
  rule,
  ok,
  predicted: "1",
  observed: ok ? "1" : "2",
  ...extra,
});

function record(index: number, failures: Check[]): StepRecord {
  return {
    index,
    step: { action: { kind: "replicaof-no-one", node: "n1" } },
    description: "n1: REPLICAOF NO ONE",
    outcomes: 1,
    chosen: 0,
    path: [],
    checks: failures,
    failures,
    predicted: {},
    observed: {},
    syncs: [],
    notes: [],
    settleMs: 3,
  };
}

function campaign(
  rules: [RuleId, RuleStats][],
  counterexampleFailures: Check[] | null,
  extra: Partial<CampaignResult> = {},
): CampaignResult {
  return {
    runs: 12,
    steps: 140,
    failures: counterexampleFailures === null ? 0 : 1,
    inconclusive: 0,
    shrinking: false,
    elapsedMs: 65_432,
    seed: 4242,
    rules: new Map(rules),
    inconclusiveReasons: [],
    target: 'builtin <&> "quoted"',
    profile: "builtin (0.1.0)",
    interrupted: false,
    ...(counterexampleFailures === null
      ? {}
      : {
          path: "3:1:0",
          counterexample: {
            status: "diverged",
            steps: [record(1, []), record(2, counterexampleFailures)],
            executed: [],
            profile: "builtin (0.1.0)",
            target: "builtin",
          },
          reproduced: { diverged: 3, of: 3, requested: 3 },
        }),
    ...extra,
  };
}

const OPTIONS = { timestamp: new Date("2025-01-02T03:04:05.678Z"), hostname: "ci-runner" };
const testcases = (doc: string) =>
  [...doc.matchAll(/<testcase classname="([^"]+)" name="([^"]+)">([\s\S]*?)<\/testcase>/g)].map((m) => ({
    classname: m[1],
    name: m[2],
    body: m[3],
  }));
const attr = (doc: string, element: string, name: string) =>
  new RegExp(`<${element} [^>]*\\b${name}="([^"]*)"`).exec(doc)?.[1];

describe("JUnit report", () => {
  // During the campaign PSYNC-2 and OFFSET-3 failed (before shrinking); the shrunk counterexample
  // breaks PSYNC-1, with PSYNC-2 at its boundary too.
  const failing = campaign(
    [
      ["PSYNC-1", { checked: 40, failed: 3 }],
      ["PSYNC-2", { checked: 40, failed: 1 }],
      ["OFFSET-3", { checked: 99, failed: 2 }],
      ["INFO-1", { checked: 300, failed: 0 }],
    ],
    [
      check("PSYNC-1", false, {
        also: ["PSYNC-2"],
        clause: "id == replid2 and off == second_repl_offset <boundary> & \u0001",
      }),
      check("PSYNC-1", false, { field: "sync_partial_ok" }),
    ],
  );
  const doc = junitXml(failing, "Counterexample (2 steps) …\n  ✗ PSYNC-1 <n1> & more", OPTIONS);

  it("has one test case per catalogue rule, in catalogue order, named by the rule id alone", () => {
    const cases = testcases(doc);
    expect(cases.map((c) => c.name)).toEqual(RULE_IDS);
    expect(cases.find((c) => c.name === "PSYNC-1")!.classname).toBe("replcheck.psync");
    expect(cases.find((c) => c.name === "FULLSYNC-7")!.classname).toBe("replcheck.full-sync");
    // The same set in a run that found nothing.
    expect(testcases(junitXml(campaign([], null), undefined, OPTIONS)).map((c) => c.name)).toEqual(RULE_IDS);
  });

  it("fails only the rules of the final counterexample; rules no check ran are skipped", () => {
    const cases = new Map(testcases(doc).map((c) => [c.name, c.body]));
    const failed = [...cases].filter(([, body]) => body.includes("<failure")).map(([name]) => name);
    expect(failed).toEqual(["PSYNC-1", "PSYNC-2"]);
    expect(cases.get("PSYNC-1")).toContain("id == replid2 and off == second_repl_offset &lt;boundary&gt; &amp;");
    // OFFSET-3 failed only while fast-check was exploring: checked, not failed.
    expect(cases.get("OFFSET-3")).not.toMatch(/<failure|<skipped/);
    expect(cases.get("INFO-1")).not.toMatch(/<failure|<skipped/);
    expect(cases.get("RESTART-2")).toContain("<skipped");
    const skipped = [...cases.values()].filter((b) => b.includes("<skipped")).length;
    expect(skipped).toBe(RULE_IDS.length - 4);
  });

  it("counts tests, failures, errors and skipped, with time, timestamp and hostname", () => {
    expect(attr(doc, "testsuite", "tests")).toBe(String(RULE_IDS.length));
    expect(attr(doc, "testsuite", "failures")).toBe("2");
    expect(attr(doc, "testsuite", "errors")).toBe("0");
    expect(attr(doc, "testsuite", "skipped")).toBe(String(RULE_IDS.length - 4));
    expect(attr(doc, "testsuite", "time")).toBe("65.432");
    expect(attr(doc, "testsuite", "timestamp")).toBe("2025-01-02T03:04:05");
    expect(attr(doc, "testsuite", "hostname")).toBe("ci-runner");
    expect(attr(doc, "testsuites", "tests")).toBe(String(RULE_IDS.length));
    expect(doc).toContain('<property name="reproduced" value="3/3"/>');
  });

  it("a run that failed with an error adds one errored test case", () => {
    const errored = junitXml(
      campaign([["INFO-1", { checked: 3, failed: 0 }]], null, {
        error: "TypeError: x <is> undefined\n    at y",
        failures: 1,
      }),
      undefined,
      OPTIONS,
    );
    expect(attr(errored, "testsuite", "errors")).toBe("1");
    expect(attr(errored, "testsuite", "tests")).toBe(String(RULE_IDS.length + 1));
    expect(errored).toMatch(
      /<testcase classname="replcheck" name="run">\s*<error message="the run failed with an error" type="harness">TypeError: x &lt;is&gt; undefined/,
    );
  });

  it.skipIf(!xmllint && !strict)("validates against the junit-10 schema with xmllint", () => {
    if (!xmllint) throw new Error("REPLCHECK_STRICT is set but xmllint is missing (apt-get install libxml2-utils)");
    execFileSync("xmllint", ["--noout", XSD]); // the schema itself is well-formed
    expect(schemaErrors(doc)).toBeNull();
    expect(schemaErrors(junitXml(campaign([], null), undefined, OPTIONS))).toBeNull();
    expect(
      schemaErrors(junitXml(campaign([], null, { error: "boom & <bang>", failures: 1 }), undefined, OPTIONS)),
    ).toBeNull();
    // The validator does reject what the schema forbids.
    expect(
      schemaErrors(doc.replace(/ tests="\d+" failures="2" errors="0" skipped/, ' failures="2" errors="0" skipped')),
    ).toMatch(/tests/);
    expect(schemaErrors(doc.replace('timestamp="2025-01-02T03:04:05"', 'timestamp="yesterday"'))).toMatch(/timestamp/);
  });
});
