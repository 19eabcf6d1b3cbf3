// The exit-code contract (harness/cli/exit-codes.ts) from results: every code, and which wins.
// test/harness/cli.test.ts checks the codes of real `replcheck` processes.

import { describe, expect, it } from "vitest";
import {
  campaignVerdict,
  EXIT_CANNOT_START,
  EXIT_DIVERGED,
  EXIT_INCONCLUSIVE,
  EXIT_OK,
  EXIT_SIGINT,
  EXIT_SIGTERM,
  scenarioVerdict,
} from "../../harness/cli/exit-codes.js";
import type { CampaignResult } from "../../harness/run/campaign.js";
import type { ScenarioResult, StepRecord } from "../../harness/run/scenario-run.js";

const step = (extra: Partial<StepRecord> = {}): StepRecord => ({
  index: 1,
  step: { action: { kind: "save", node: "n0" } },
  description: "n0: SAVE",
  outcomes: 1,
  chosen: 0,
  path: [],
  checks: [],
  failures: [],
  predicted: {},
  observed: {},
  syncs: [],
  notes: [],
  settleMs: 0,
  ...extra,
});

const scenario = (status: ScenarioResult["status"], steps: StepRecord[]): ScenarioResult => ({
  status,
  steps,
  executed: [],
  profile: "Redis 7.0 (7.0.15)",
  target: "test",
});

const campaign = (extra: Partial<CampaignResult> = {}): CampaignResult => ({
  runs: 10,
  steps: 120,
  failures: 0,
  inconclusive: 0,
  shrinking: false,
  elapsedMs: 1000,
  seed: 42,
  rules: new Map(),
  inconclusiveReasons: [],
  interrupted: false,
  ...extra,
});

describe("campaign verdicts", () => {
  it("0: every check held and steps were checked", () => {
    expect(campaignVerdict(campaign()).code).toBe(EXIT_OK);
    // Some inconclusive scenarios do not take the verdict away from the others.
    expect(campaignVerdict(campaign({ inconclusive: 9 })).code).toBe(EXIT_OK);
  });
  it("1: a divergence (with its counterexample)", () => {
    const v = campaignVerdict(campaign({ failures: 1, path: "3:1", counterexample: scenario("diverged", [step()]) }));
    expect(v).toEqual({ code: EXIT_DIVERGED, why: "a divergence from the model was found" });
  });
  it("3: nothing checked, every scenario inconclusive, or a scenario failed with an error", () => {
    expect(campaignVerdict(campaign({ runs: 0, steps: 0 })).code).toBe(EXIT_INCONCLUSIVE);
    expect(campaignVerdict(campaign({ runs: 3, steps: 0 })).why).toMatch(/nothing was checked/);
    expect(campaignVerdict(campaign({ runs: 4, steps: 9, inconclusive: 4 })).why).toMatch(
      /every scenario \(4\) was inconclusive/,
    );
    expect(campaignVerdict(campaign({ failures: 1, error: "TypeError: x is undefined" })).code).toBe(EXIT_INCONCLUSIVE);
  });
  it("130/143: the interrupt wins, whatever was found before it", () => {
    expect(campaignVerdict(campaign(), "SIGINT")).toEqual({
      code: EXIT_SIGINT,
      why: "interrupted by SIGINT after 10 scenarios",
    });
    expect(
      campaignVerdict(
        campaign({ failures: 1, counterexample: scenario("diverged", [step()]), interrupted: true }),
        "SIGTERM",
      ).code,
    ).toBe(EXIT_SIGTERM);
  });
  it("2 is never a campaign verdict: it is for runs that could not start", () => {
    const all = [
      campaign(),
      campaign({ steps: 0 }),
      campaign({ error: "e" }),
      campaign({ counterexample: scenario("diverged", []) }),
    ];
    expect(all.map((r) => campaignVerdict(r).code)).not.toContain(EXIT_CANNOT_START);
  });
});

describe("replay verdicts", () => {
  it("0 passed with checked steps, 1 diverged, 3 inconclusive or nothing checked or a step not applied, 130/143 interrupted", () => {
    expect(scenarioVerdict(scenario("passed", [step(), step()]))).toEqual({
      code: EXIT_OK,
      why: "every check held (2 steps)",
    });
    expect(scenarioVerdict(scenario("diverged", [step()])).code).toBe(EXIT_DIVERGED);
    expect(scenarioVerdict(scenario("inconclusive", [step({ unknown: "no reply" })])).code).toBe(EXIT_INCONCLUSIVE);
    expect(scenarioVerdict(scenario("passed", [])).why).toMatch(/nothing was checked/);
    expect(scenarioVerdict(scenario("passed", [step(), step({ skipped: "not modelled" })])).why).toMatch(
      /1 step the model does not cover was not applied/,
    );
    expect(scenarioVerdict(scenario("interrupted", [step()]), "SIGINT")).toEqual({
      code: EXIT_SIGINT,
      why: "interrupted after 1 step",
    });
    expect(scenarioVerdict(scenario("passed", [step()]), "SIGTERM").code).toBe(EXIT_SIGTERM);
  });
});
