// A lane's worker thread (parallel-worker-lane.ts starts it): the built-in target's nodes live in
// the thread that made them, so each lane gets its own event loop and one cluster's CPU use does
// not delay another's replies. Runs one lane campaign and reports its steps, progress and result.

import { parentPort, workerData } from "node:worker_threads";
import { parseTarget } from "../targets/parse.js";
import { TargetUnavailable } from "../targets/target.js";
import { runCampaign } from "./campaign.js";
import { inLane } from "./shard.js";
import type { FromWorker, LaneWorkerData, ToWorker } from "./parallel-worker-protocol.js";

const port = parentPort;
if (port === null) throw new Error("parallel-worker.ts runs as a worker thread (see parallel-worker-lane.ts)");
const data = workerData as LaneWorkerData;
const post = (m: FromWorker) => port.postMessage(m);
const stop = new AbortController();
port.on("message", (m: ToWorker) => {
  if (m.type === "stop") stop.abort();
});

/**
 * The run's time left, in whole multiples of 20 ms: the time budget takes 5 % and 20 % of it, and
 * AbortSignal.timeout accepts only whole milliseconds.
 */
const remaining = (deadline: number): number => Math.max(20, Math.floor((deadline - Date.now()) / 20) * 20);

try {
  const choice = parseTarget(data.target);
  const { shard, lane, lanes } = data.place;
  const result = await runCampaign({
    ...data.options,
    makeTarget: () => choice.make(data.make),
    ...(data.deadline === undefined ? {} : { timeLimitMs: remaining(data.deadline) }),
    signal: stop.signal,
    select: (k) => inLane(shard, lane, lanes, k),
    onStep: (record) => post({ type: "step", record }),
    onProgress: (progress) => post({ type: "progress", progress }),
  });
  const { coverage, ...plain } = result;
  post({
    type: "result",
    result: plain,
    ...(coverage === undefined ? {} : { coverage: { counts: coverage.counts, profile: coverage.profile?.id } }),
  });
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  post({
    type: "error",
    message: err.message,
    ...(err.stack === undefined ? {} : { stack: err.stack }),
    ...(e instanceof TargetUnavailable ? { hint: e.hint } : {}),
    unavailable: e instanceof TargetUnavailable,
  });
}
port.close();
