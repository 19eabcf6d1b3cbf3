// `replcheck replay FILE|DIR --json` and `--quiet`, through the CLI process: NDJSON events for
// machines (start, one scenario per file, divergence, summary, error) and nothing else on stdout;
// --quiet keeps only a file that did not pass (its steps) and the verdict. The divergence is real:
// the OFFSET scenario replayed on the built-in server with the model's Redis 6.2 profile, whose
// offsets differ from the 7.0 behaviour the built-in server has.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeScenarioFile } from "../../harness/report/scenario-file.js";
import { TARGETED_SCENARIOS, type TargetedScenario } from "../../harness/scenario/targeted.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { REPO_ROOT } from "./consumer-project.js";

const BIN = join(REPO_ROOT, "bin/replcheck.js");
const root = mkdtempSync(join(tmpdir(), "replcheck-replay-output-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function replcheck(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const scenarioWith = (rule: string): TargetedScenario => {
  const found = TARGETED_SCENARIOS.find((s) => s.rules.includes(rule as TargetedScenario["rules"][number]));
  if (found === undefined) throw new Error(`no targeted scenario for ${rule}`);
  return found;
};

/** A folder holding the given targeted scenarios as 01-….json, 02-….json. */
function folder(name: string, scenarios: TargetedScenario[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [i, s] of scenarios.entries())
    writeScenarioFile(join(dir, `0${i + 1}-${s.rules[0]}.json`), {
      replicas: s.replicas,
      nodeConfig: deterministicConfig(),
      origin: {},
      steps: s.steps,
    });
  return dir;
}

/** Every stdout line is one JSON object. */
const events = (out: string): Record<string, unknown>[] =>
  out
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("replcheck replay --json / --quiet", { timeout: 300_000 }, () => {
  const passing = scenarioWith("CHAIN-1");
  const diverging = scenarioWith("OFFSET-1");
  const mixed = folder("mixed", [passing, diverging]);
  const good = folder("good", [passing]);

  it("--json: start, a scenario event per file, the divergence and the summary; nothing but NDJSON on stdout", () => {
    const r = replcheck(["replay", mixed, "--target", "builtin", "--profile", "redis-6.2", "--json"]);
    expect(r.code, r.err).toBe(1);
    const all = events(r.out);
    expect(all.map((e) => e.event)).toEqual(["start", "scenario", "scenario", "divergence", "summary"]);
    const [start, first, second, divergence, summary] = all;
    expect(start).toMatchObject({
      command: "replay",
      target: "builtin",
      profile: "redis-6.2",
      files: [join(mixed, "01-CHAIN-1.json"), join(mixed, "02-OFFSET-1.json")],
    });
    expect(first).toMatchObject({ index: 0, file: join(mixed, "01-CHAIN-1.json"), status: "passed", exitCode: 0 });
    expect(first.steps).toBeGreaterThan(0);
    expect(second).toMatchObject({ index: 1, status: "diverged", exitCode: 1 });
    expect(divergence).toMatchObject({ file: join(mixed, "02-OFFSET-1.json") });
    expect(divergence.rules).toContain("OFFSET-1");
    expect(summary).toMatchObject({ exitCode: 1, files: 2, replayed: 2, passed: 1, diverged: 1 });
    expect(summary.verdict).toMatch(/divergence from the model was found in 1 of 2 scenario files/);
  });

  it("--json with a bad scenario file: an error event and exit 2, before any node starts", () => {
    const bad = join(root, "bad.json");
    writeFileSync(bad, JSON.stringify({ format: "replcheck-scenario/1", replicas: 1, steps: "none" }));
    const r = replcheck(["replay", bad, "--target", "builtin", "--json"]);
    expect(r.code).toBe(2);
    const all = events(r.out);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ event: "error", exitCode: 2 });
    expect(String(all[0].message)).toContain(bad);
  });

  it("--quiet: the steps of the file that diverged and the verdict, not the steps of the one that passed", () => {
    const r = replcheck(["replay", mixed, "--target", "builtin", "--profile", "redis-6.2", "--quiet"]);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toBe("");
    expect(r.out).not.toContain(`== ${join(mixed, "01-CHAIN-1.json")}`);
    expect(r.out).not.toContain(join(mixed, "01-CHAIN-1.json"));
    expect(r.out).toMatch(/^Counterexample \(\d+ steps\) on replcheck built-in server/m);
    expect(r.out).toMatch(/Diverged at step \d+, breaking .*OFFSET-1/);
    expect(r.out).toContain(`${join(mixed, "02-OFFSET-1.json")}: a divergence from the model was found (exit 1)`);
    expect(r.out).toMatch(/replcheck: a divergence from the model was found in 1 of 2 scenario files \(exit 1\)\n$/);
  });

  it("--quiet when every check held: the verdict line alone", () => {
    const r = replcheck(["replay", good, "--target", "builtin", "--quiet"]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^replcheck: every check held \(\d+ steps\) \(exit 0\)\n$/);
  });
});
