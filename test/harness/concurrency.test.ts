// --concurrency N through the real CLI: on the built-in target (one worker thread per cluster) and
// on redis-server (clusters side by side in one process) the lanes run every scenario of the
// campaign once, with the verdict of a sequential run; a divergence found by a lane shrinks along
// the same fast-check path and replays with --seed/--path alone, without --concurrency.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runReplcheck } from "../support/replcheck-process.js";
import { afterAll, describe, expect, it } from "vitest";
import { defaultConcurrency } from "../../harness/run/defaults.js";
import { scenarioAtPath } from "../support/value-at-path.js";

const haveRedis = existsSync("/usr/bin/redis-server");
const strict = process.env.REPLCHECK_STRICT === "1";
const dir = mkdtempSync(join(tmpdir(), "replcheck-concurrency-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const replcheck = (args: string[]) => runReplcheck(args, dir);

const report = (out: string) => JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
const paths = (out: string): string[] => report(out).scenarios.map((s: { path: string }) => s.path);

describe("--concurrency", () => {
  it("defaults to the cores but one, at least 1", () => {
    expect(defaultConcurrency(1)).toBe(1);
    expect(defaultConcurrency(2)).toBe(1);
    expect(defaultConcurrency(8)).toBe(7);
  });

  it("bad values exit 2", { timeout: 120_000 }, async () => {
    const runs = await Promise.all(
      ["0", "x", "65"].map((n) => replcheck(["run", "--target", "builtin", "--concurrency", n])),
    );
    for (const r of runs) {
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(/--concurrency.*is invalid.*whole number from 1 to 64/);
    }
  });

  it("builtin, 2 worker threads: every scenario of the campaign once, and the sequential verdict", {
    timeout: 600_000,
  }, async () => {
    const out = join(dir, "builtin");
    const r = await replcheck([
      "run",
      "--target",
      "builtin",
      "--seed",
      "5",
      "--runs",
      "6",
      "--steps",
      "8",
      "--concurrency",
      "2",
      "--out",
      out,
    ]);
    expect(r.code, r.out + r.err).toBe(0);
    expect([...paths(out)].sort()).toEqual(["0", "1", "2", "3", "4", "5"]);
    const rep = report(out);
    expect(rep.runs).toBe(6);
    expect(rep.scenarios.reduce((a: number, s: { steps: number }) => a + s.steps, 0)).toBe(rep.steps);
    expect(rep.options.concurrency).toBe(2);
  });

  it("a lane's divergence keeps the seed's numbering: --seed/--path alone name its counterexample", {
    timeout: 600_000,
  }, async () => {
    // The built-in server checked as Redis 6.2 diverges (MULTI/EXEC and SET EX propagate
    // differently) in several of seed 1's first scenarios.
    const out = join(dir, "diverged");
    const target = ["--target", "builtin", "--profile", "redis-6.2"];
    const r = await replcheck([
      "run",
      ...target,
      "--seed",
      "1",
      "--concurrency",
      "2",
      "--time-limit",
      "40s",
      "--out",
      out,
      // The targeted MULTI/EXEC offsets scenario would diverge first, before any lane starts.
      "--no-targeted",
    ]);
    expect(r.code, r.out + r.err).toBe(1);
    const rep = report(out);
    const path = rep.path as string;
    expect(path).toMatch(/^\d+(:\d+)*$/);
    // The scenario the path starts from is the one report.json records as diverged.
    const first = rep.scenarios.find((s: { path: string }) => s.path === path.split(":")[0]);
    expect(first?.status).toBe("diverged");
    // fast-check with --seed 1 --path P alone (no lanes) generates exactly this counterexample,
    // so it shrinks on from it as a sequential run would.
    expect(scenarioAtPath(1, path)).toEqual(rep.counterexampleRaws);
    const replay = await replcheck(["replay", join(out, "replcheck-counterexample-1.json"), ...target]);
    expect(replay.code, replay.out + replay.err).toBe(1);
  });

  it.skipIf(!haveRedis && !strict)(
    "redis-server, 2 clusters in one process: every scenario once, exit 0",
    {
      timeout: 600_000,
    },
    async () => {
      if (!haveRedis) throw new Error("REPLCHECK_STRICT is set but /usr/bin/redis-server is missing");
      const out = join(dir, "redis");
      const r = await replcheck([
        "run",
        "--target",
        "redis-server",
        "--seed",
        "3",
        "--runs",
        "4",
        "--steps",
        "6",
        "--concurrency",
        "2",
        "--out",
        out,
      ]);
      expect(r.code, r.out + r.err).toBe(0);
      expect([...paths(out)].sort()).toEqual(["0", "1", "2", "3"]);
    },
  );
});
