// `replicationConformanceSuite({ skip | only })` in a real vitest run (a child process with a project
// of its own): targeted scenarios that use a family left out are registered as skipped, naming it;
// an unknown family is a failing test, never a silent pass. Only the choice test runs (-t).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const project = mkdtempSync(join(tmpdir(), "replcheck-vitest-families-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

interface AssertionResult {
  title: string;
  status: string;
  failureMessages: string[];
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: "1" };
  for (const [k, v] of Object.entries(process.env))
    if (!/^(VITEST|__VITEST|TINYPOOL|NODE_OPTIONS$|FORCE_COLOR$)/.test(k)) env[k] = v;
  return env;
}

describe("replicationConformanceSuite({ skip, only })", () => {
  let tests: AssertionResult[] = [];

  beforeAll(() => {
    const suite = (options: string) =>
      `import { replicationConformanceSuite } from "replcheck/vitest";\nawait replicationConformanceSuite(${options});\n`;
    writeFileSync(
      join(project, "only.spec.ts"),
      suite(`{ target: "builtin", runs: 0, only: ["writes", "wait", "transactions"] }`),
    );
    writeFileSync(join(project, "bogus.spec.ts"), suite(`{ target: "builtin", runs: 0, skip: ["teleports"] }`));
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
        "has a usable step family choice",
        "--reporter=json",
        `--outputFile=${out}`,
      ],
      { cwd: project, encoding: "utf8", env: cleanEnv(), timeout: 300_000 },
    );
    try {
      const report = JSON.parse(readFileSync(out, "utf8")) as {
        testResults: { assertionResults: AssertionResult[] }[];
      };
      tests = report.testResults.flatMap((f) => f.assertionResults);
    } catch {
      throw new Error(`vitest wrote no JSON report (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    }
  }, 320_000);

  it("registers a targeted scenario that uses a family left out as skipped, naming the family", () => {
    const partition = tests.find((t) => t.title.includes("converges after a partition heals"));
    expect(partition?.title).toMatch(/\(skipped: uses [a-z-, ]*link-faults/);
    expect(partition?.status).not.toBe("passed");
    // One that uses only chosen families (or none) is an ordinary test.
    const offsets = tests.find((t) => t.title.includes("offsets are byte-exact"));
    expect(offsets?.title).toBeDefined();
    expect(offsets?.title).not.toMatch(/skipped: uses/);
  });

  it("an unknown family fails the suite, naming it", () => {
    const bad = tests.find((t) => t.title === "has a usable step family choice");
    expect(bad?.status).toBe("failed");
    expect(bad?.failureMessages.join("\n")).toMatch(/unknown step family teleports: one of writes, reads/);
  });
});
