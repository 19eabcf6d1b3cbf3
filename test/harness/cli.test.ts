// The replcheck CLI end to end: exit codes, reports, JUnit, saved scenarios and replay.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeScenarioFile } from "../../harness/report/scenario-file.js";
import { TARGETED_SCENARIOS } from "../../harness/scenario/targeted.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";

const BIN = resolve(import.meta.dirname, "../../bin/replcheck.js");
const REDIS = "/usr/bin/redis-server";
const haveRedis = existsSync(REDIS);
const strict = process.env.REPLCHECK_STRICT === "1";
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "replcheck-cli-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function replcheck(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd, timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("replcheck CLI", () => {
  it("exits 2 with what to do when the target cannot start", () => {
    const r = replcheck(["run", "--target", "binary:/no/such/server", "--runs", "1"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot start: .*\/no\/such\/server/);
    expect(r.err).toMatch(/what to do: /);
  });

  it("exits 2 for an unknown target and for a scenario file that is not one", () => {
    expect(replcheck(["run", "--target", "nonsense", "--runs", "1"]).code).toBe(2);
    const dir = tempDir();
    const bad = join(dir, "bad.json");
    writeScenarioFile(bad, { replicas: 1, nodeConfig: {}, origin: {}, steps: [] });
    const text = readFileSync(bad, "utf8").replace("replcheck-scenario/1", "other");
    writeFileSync(bad, text);
    const r = replcheck(["replay", bad, "--target", "builtin"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a replcheck scenario file/);
  });

  if (haveRedis || strict) {
    it("runs a campaign on redis-server: rule table, JUnit, JSON report and node logs, exit 0", () => {
      const out = tempDir();
      const junit = join(out, "junit.xml");
      const r = replcheck(["run", "--target", "redis-server", "--runs", "3", "--steps", "8", "--seed", "7", "--out", out, "--junit", junit]);
      expect(r.err + r.out).not.toMatch(/cannot start/);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/profile Redis 7\.0 \(7\.0\.15\), seed 7/);
      expect(r.out).toMatch(/^PSYNC-4\s+\d+\s+0$/m);
      const xml = readFileSync(junit, "utf8");
      expect(xml).toMatch(/<testsuites name="replcheck" tests="\d+" failures="0"/);
      expect(xml).toMatch(/<testcase classname="replcheck.rules" name="REPLID-3">/);
      const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
      expect(report.rules["PSYNC-4"].checked).toBeGreaterThan(0);
      const logs = readdirSync(join(out, "nodes"), { recursive: true }).map(String).filter((f) => f.endsWith("server.log"));
      expect(logs.length).toBeGreaterThan(0);
    });

    it("replays a saved scenario step by step and prints each step", () => {
      const file = join(tempDir(), "failover.json");
      const s = TARGETED_SCENARIOS.find((t) => t.name.startsWith("failover"))!;
      writeScenarioFile(file, { replicas: s.replicas, nodeConfig: deterministicConfig(), origin: { name: s.name }, steps: s.steps });
      const r = replcheck(["replay", file, "--target", "redis-server"]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/n1: REPLICAOF NO ONE/);
      expect(r.out).toMatch(/REPLID-4: n1 promoted/);
      expect(r.out).toMatch(/: passed$/m);
    });
  }
});
