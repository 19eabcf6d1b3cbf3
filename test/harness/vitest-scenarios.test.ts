// `replicationConformanceSuite({ scenarios: "dir" })` in a real vitest run (a child process with a
// project of its own): one test per scenario file of the folder, named after the file; a file that
// diverges fails with the counterexample as its message (the OFFSET scenario on the built-in server
// under the model's Redis 6.2 profile, a real divergence); an empty folder is a failing test, not
// a silent pass. Only the scenario-file tests run (-t), not the whole suite.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeScenarioFile } from "../../harness/report/scenario-file.js";
import { TARGETED_SCENARIOS, type TargetedScenario } from "../../harness/scenario/targeted.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";

const ROOT = resolve(import.meta.dirname, "../..");
const project = mkdtempSync(join(tmpdir(), "replcheck-vitest-scenarios-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

interface AssertionResult {
  title: string;
  ancestorTitles: string[];
  status: string;
  failureMessages: string[];
}
interface JsonReport {
  testResults: { name: string; assertionResults: AssertionResult[] }[];
}

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

/** The environment of a fresh shell: none of this vitest run's worker variables. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: "1" };
  for (const [k, v] of Object.entries(process.env))
    if (!/^(VITEST|__VITEST|TINYPOOL|NODE_OPTIONS$|FORCE_COLOR$)/.test(k)) env[k] = v;
  return env;
}

describe("replicationConformanceSuite({ scenarios })", () => {
  let tests: AssertionResult[] = [];

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
    const suite = (options: string) =>
      `import { replicationConformanceSuite } from "replcheck/vitest";\nawait replicationConformanceSuite(${options});\n`;
    writeFileSync(join(project, "kept.spec.ts"), suite(`{ target: "builtin", runs: 0, scenarios: "kept" }`));
    writeFileSync(
      join(project, "kept-62.spec.ts"),
      suite(`{ target: "builtin", runs: 0, profile: "redis-6.2", scenarios: "kept-62" }`),
    );
    writeFileSync(join(project, "empty.spec.ts"), suite(`{ target: "builtin", runs: 0, scenarios: "empty" }`));
    // The project's own config: `replcheck/vitest` is this checkout's source, as in vitest.config.ts.
    writeFileSync(
      join(project, "vitest.config.mjs"),
      `export default ${JSON.stringify({
        resolve: { alias: { "replcheck/vitest": join(ROOT, "harness/vitest.ts") } },
        test: { include: ["*.spec.ts"], pool: "forks", testTimeout: 600_000 },
      })};\n`,
    );
    const out = join(project, "result.json");
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, "node_modules/vitest/vitest.mjs"),
        "run",
        "--root",
        project,
        "--config",
        join(project, "vitest.config.mjs"),
        "-t",
        "scenario files in",
        "--reporter=json",
        `--outputFile=${out}`,
      ],
      { cwd: project, encoding: "utf8", env: cleanEnv(), timeout: 900_000 },
    );
    // It fails on purpose (a diverging file, an empty folder); the JSON report says how.
    let report: JsonReport;
    try {
      report = JSON.parse(readFileSync(out, "utf8")) as JsonReport;
    } catch {
      throw new Error(`vitest wrote no JSON report (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    }
    tests = report.testResults.flatMap((f) => f.assertionResults).filter((t) => t.status !== "skipped");
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
