// --skip/--only: a run draws only from the chosen step families, and bad choices stop before
// anything starts.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeScenarioFile } from "../../harness/report/scenario-file.js";
import { TARGETED_SCENARIOS } from "../../harness/scenario/targeted.js";
import { familyOf } from "../../harness/steps/actions.js";
import { chosenFamilies, FAMILY_NAMES, type Family } from "../../harness/steps/families.js";
import { GENERATORS, NoStepsChosen, rawStep, scenarioArbitrary } from "../../harness/steps/generators.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";

const BIN = resolve(import.meta.dirname, "../../bin/replcheck.js");
const replcheck = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 300_000 });

describe("step families", () => {
  it("every family has a generator, and every generator a family", () => {
    const generated = new Set(Object.values(GENERATORS).map((g) => g.family));
    expect([...generated].sort()).toEqual([...FAMILY_NAMES].sort());
  });

  it("--skip removes families, --only keeps just those", () => {
    expect(chosenFamilies()).toEqual(FAMILY_NAMES);
    expect(chosenFamilies({ skip: ["restarts", "wait"] })).toEqual(
      FAMILY_NAMES.filter((f) => f !== "restarts" && f !== "wait"),
    );
    expect(chosenFamilies({ only: ["wait", "writes"] })).toEqual(["writes", "wait"]);
    expect(chosenFamilies({ skip: FAMILY_NAMES })).toEqual([]);
  });

  it("generated scenarios hold only steps of the chosen families", () => {
    const only: Family[] = ["writes", "link-faults"];
    for (const scenario of fc.sample(scenarioArbitrary(3, 30, { only }), { numRuns: 200, seed: 1 })) {
      for (const raw of scenario) expect(only).toContain(GENERATORS[raw.t].family);
    }
    const skipped = fc.sample(scenarioArbitrary(3, 30, { skip: ["writes", "restarts"] }), { numRuns: 200, seed: 2 });
    const families = new Set(skipped.flat().map((raw) => GENERATORS[raw.t].family));
    expect(families.has("writes")).toBe(false);
    expect(families.has("restarts")).toBe(false);
    expect(families.has("reads")).toBe(true);
  });

  it("a choice that leaves nothing is refused", () => {
    expect(() => rawStep(3, [])).toThrow(NoStepsChosen);
  });

  it("each targeted scenario's steps name their families (attaching replicas belongs to none)", () => {
    const seen = new Set<Family>();
    for (const s of TARGETED_SCENARIOS)
      for (const step of s.steps) {
        const f = familyOf(step.action);
        if (f !== undefined) seen.add(f);
      }
    expect(seen.has("link-faults")).toBe(true);
    expect(seen.has("failover")).toBe(true);
  });
});

describe("--skip/--only on the command line", () => {
  it.each([
    [["--skip", "bogus"], /unknown step family "bogus": one of writes, reads/],
    [["--skip", "wait", "--only", "writes"], /cannot be used with/],
    [["--skip", FAMILY_NAMES.join(",")], /leaves no step family to generate/],
    [["--only", ""], /expected family names/],
  ])("refuses %j with exit 2 before starting", (args, message) => {
    const r = replcheck(["run", ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("runs only WAIT steps with --only wait (after attaching the replicas)", () => {
    const r = replcheck(["run", "--only", "wait", "--runs", "3", "--steps", "6", "--seed", "11", "--verbose"]);
    expect(r.status, r.stderr).toBe(0);
    const steps = [...r.stderr.matchAll(/^ {2}\d+\. (.*)$/gm)].map((m) => m[1]);
    const generated = steps.filter((s) => !/^n\d: REPLICAOF n0$/.test(s));
    expect(generated.length).toBeGreaterThan(0);
    for (const s of generated) expect(s).toMatch(/^n\d: WAIT \d+ \d+$/);
  });
});

describe("timer steps and the clock capability", () => {
  it("are generated only for a target that makes its timers elapse on demand", () => {
    const drawn = (clock: boolean) =>
      new Set(
        fc
          .sample(scenarioArbitrary(3, 30, { only: ["timers"], capabilities: { clock } }), { numRuns: 50, seed: 3 })
          .flat()
          .map((raw) => raw.t),
      );
    expect(drawn(true)).toEqual(new Set(["timer"]));
    expect(() => rawStep(3, ["timers"], { clock: false })).toThrow(NoStepsChosen);
    expect(() => rawStep(3, ["timers"])).toThrow(NoStepsChosen);
  });

  const scenario = (dir: string): string => {
    const file = join(dir, "timers.json");
    writeScenarioFile(file, {
      replicas: 1,
      nodeConfig: deterministicConfig(),
      origin: {},
      steps: [
        { action: { kind: "replicaof", node: "n1", master: "n0" } },
        { action: { kind: "ping-tick", node: "n0" } },
        { action: { kind: "repl-timeout", replica: "n1" } },
        { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "k", "v"], now: 0 } },
      ],
    });
    return file;
  };

  it("replay on the built-in server: the cron's PING and a repl-timeout, checked against the model", () => {
    const dir = mkdtempSync(join(tmpdir(), "replcheck-timers-"));
    try {
      const r = replcheck(["replay", scenario(dir), "--target", "builtin"]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain("replication cron PING");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("replay on a target without the clock capability exits 2 before starting, naming the step", () => {
    const dir = mkdtempSync(join(tmpdir(), "replcheck-timers-"));
    try {
      const r = replcheck(["replay", scenario(dir), "--target", "binary:/nonexistent/server"]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("steps[1] (ping-tick) needs making a node's timers elapse on demand");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
