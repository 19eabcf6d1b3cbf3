// `replicationConformanceSuite({ timers: true })` in a real vitest run (a child process with a
// project of its own): on redis-server the generated campaign then draws timer steps, which wait for
// real timers, and passes. With only the timers family chosen, a suite that did not pass `timers`
// on would have no step to draw and fail. Only the campaign runs (-t).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runVitestChild, suiteSpec } from "../support/vitest-child.js";
import { announceLiveRedis, redisAvailable } from "./live-redis.js";

announceLiveRedis("replicationConformanceSuite({ timers })");

const project = mkdtempSync(join(tmpdir(), "replcheck-vitest-timers-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe.runIf(redisAvailable)("replicationConformanceSuite({ timers: true }) on redis-server", () => {
  it("runs a campaign of timer steps that conforms", { timeout: 320_000 }, () => {
    suiteSpec(
      project,
      "timers.spec.ts",
      `{ target: "redis-server", timers: true, only: ["timers"], runs: 3, steps: 6, replicas: 1, seed: 7 }`,
    );
    const tests = runVitestChild(project, "generated scenarios", 300_000);
    const campaign = tests.find((t) => t.title.startsWith("generated scenarios"));
    expect(campaign?.status, campaign?.failureMessages.join("\n")).toBe("passed");
  });
});
