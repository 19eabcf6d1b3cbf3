// --shard i/n through the real CLI on the built-in target: bad values exit 2 before anything
// starts; the shards of one seed run disjoint sets of the seed's scenarios whose union is the
// unsharded run's; a shard's counterexample replays with --seed/--path alone (and its scenario file).

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runReplcheck } from "../support/replcheck-process.js";
import { afterAll, describe, expect, it } from "vitest";
import { inLane, inShard, laneScenarioIndex, parseShard, ShardError } from "../../harness/run/shard.js";
import { scenarioAtPath } from "../support/value-at-path.js";

const dir = mkdtempSync(join(tmpdir(), "replcheck-shard-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const replcheck = (args: string[]) => runReplcheck(args, dir);

const report = (out: string) => JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
const runIndexes = (out: string): number[] =>
  report(out)
    .scenarios.map((s: { path: string }) => Number(s.path))
    .sort((a: number, b: number) => a - b);

describe("shard arithmetic", () => {
  it("parses i/n and refuses what is not a shard", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect(parseShard(" 1 / 1 ")).toEqual({ index: 1, count: 1 });
    for (const bad of ["0/3", "4/3", "x", "1/0", "-1/3", "1.5/3", "3", ""])
      expect(() => parseShard(bad), bad).toThrow(ShardError);
  });

  it("every run index belongs to exactly one shard, and to one lane of it", () => {
    for (let count = 1; count <= 5; count++)
      for (let k = 0; k < 200; k++) {
        const shards = Array.from({ length: count }, (_, i) => ({ index: i + 1, count })).filter((s) => inShard(s, k));
        expect(shards).toHaveLength(1);
        for (let lanes = 1; lanes <= 3; lanes++) {
          const own = Array.from({ length: lanes }, (_, j) => j).filter((j) => inLane(shards[0], j, lanes, k));
          expect(own).toHaveLength(1);
        }
      }
  });

  it("a lane's m-th scenario is the m-th run index it selects", () => {
    const shard = { index: 2, count: 3 };
    for (let lane = 0; lane < 2; lane++) {
      const selected = Array.from({ length: 60 }, (_, k) => k).filter((k) => inLane(shard, lane, 2, k));
      expect(selected).toEqual(selected.map((_, m) => laneScenarioIndex(shard, lane, 2, m)));
    }
  });
});

describe("replcheck run --shard", () => {
  it("bad values exit 2 with a clear message, before anything starts", { timeout: 120_000 }, async () => {
    const cases: [string[], RegExp][] = [
      [["--shard", "0/3"], /--shard.*'0\/3' is invalid.*shard index i must be from 1 to 3/],
      [["--shard", "4/3"], /--shard.*'4\/3' is invalid.*shard index i must be from 1 to 3/],
      [["--shard", "x"], /--shard.*'x' is invalid.*Expected i\/n/],
      [["--shard", "1/0"], /shard count n must be at least 1/],
      [["--shard", "1/2", "--seed", "1", "--path", "3"], /--shard splits a campaign and --path replays one scenario/],
    ];
    const runs = await Promise.all(cases.map(([args]) => replcheck(["run", "--target", "builtin", ...args])));
    runs.forEach((r, i) => {
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(cases[i][1]);
      expect(r.out).not.toMatch(/scenarios,/);
    });
  });

  it("the shards of one seed run disjoint scenarios whose union is the unsharded run's", {
    timeout: 600_000,
  }, async () => {
    const common = [
      "run",
      "--target",
      "builtin",
      "--seed",
      "7",
      "--runs",
      "6",
      "--steps",
      "6",
      "-q",
      "--concurrency",
      "1",
    ];
    const outs = ["whole", "s1", "s2", "s3"].map((n) => join(dir, n));
    const runs = await Promise.all([
      replcheck([...common, "--out", outs[0]]),
      ...[1, 2, 3].map((i) => replcheck([...common, "--shard", `${i}/3`, "--out", outs[i]])),
    ]);
    for (const r of runs) expect(r.code, r.out + r.err).toBe(0);
    expect(runIndexes(outs[0])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(runIndexes(outs[1])).toEqual([0, 3]);
    expect(runIndexes(outs[2])).toEqual([1, 4]);
    expect(runIndexes(outs[3])).toEqual([2, 5]);
    expect(report(outs[2]).options.shard).toEqual({ index: 2, count: 3 });
  });

  it("a shard's counterexample replays with --seed/--path alone and from its scenario file", {
    timeout: 600_000,
  }, async () => {
    // The built-in server checked as Redis 6.2 diverges (MULTI/EXEC offsets, OFFSET-7): a real
    // divergence without planting anything. Shard 3/3 runs the seed's scenarios 2, 5, 8, ...
    const out = join(dir, "diverged");
    const target = ["--target", "builtin", "--profile", "redis-6.2"];
    // --no-targeted: the targeted MULTI/EXEC offsets scenario would diverge before any generated one.
    const r = await replcheck([
      "run",
      ...target,
      "--seed",
      "1",
      "--shard",
      "3/3",
      "--time-limit",
      "30s",
      "--out",
      out,
      "--no-targeted",
    ]);
    expect(r.code, r.out + r.err).toBe(1);
    const rep = report(out);
    const path = rep.path as string;
    expect(Number(path.split(":")[0]) % 3).toBe(2);
    // The printed rerun line has no --shard: the path addresses the scenario in the whole seed.
    const rerun = /^ {2}replcheck run (.*--path \S+.*)$/m.exec(r.out)?.[1];
    expect(rerun, r.out).toBeDefined();
    expect(rerun).not.toMatch(/--shard/);
    // --seed 1 --path P without --shard generates exactly the shard's counterexample.
    expect(scenarioAtPath(1, path)).toEqual(rep.counterexampleRaws);
    // The run index addresses the same scenario in the unsharded seed: it diverges there too, and
    // the scenario file replays the counterexample's steps.
    const [again, replay] = await Promise.all([
      replcheck(["run", ...target, "--seed", "1", "--path", path.split(":")[0], "--time-limit", "30s", "-q"]),
      replcheck(["replay", join(out, "replcheck-counterexample-1.json"), ...target]),
    ]);
    expect(again.code, again.out + again.err).toBe(1);
    expect(replay.code, replay.out + replay.err).toBe(1);
  });
});
