// A lane of a --concurrency campaign: one sequential campaign (its own fast-check run over the
// seed, its own clusters) that runs every N-th scenario of the shard (run/shard.ts). Lanes run in
// this process (targets whose nodes are other processes) or in a worker thread (parallel-worker.ts).

import type { CampaignOptions, CampaignProgress, CampaignResult } from "./campaign.js";
import type { StepRecord } from "./scenario-run.js";
import type { Target } from "../targets/target.js";
import { inLane, type Shard } from "./shard.js";
import { runCampaign } from "./campaign.js";

/** What a lane reports while it runs, in the order it happens in that lane. */
export interface LaneEvents {
  step(record: StepRecord): void;
  progress(progress: CampaignProgress): void;
  /** A target made for one of the lane's scenarios (in-process lanes only: a worker's stay there). */
  targetMade?(target: Target): void;
}

/** A running lane: its result, and a way to stop it (no new scenario; the running one stops between steps). */
export interface Lane {
  readonly result: Promise<CampaignResult>;
  stop(): void;
}

/** Where a lane sits in the split: lane `lane` of `lanes` in `shard`. */
export interface LanePlace {
  shard: Shard;
  lane: number;
  lanes: number;
}

/**
 * A lane in this process. `options` is the whole campaign's (its signal is the user's); the lane
 * adds its own stop, its scenario selection and its event hooks.
 */
export function startLocalLane(options: CampaignOptions, place: LanePlace, events: LaneEvents): Lane {
  const stop = new AbortController();
  const signal = options.signal === undefined ? stop.signal : AbortSignal.any([options.signal, stop.signal]);
  const makeTarget = () => {
    const made = options.makeTarget();
    made.then(
      (t) => events.targetMade?.(t),
      () => {},
    );
    return made;
  };
  const result = runCampaign({
    ...options,
    makeTarget,
    signal,
    select: (k) => inLane(place.shard, place.lane, place.lanes, k),
    onStep: (r) => events.step(r),
    onProgress: (p) => events.progress(p),
  });
  return { result, stop: () => stop.abort() };
}
