// Every server process a target starts is registered here, so that an interrupted run (Ctrl-C,
// SIGTERM, an exit without stopAll) does not leave servers behind: a registration is one entry of
// the cleanup registry (cleanup.ts, which owns the signal and exit handlers), killing its live
// processes by their ChildProcess handle (pid, with their process group), never by name. The
// reaper (harness/reaper) is told every process too: it kills them if this process is SIGKILLed.

import type { ChildProcess } from "node:child_process";
import { forgetProcess, forgetServersIn, reapProcess, reapServersIn, startReaper } from "../reaper/reaper.js";
import { registerCleanup } from "./cleanup.js";
import { killNow } from "./process-kill.js";

export interface Registration {
  /** Adds a child; it leaves the registration by itself when it exits. */
  track(child: ChildProcess): void;
  /** Children started under this registration that have not exited yet. */
  live(): ChildProcess[];
  /** Removes the registration (after a normal stopAll). */
  release(): void;
}

export function registerTarget(
  options: { removeOnInterrupt?: string; serversIn?: { root: string; exe: string } } = {},
): Registration {
  const children = new Set<ChildProcess>();
  const { serversIn, ...cleanupOptions } = options;
  startReaper();
  if (serversIn !== undefined) reapServersIn(serversIn.root, serversIn.exe);
  const cleanup = registerCleanup({
    killNow: () => {
      for (const child of children) killNow(child);
    },
    ...cleanupOptions,
  });
  return {
    track(child) {
      children.add(child);
      reapProcess(child.pid);
      child.once("exit", () => {
        children.delete(child);
        forgetProcess(child.pid);
      });
    },
    live() {
      return [...children];
    },
    release() {
      if (serversIn !== undefined) forgetServersIn(serversIn.root);
      cleanup.release();
    },
  };
}
