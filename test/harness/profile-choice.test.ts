// A server whose INFO server names a version without a profile: the run cannot start (the CLI's
// exit 2) with the list of profiles, unless --profile chooses one. The builtin server is made to
// report Redis 8.0.0 from the test side.

import { describe, expect, it } from "vitest";
import { runCampaign } from "../../harness/run/campaign.js";
import { runConfig } from "../../harness/run/defaults.js";
import { runScenario, type RunConfig } from "../../harness/run/scenario-run.js";
import { TARGETED_SCENARIOS } from "../../harness/scenario/targeted.js";
import { createBuiltinTarget } from "../../harness/targets/builtin.js";
import { TargetUnavailable } from "../../harness/targets/target.js";
import { PROFILES } from "../../model/profile.js";

/** Builtin nodes whose INFO server says redis_version:8.0.0 and nothing of replcheck. */
const redis8 = (extra: Partial<Omit<RunConfig, "makeTarget">> = {}): RunConfig =>
  runConfig(
    () =>
      createBuiltinTarget({
        onStart: (s) => {
          const lines = s.server.info
            .render(["server"])
            .split("\r\n")
            .filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("replcheck_version:"))
            .map((l) => (l.startsWith("redis_version:") ? "redis_version:8.0.0" : l));
          s.server.info.setProvider("server", () => lines);
        },
      }),
    { replicas: 1, ...extra },
  );

describe("a version without a profile", () => {
  it("a scenario cannot start: TargetUnavailable naming the version and listing every profile and --profile", {
    timeout: 120_000,
  }, async () => {
    const e = await runScenario(redis8(), null, TARGETED_SCENARIOS[0].steps.slice(0, 1)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TargetUnavailable);
    expect((e as TargetUnavailable).message).toMatch(/Redis 8\.0\.0/);
    expect((e as TargetUnavailable).hint).toMatch(/--profile NAME/);
    for (const p of Object.values(PROFILES)) expect((e as TargetUnavailable).hint).toContain(p.id);
  });

  it("a campaign ends with it too, not with an error of a scenario", { timeout: 120_000 }, async () => {
    await expect(runCampaign({ ...redis8(), runs: 3, maxSteps: 3, seed: 1 })).rejects.toBeInstanceOf(TargetUnavailable);
  });

  it("with an explicit profile the scenario runs against it", { timeout: 120_000 }, async () => {
    const s = TARGETED_SCENARIOS[0];
    const result = await runScenario(redis8({ profile: "redis-7.0", replicas: s.replicas }), null, s.steps);
    expect(result.profile).toBe("Redis 7.0 (Redis 8.0.0, chosen with --profile redis-7.0)");
    expect(result.status).toBe("passed");
  });
});
