// The targeted phase of a run (harness/run/targeted-phase.ts): the hand-written scenarios run
// before the generated ones on the built-in server, per shard, skipped by family choice, and a
// divergence in one of them is the run's counterexample — found in seconds, not shrunk, with no
// generated scenario run after it.

import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { campaignVerdict, EXIT_DIVERGED, EXIT_OK } from "../../harness/cli/exit-codes.js";
import { junitXml } from "../../harness/report/junit.js";
import { runReportErrors } from "../../harness/report/report-validation.js";
import { runReport } from "../../harness/report/run-report.js";
import { campaignConfig } from "../../harness/run/defaults.js";
import { runSplitCampaign } from "../../harness/run/parallel-campaign.js";
import { runTargetedPhase } from "../../harness/run/targeted-phase.js";
import { TARGETED_SCENARIOS } from "../../harness/scenario/targeted.js";
import { createBuiltinTarget } from "../../harness/targets/builtin.js";
import { parseTarget } from "../../harness/targets/parse.js";

const config = (overrides: Parameters<typeof campaignConfig>[1] = {}) =>
  campaignConfig(() => createBuiltinTarget(), { runs: 2, maxSteps: 5, seed: 7, targeted: true, ...overrides });

describe("targeted scenarios before the campaign", () => {
  it("run first, all of them, and add their checks to the rule statistics and coverage", {
    timeout: 180_000,
  }, async () => {
    const result = await runSplitCampaign(config(), {});
    const outcomes = result.targeted!.outcomes;
    expect(outcomes.map((o) => o.name)).toEqual(TARGETED_SCENARIOS.map((s) => s.name));
    expect(outcomes.filter((o) => o.status !== "passed")).toEqual([]);
    expect(result.targeted!.steps).toBe(TARGETED_SCENARIOS.reduce((n, s) => n + s.steps.length, 0));
    // The two generated scenarios ran after them, and the verdict counts both.
    expect(result.runs).toBe(2);
    expect(campaignVerdict(result)).toMatchObject({ code: EXIT_OK });
    expect(campaignVerdict(result).why).toContain(`after ${TARGETED_SCENARIOS.length} targeted scenarios`);
    // WAIT-3 is checked by the targeted WAIT scenario whatever the two generated ones drew.
    const waitChecks = result.rules.get("WAIT-3")?.checked ?? 0;
    expect(waitChecks).toBeGreaterThan(0);
    expect([...(result.coverage?.counts.get("WAIT-3")?.keys() ?? [])]).toContain("blocks-until-acks-or-timeout");
  });

  it("a shard runs the targeted scenarios k with k mod n = i - 1; a family left out skips them with the reason", {
    timeout: 180_000,
  }, async () => {
    const result = await runSplitCampaign(config({ runs: 1, families: { skip: ["crash"] } }), {
      shard: { index: 2, count: 3 },
    });
    const outcomes = result.targeted!.outcomes;
    expect(outcomes.map((o) => o.index)).toEqual(TARGETED_SCENARIOS.map((_, k) => k).filter((k) => k % 3 === 1));
    for (const o of outcomes) {
      const usesCrash = TARGETED_SCENARIOS[o.index].steps.some((s) => s.action.kind === "crash");
      expect(o.status, o.name).toBe(usesCrash ? "skipped" : "passed");
      if (usesCrash) expect(o.reason).toBe("uses crash, which this run leaves out");
    }
    // JUnit lists every targeted scenario, the other shards' as skipped.
    const xml = junitXml(result, undefined);
    expect(xml.match(/classname="replcheck\.targeted"/g)).toHaveLength(TARGETED_SCENARIOS.length);
    expect(xml.match(/not run: another shard's/g)).toHaveLength(TARGETED_SCENARIOS.length - outcomes.length);
  });

  it("a divergence in a targeted scenario is the counterexample; no generated scenario runs", {
    timeout: 180_000,
  }, async () => {
    // A master whose replication ids never shift on promotion (REPLID-4): the failover scenario catches it.
    const broken = () =>
      createBuiltinTarget({
        onStart: (s) => {
          const ids = s.replication.ids;
          ids.shift = (offset: number) => {
            ids.replid2 = ids.replid;
            ids.secondOffset = offset + 1;
          };
        },
      });
    const started = Date.now();
    const result = await runSplitCampaign(
      campaignConfig(broken, { runs: 50, maxSteps: 5, seed: 7, targeted: true, reproductions: 1 }),
      {},
    );
    expect(result.runs).toBe(0);
    expect(result.counterexample?.status).toBe("diverged");
    const failover = result.targeted!.outcomes.find((o) => o.name.startsWith("failover:"))!;
    expect(failover.status).toBe("diverged");
    // The phase stops at its first divergence: every later scenario is listed, not run.
    const later = result.targeted!.outcomes.filter((o) => o.index > failover.index);
    expect(later).toHaveLength(TARGETED_SCENARIOS.length - failover.index - 1);
    expect(new Set(later.map((o) => `${o.status}: ${o.reason}`))).toEqual(
      new Set(["skipped: not run: an earlier targeted scenario diverged"]),
    );
    const failedRules = result.counterexample!.steps.flatMap((s) =>
      s.failures.flatMap((f) => [f.rule, ...(f.also ?? [])]),
    );
    expect(failedRules).toContain("REPLID-4");
    expect(result.reproduced).toEqual({ diverged: 1, of: 1, requested: 1 });
    expect(campaignVerdict(result).code).toBe(EXIT_DIVERGED);
    // report.json with the targeted outcomes is valid against the shipped schema.
    const report = runReport(
      result,
      campaignVerdict(result),
      { target: "builtin", runs: 50, timeLimit: 60_000, replicas: 2, steps: 5 },
      new Date(started),
      [],
    );
    expect(runReportErrors(JSON.parse(JSON.stringify(report)))).toEqual([]);
    expect(junitXml(result, "COUNTEREXAMPLE")).toMatch(
      /classname="replcheck\.targeted" name="[^"]*failover:[^"]*">\n\s*<failure [^>]*>COUNTEREXAMPLE<\/failure>/,
    );
  });

  it("is never run when a --path replays one generated scenario", { timeout: 60_000 }, async () => {
    const result = await runSplitCampaign(config({ runs: 1, path: "0" }), {});
    expect(result.targeted).toBeUndefined();
  });
});

describe.runIf(existsSync("/usr/bin/redis-server"))("targeted scenarios a made target cannot carry out", () => {
  it("are skipped with the reason when the capabilities were not known beforehand (a function target)", {
    timeout: 120_000,
  }, async () => {
    // A timer step needs the clock; redis-server has it only with --timers, and a function target
    // says what it can do only once made, so the phase learns it from the step itself.
    const ttl = TARGETED_SCENARIOS.filter((s) => s.steps.some((st) => st.action.kind === "backlog-ttl-expired"));
    expect(ttl).toHaveLength(1);
    const phase = await runTargetedPhase(
      campaignConfig(() => parseTarget("redis-server").make({}), { runs: 1, targeted: true }),
      undefined,
      ttl,
    );
    expect(phase.error).toBeUndefined();
    expect(phase.outcomes).toHaveLength(1);
    expect(phase.outcomes[0].status).toBe("skipped");
    expect(phase.outcomes[0].reason).toMatch(/cannot make them elapse on demand/);
  });

  it("the API's runCampaign on a named target skips it before running, from the target's capabilities", {
    timeout: 180_000,
  }, async () => {
    const { runCampaign } = await import("../../harness/api.js");
    const { result, verdict } = await runCampaign({ target: "redis-server", runs: 1, steps: 3, seed: 3 });
    expect(verdict.code, verdict.why).toBe(0);
    const ttl = result.targeted!.outcomes.find((o) => o.name.includes("repl-backlog-ttl"))!;
    expect(ttl).toMatchObject({ status: "skipped", reason: "needs making a node's timers elapse on demand" });
  });
});
