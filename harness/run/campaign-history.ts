// What a campaign did over time, for report.html: when each scenario run (generated or a shrink
// attempt) started and ended and how it ended, and, when asked for (`--html-all`), the step records
// of the last generated scenarios. The number kept is bounded so a long campaign's memory stays
// bounded: older scenarios are dropped and counted.
//
// The campaign records each run itself (CampaignOptions.history). Lanes in worker threads
// (--concurrency on the built-in target) cannot reach this object: for them the caller passes on
// what its onStep and onProgress saw (stepSeen, scenarioSeen), which gives end times only.

import type { ScenarioResult, StepRecord } from "./scenario-run.js";

/** How a scenario run ended: a ScenarioResult's status, or an exception (a harness or model error). */
export type ScenarioRunStatus = ScenarioResult["status"] | "error";

/** One scenario run of a campaign, timed from the history's start (the run's start). */
export interface ScenarioTiming {
  /** Generated scenarios explore; shrink attempts re-run smaller variants of a divergence. */
  phase: "explore" | "shrink";
  /** For a generated scenario: 0, 1, … in fast-check's order (report.json's scenario index). */
  index?: number;
  status: ScenarioRunStatus;
  /** Milliseconds since the history was created; unknown for a run seen only by its end (worker lanes). */
  startMs?: number;
  endMs: number;
  /** Steps with a record (checked, skipped or unknown). */
  steps: number;
}

/** What a kept scenario shows: how it ended and every step's prediction and observation. */
export type KeptResult = Pick<ScenarioResult, "status" | "reason" | "steps">;

/** A generated scenario kept with every step's prediction and observation. */
export interface KeptScenario {
  index: number;
  result: KeptResult;
}

/** A scenario run as the campaign reports it: wall-clock times (Date.now()), so lanes of one run share a clock. */
export interface ScenarioRun extends Omit<ScenarioTiming, "startMs" | "endMs"> {
  startedAt: number;
  endedAt: number;
}

/**
 * Records a campaign's scenario runs (CampaignOptions.history). Every run's timing is kept (a few
 * numbers each); the step records only of the last `keep` generated scenarios (0: none).
 */
export class CampaignHistory {
  /** In the order the runs ended. */
  readonly timings: ScenarioTiming[] = [];
  /** Generated scenarios whose steps were not kept (older than the last `keep`). */
  dropped = 0;
  private readonly ring: KeptScenario[] = [];
  /** The campaign records runs itself: what the caller's events show is already here. */
  private direct = false;
  private pending: StepRecord[] = [];

  constructor(
    /** How many of the last generated scenarios keep their steps (a whole number ≥ 0). */
    readonly keep: number,
    /** Wall-clock time the timings count from: the run's start. */
    readonly epoch: number = Date.now(),
  ) {
    if (!Number.isInteger(keep) || keep < 0)
      throw new RangeError(`CampaignHistory: keep must be a whole number ≥ 0, got ${keep}`);
  }

  /** A scenario run ended (the campaign calls this); `result` (a generated scenario's) is kept if the budget allows. */
  record(run: ScenarioRun, result?: ScenarioResult): void {
    this.direct = true;
    this.pending = [];
    const { startedAt, endedAt, ...rest } = run;
    this.add({ ...rest, startMs: startedAt - this.epoch, endMs: endedAt - this.epoch }, result);
  }

  /** A generated scenario's step as the caller's onStep saw it (kept until its scenario is seen to end). */
  stepSeen(step: StepRecord): void {
    if (!this.direct && this.keep > 0) this.pending.push(step);
  }

  /**
   * A generated scenario ended as the caller's onProgress saw it, at `endedAt`: recorded from the
   * events unless the campaign records runs itself. `index` is its run index (report.json's path).
   */
  scenarioSeen(seen: { index: number; status: ScenarioRunStatus; steps: number }, endedAt: number = Date.now()): void {
    const steps = this.pending;
    this.pending = [];
    if (this.direct) return;
    const timing: ScenarioTiming = {
      phase: "explore",
      index: seen.index,
      status: seen.status,
      endMs: endedAt - this.epoch,
      steps: seen.steps,
    };
    this.add(timing, seen.status === "error" ? undefined : { status: seen.status, steps });
  }

  /** The kept scenarios, oldest first. */
  kept(): readonly KeptScenario[] {
    return this.ring;
  }

  private add(timing: ScenarioTiming, result: KeptResult | undefined): void {
    this.timings.push(timing);
    if (timing.phase !== "explore" || timing.index === undefined || result === undefined) return;
    if (this.keep === 0) {
      this.dropped++;
      return;
    }
    this.ring.push({ index: timing.index, result });
    if (this.ring.length > this.keep) {
      this.ring.shift();
      this.dropped++;
    }
  }
}
