// Starts a lane in a worker thread (parallel-worker.ts) and turns its messages back into lane
// events. A source checkout runs TypeScript through tsx, whose loader a worker does not inherit:
// the worker then registers it itself before it loads the lane module.

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { getProfile } from "../../model/profile.js";
import { TargetUnavailable } from "../targets/target.js";
import type { CampaignResult } from "./campaign.js";
import type { Lane, LaneEvents } from "./parallel-lane.js";
import type { FromWorker, LaneWorkerData, ToWorker } from "./parallel-worker-protocol.js";

function startWorker(data: LaneWorkerData): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = new URL(fromSource ? "./parallel-worker.ts" : "./parallel-worker.js", import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: data });
  // import.meta.resolve is missing where tsx compiles this module to CommonJS.
  const tsx =
    typeof import.meta.resolve === "function"
      ? import.meta.resolve("tsx/esm/api")
      : pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href;
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}

/** A lane in its own worker thread; its targets are made there from `data.target`. */
export function startWorkerLane(data: LaneWorkerData, events: LaneEvents): Lane {
  const worker = startWorker(data);
  const send = (m: ToWorker) => worker.postMessage(m);
  let stopped = false;
  const result = new Promise<CampaignResult>((resolve, reject) => {
    let settled = false;
    worker.on("message", (m: FromWorker) => {
      switch (m.type) {
        case "step":
          events.step(m.record);
          break;
        case "progress":
          events.progress(m.progress);
          break;
        case "result":
          settled = true;
          resolve({
            ...m.result,
            ...(m.coverage === undefined
              ? {}
              : {
                  coverage: {
                    counts: m.coverage.counts,
                    ...(m.coverage.profile === undefined ? {} : { profile: getProfile(m.coverage.profile) }),
                  },
                }),
          });
          break;
        case "error": {
          settled = true;
          const e = m.unavailable ? new TargetUnavailable(m.message, m.hint ?? "") : new Error(m.message);
          if (m.stack !== undefined && !m.unavailable)
            e.stack = `${m.stack}\n    (in the worker thread of lane ${data.place.lane})`;
          reject(e);
          break;
        }
      }
    });
    worker.on("error", (e) => {
      settled = true;
      reject(e);
    });
    worker.on("exit", (code) => {
      if (!settled)
        reject(new Error(`the worker thread of lane ${data.place.lane} exited (code ${code}) without a result`));
    });
  });
  // The worker ends by itself after its result; terminate only one that is still there.
  result.then(
    () => worker.terminate(),
    () => worker.terminate(),
  );
  return {
    result,
    stop: () => {
      if (stopped) return;
      stopped = true;
      send({ type: "stop" });
    },
  };
}
