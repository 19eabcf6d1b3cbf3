// The messages between the main thread and a lane's worker thread (parallel-worker.ts). Everything
// crosses by structured clone: plain data and Maps, no functions.

import type { ProfileId } from "../../model/index.js";
import type { TargetMakeOptions } from "../targets/target.js";
import type { CampaignOptions, CampaignProgress, CampaignResult } from "./campaign.js";
import type { LanePlace } from "./parallel-lane.js";
import type { StepRecord } from "./scenario-run.js";

/** The campaign options a worker can receive: everything but functions and the signal. */
export type LaneCampaignOptions = Omit<
  CampaignOptions,
  "makeTarget" | "signal" | "select" | "onStep" | "onProgress" | "timeLimitMs"
>;

/** A worker's start-up data. */
export interface LaneWorkerData {
  /** The --target value; the worker makes its own targets from it. */
  target: string;
  make: TargetMakeOptions;
  options: LaneCampaignOptions;
  /** Epoch milliseconds when the whole run's time limit ends (workers start later than the run). */
  deadline?: number;
  place: LanePlace;
}

/** Main thread → worker. */
export type ToWorker = { type: "stop" };

/** Worker → main thread. */
export type FromWorker =
  | { type: "step"; record: StepRecord }
  | { type: "progress"; progress: CampaignProgress }
  /** The coverage's profile holds functions: it crosses as its id (the main thread looks it up). */
  | { type: "result"; result: Omit<CampaignResult, "coverage">; coverage?: ClonedCoverage }
  | { type: "error"; message: string; stack?: string; hint?: string; unavailable: boolean };

/** A Coverage that structured clone can carry. */
export interface ClonedCoverage {
  counts: NonNullable<CampaignResult["coverage"]>["counts"];
  profile?: ProfileId;
}
