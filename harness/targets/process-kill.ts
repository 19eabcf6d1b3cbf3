// Killing a server process the harness started: SIGKILL to it and its process group, by pid, never
// by name. The cleanup registration (process-registry.ts) and the server launcher
// (server-process.ts) both use it.

import type { ChildProcess } from "node:child_process";
import { settleWithin } from "../util/wait-for.js";

/** How long a SIGKILLed process may take to be reported as exited before the harness moves on. */
export const KILL_WAIT_MS = 5000;

/** SIGKILL by pid, then wait for the exit at most KILL_WAIT_MS (a process stuck in the kernel must not hold up the run). */
export async function killAndWait(child: ChildProcess, exited: Promise<void>): Promise<void> {
  killNow(child);
  await settleWithin(exited, KILL_WAIT_MS, () => undefined);
}

/**
 * Synchronous SIGKILL of a server and its process group (its fork children), by pid. Only while
 * Node has not seen it exit: until then the pid (and so the group id) is still ours.
 */
export function killNow(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}
