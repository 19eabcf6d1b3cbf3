// `replcheck replay DIR`: a folder of scenario files (a project's kept counterexamples) replays
// every *.json file in it, all of them read and validated before any node starts.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeScenarioFile } from "../../harness/report/scenario-file.js";
import { TARGETED_SCENARIOS } from "../../harness/scenario/targeted.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { REPO_ROOT } from "./consumer-project.js";

const BIN = join(REPO_ROOT, "bin/replcheck.js");
const root = mkdtempSync(join(tmpdir(), "replcheck-replay-dir-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function replcheck(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A folder with the first `n` targeted scenarios as scenario files (01-….json, 02-….json, …). */
function folder(name: string, n: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  TARGETED_SCENARIOS.slice(0, n).forEach((s, i) => {
    writeScenarioFile(join(dir, `0${i + 1}-scenario.json`), {
      replicas: s.replicas,
      nodeConfig: deterministicConfig(),
      origin: {},
      steps: s.steps,
    });
  });
  return dir;
}

describe("replcheck replay DIR", { timeout: 300_000 }, () => {
  it("replays every scenario file of the folder in name order; exit 0 when every check held", () => {
    const dir = folder("good", 2);
    writeFileSync(join(dir, "notes.txt"), "not a scenario");
    const r = replcheck(["replay", dir, "--target", "builtin"]);
    expect(r.code, r.out + r.err).toBe(0);
    const first = r.out.indexOf(`== ${join(dir, "01-scenario.json")}`);
    const second = r.out.indexOf(`== ${join(dir, "02-scenario.json")}`);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);
    expect(r.out).toMatch(/02-scenario\.json: every check held \(\d+ steps\) \(exit 0\)/);
    expect(r.out).toMatch(/replcheck: every check held in 2 scenario files \(exit 0\)\n$/);
  });

  it("a bad file anywhere in the folder stops the replay before any node starts: exit 2 naming the file and field", () => {
    const dir = folder("bad", 1);
    writeFileSync(
      join(dir, "02-broken.json"),
      JSON.stringify({
        format: "replcheck-scenario/1",
        replicas: 1,
        nodeConfig: {},
        origin: {},
        steps: [{ action: { kind: "teleport" } }],
      }),
    );
    const r = replcheck(["replay", dir, "--target", "builtin"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(join(dir, "02-broken.json"));
    expect(r.out).not.toMatch(/REPLICAOF/);
  });

  it("a folder without scenario files is a usage error (exit 2)", () => {
    const dir = join(root, "empty");
    mkdirSync(dir);
    const r = replcheck(["replay", dir, "--target", "builtin"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no scenario files \(\*\.json\) in .*empty/);
  });
});
