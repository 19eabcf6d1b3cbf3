// The run defaults have one source (harness/run/defaults.ts): the CLI's options, the vitest entry,
// the benchmarks and the tests take them from there.

import { describe, expect, it } from "vitest";
import { replicasOption, targetOption } from "../../harness/cli/options.js";
import { campaignConfig, RUN_DEFAULTS, runConfig } from "../../harness/run/defaults.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";

describe("run defaults", () => {
  it("runConfig: the defaults and the deterministic node config", () => {
    const config = runConfig("builtin");
    expect(config).toMatchObject({
      replicas: 2,
      commandTimeoutMs: 5000,
      settleDeadlineMs: 5000,
      checkpointEvery: 5,
      nodeConfig: deterministicConfig(),
    });
    expect(config).not.toHaveProperty("profile");
  });

  it("runConfig: a given override replaces its field, an undefined one keeps the default", () => {
    const config = runConfig("builtin", { replicas: 0, settleDeadlineMs: 2000, profile: undefined, signal: undefined });
    expect(config).toMatchObject({
      replicas: 0,
      settleDeadlineMs: 2000,
      commandTimeoutMs: RUN_DEFAULTS.commandTimeoutMs,
    });
    expect(config).not.toHaveProperty("profile");
    expect(runConfig("builtin", { nodeConfig: { hz: "10" } }).nodeConfig).toEqual({ hz: "10" });
  });

  it("runConfig: a target value is parsed at once (a bad one throws), a function is used as is", async () => {
    expect(() => runConfig("nonsense")).toThrow(/unknown target/);
    const make = async () => {
      throw new Error("not called here");
    };
    expect(runConfig(make).makeTarget).toBe(make);
    const target = await runConfig("builtin").makeTarget();
    try {
      expect(target.kind).toBe("builtin");
    } finally {
      await target.stopAll();
    }
  });

  it("campaignConfig: the run defaults plus runs and steps, and no time limit unless given", () => {
    const config = campaignConfig("builtin", { seed: 1, path: undefined });
    expect(config).toMatchObject({
      runs: RUN_DEFAULTS.runs,
      maxSteps: RUN_DEFAULTS.steps,
      seed: 1,
      replicas: RUN_DEFAULTS.replicas,
    });
    expect(config).not.toHaveProperty("timeLimitMs");
    expect(config).not.toHaveProperty("path");
    expect(campaignConfig("builtin", { timeLimitMs: 1000 }).timeLimitMs).toBe(1000);
  });

  it("the CLI's defaults are the run defaults", () => {
    expect(targetOption().defaultValue).toBe(RUN_DEFAULTS.target);
    expect(replicasOption().defaultValue).toBe(RUN_DEFAULTS.replicas);
    expect(RUN_DEFAULTS).toMatchObject({ runs: 100_000, steps: 30, timeLimitMs: 60_000 });
  });
});
