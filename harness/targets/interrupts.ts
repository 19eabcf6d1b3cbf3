// Who handles SIGINT/SIGTERM. By default the cleanup registry (cleanup.ts) does: on a signal it
// kills every server, removes every container, network and temp root of every target, and re-raises
// the signal so the process still dies of it. A caller that wants to stop a run gracefully instead
// (the CLI aborts the campaign, stops the nodes normally, writes a partial report and exits
// 130/143) takes the signals over with takeOverSignals, and keeps killAllNow for the case where
// graceful is not good enough.

import { cleanUpNow, disownSignals } from "./cleanup.js";

/**
 * Makes the caller the owner of SIGINT and SIGTERM for the rest of the process.
 *
 * After this call the cleanup registry's SIGINT/SIGTERM handlers are removed (those installed now)
 * and never installed again (for targets created later), so a signal does nothing here: the caller
 * must listen for it, stop its targets (`Target.stopAll`) and exit. Without a listener of the
 * caller's, a signal would get Node's default action (the process dies at once; its 'exit' handlers
 * do not run, but the reaper still cleans up).
 *
 * What stays: the registry's 'exit' handler, which synchronously SIGKILLs every server still
 * registered and removes every container, network and temp root of this process when it exits
 * without `stopAll` (`process.exit`, the end of the event loop); and the reaper, which does the same
 * if the process is killed outright.
 *
 * Idempotent; there is no way back.
 */
export function takeOverSignals(): void {
  disownSignals();
}

/**
 * Kills everything now, synchronously: for a second Ctrl-C, or a graceful stop that does not end.
 *
 * - every registered server process (of every binary target of this process) gets SIGKILL, with its
 *   process group (fork children such as a BGSAVE), by pid;
 * - every container and network of this process's session is removed (forced), through a helper
 *   run synchronously (this may take a few seconds);
 * - every temp root the targets would remove on interruption is removed (kept with `keepLogs`).
 *
 * It does not wait for the processes to be reaped and does not exit: call `process.exit` after it.
 * Targets interrupted this way must not be used any more (their `stopAll` still returns).
 */
export function killAllNow(): void {
  cleanUpNow();
}
