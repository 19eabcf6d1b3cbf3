// A real vitest run in a child process, on a project of its own whose `replcheck/vitest` is this
// checkout's source: how a user's test run registers the conformance suite.

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

export interface ChildTest {
  title: string;
  ancestorTitles: string[];
  status: string;
  failureMessages: string[];
}

/** The environment of a fresh shell: none of this vitest run's worker variables. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: "1" };
  for (const [k, v] of Object.entries(process.env))
    if (!/^(VITEST|__VITEST|TINYPOOL|NODE_OPTIONS$|FORCE_COLOR$)/.test(k)) env[k] = v;
  return env;
}

/** A spec file that registers the suite with `options` (a JavaScript object literal). */
export function suiteSpec(project: string, file: string, options: string): void {
  writeFileSync(
    join(project, file),
    `import { replicationConformanceSuite } from "replcheck/vitest";\nawait replicationConformanceSuite(${options});\n`,
  );
}

/** Runs vitest on `project`'s *.spec.ts files with `-t filter` and returns every test's result. */
export function runVitestChild(project: string, filter: string, timeoutMs: number): ChildTest[] {
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
      filter,
      "--reporter=json",
      `--outputFile=${out}`,
    ],
    { cwd: project, encoding: "utf8", env: cleanEnv(), timeout: timeoutMs },
  );
  // Such runs often fail on purpose; the JSON report says how.
  try {
    const report = JSON.parse(readFileSync(out, "utf8")) as { testResults: { assertionResults: ChildTest[] }[] };
    return report.testResults.flatMap((f) => f.assertionResults);
  } catch {
    throw new Error(`vitest wrote no JSON report (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
}
