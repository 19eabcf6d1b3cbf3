// `replicationConformanceSuite({ scenarios: "dir" })` in a real vitest run (a child process with a
// project of its own): one test per scenario file of the folder, named after the file; a file that
// diverges fails with the counterexample as its message (the OFFSET scenario on the built-in server
// under the model's Redis 6.2 profile, a real divergence); an empty folder is a failing test, not
// a silent pass. Only the scenario-file tests run (-t), not the whole suite.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeScenarioFile } from "../../harness/report/scenario-file.js";
import { TARGETED_SCENARIOS, type TargetedScenario } from "../../harness/scenario/targeted.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { type ChildTest, runVitestChild, suiteSpec } from "../support/vitest-child.js";

const project = mkdtempSync(join(tmpdir(), "replcheck-vitest-scenarios-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const scenarioWith = (rule: string): TargetedScenario => {
  const found = TARGETED_SCENARIOS.find((s) => (s.rules as readonly string[]).includes(rule));
  if (found === undefined) throw new Error(`no targeted scenario for ${rule}`);
  return found;
};

function folder(name: string, scenarios: [string, TargetedScenario][]): void {
  const dir = join(project, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, s] of scenarios)
    writeScenarioFile(join(dir, file), {
      replicas: s.replicas,
      nodeConfig: deterministicConfig(),
      origin: {},
      steps: s.steps,
    });
}

describe("replicationConformanceSuite({ scenarios })", () => {
  let tests: ChildTest[] = [];

  beforeAll(() => {
    folder("kept", [
      ["01-chain.json", scenarioWith("CHAIN-1")],
      ["02-readonly.json", scenarioWith("RO-1")],
    ]);
    folder("kept-62", [
      ["01-chain.json", scenarioWith("CHAIN-1")],
      ["02-offsets.json", scenarioWith("OFFSET-1")],
    ]);
    mkdirSync(join(project, "empty"));
    suiteSpec(project, "kept.spec.ts", `{ target: "builtin", runs: 0, scenarios: "kept" }`);
    suiteSpec(project, "kept-62.spec.ts", `{ target: "builtin", runs: 0, profile: "redis-6.2", scenarios: "kept-62" }`);
    suiteSpec(project, "empty.spec.ts", `{ target: "builtin", runs: 0, scenarios: "empty" }`);
    tests = runVitestChild(project, "scenario files in", 900_000).filter((t) => t.status !== "skipped");
  }, 950_000);

  const find = (title: string) => tests.filter((t) => t.title === title || t.ancestorTitles.includes(title));

  it("registers one passing test per scenario file, named after the file", () => {
    const kept = find("scenario files in kept");
    expect(kept.map((t) => [t.title, t.status])).toEqual([
      ["01-chain.json", "passed"],
      ["02-readonly.json", "passed"],
    ]);
  });

  it("a file that diverges fails with the counterexample as its message", () => {
    const kept62 = find("scenario files in kept-62");
    expect(kept62.map((t) => [t.title, t.status])).toEqual([
      ["01-chain.json", "passed"],
      ["02-offsets.json", "failed"],
    ]);
    const message = kept62[1].failureMessages.join("\n");
    expect(message).toContain(join(project, "kept-62", "02-offsets.json"));
    expect(message).toMatch(/Counterexample \(\d+ steps\) on replcheck built-in server/);
    expect(message).toMatch(/Diverged at step \d+, breaking .*OFFSET-1/);
  });

  it("an empty folder is a failing test, not a silent pass", () => {
    const empty = tests.filter((t) => t.title === "scenario files in empty");
    expect(empty).toHaveLength(1);
    expect(empty[0].status).toBe("failed");
    expect(empty[0].failureMessages.join("\n")).toMatch(/no scenario files \(\*\.json\) in .*empty/);
  });
});
