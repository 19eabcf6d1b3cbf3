// Every container target registers here, so that an interrupted run (Ctrl-C, SIGTERM, an exit
// without stopAll) leaves no container or network behind: a registration is one entry of the
// cleanup registry (cleanup.ts, which owns the signal and exit handlers). Containers are removed by
// their session label, never by name.
//
// The removal is synchronous (the cleanup registry's handlers cannot wait for the runtime API): it
// runs container-reap-main.ts in a child process with spawnSync, once for the whole session however
// many container targets are registered. The reaper (harness/reaper) is told the session too: it
// removes the containers if this process is killed without a chance to run any handler (SIGKILL).

import { spawnSync } from "node:child_process";
import { forgetContainers, reapContainers } from "../reaper/reaper.js";
import { registerCleanup, type CleanupRegistration } from "./cleanup.js";
import { SESSION_ID } from "./container-labels.js";
import { ownScriptArgs } from "../util/own-script.js";

export type ContainerRegistration = CleanupRegistration;

/** Container targets registered and not released. */
let live = 0;
/** This session's containers were removed since the last registration: the other entries need not run the helper again. */
let sessionRemoved = false;

/**
 * `engineSocket`: the container engine's unix socket, so that the reaper can remove this session's
 * containers and networks through its API should this process be SIGKILLed.
 */
export function registerContainerTarget(
  options: { removeOnInterrupt?: string; engineSocket?: string } = {},
): ContainerRegistration {
  live++;
  sessionRemoved = false;
  const cleanup = registerCleanup({
    killNow: removeSessionNow,
    ...(options.removeOnInterrupt === undefined ? {} : { removeOnInterrupt: options.removeOnInterrupt }),
  });
  if (options.engineSocket !== undefined) reapContainers(SESSION_ID, options.engineSocket);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      cleanup.release();
      // The last one's stopAll removed the containers and the network: nothing left to watch.
      if (--live === 0) forgetContainers(SESSION_ID);
    },
  };
}

/** Synchronous: removes every container and network of this process's session. */
function removeSessionNow(): void {
  if (sessionRemoved) return;
  sessionRemoved = true;
  const result = spawnSync(process.execPath, [...ownScriptArgs(import.meta.url, "container-reap-main"), SESSION_ID], {
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 60_000,
  });
  // Done: the reaper need not try again. Failed: it tries again once this process is gone.
  if (result.status === 0) forgetContainers(SESSION_ID);
  else {
    const why = result.error?.message ?? (result.stderr.toString().trim() || `exit ${result.status ?? result.signal}`);
    process.stderr.write(
      `replcheck: could not remove the containers and networks labelled org.replcheck.session=${SESSION_ID}: ${why}\n`,
    );
  }
}
