// One cleanup registry for every target kind, so that an interrupted run (Ctrl-C, SIGTERM, an exit
// without stopAll) leaves nothing behind: each live target registers what it started as an entry
// (a synchronous `killNow` and a temp root), and this module alone installs the signal and exit
// handlers — once per Node process while at least one target is alive, removed with the last one.
// process-registry.ts (server processes, by pid) and container-registry.ts (containers and
// networks, by session label) only say how their entries are killed.
//
// The handlers clean up synchronously (an exit handler cannot wait). The signal handler is
// prepended and removes itself before returning, so that the listeners after it see the signal as
// their own: testcontainers loads signal-exit (through proper-lockfile), which re-raises the signal
// when it is the only listener left. With no listener left at all, this handler re-raises it
// itself, so Ctrl-C still ends the process, which dies of the signal.
//
// Once a caller owns SIGINT/SIGTERM (takeOverSignals in interrupts.ts, e.g. the CLI, which stops
// its nodes normally and writes a partial report), only the 'exit' handler is installed here. The
// reaper (harness/reaper) is told every temp root too: it cleans up if this process is killed
// without a chance to run any handler (SIGKILL).

import { rmSync } from "node:fs";
import { forgetDirectory, reapDirectory } from "../reaper/reaper.js";

export interface CleanupEntry {
  /** Synchronous: ends whatever the target started (SIGKILL its processes, remove its containers). */
  killNow?(): void;
  /** Removed on interruption (a per-run temp root) unless the user asked to keep logs. */
  removeOnInterrupt?: string;
}

export interface CleanupRegistration {
  /** Removes the entry (after a normal stopAll, which removed the directory or kept it on purpose). */
  release(): void;
}

const entries = new Set<CleanupEntry>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;
let installed = false;
/** Someone else handles SIGINT/SIGTERM (see interrupts.ts): install the 'exit' handler only. */
let signalsOwnedElsewhere = false;

export function registerCleanup(entry: CleanupEntry): CleanupRegistration {
  entries.add(entry);
  install();
  if (entry.removeOnInterrupt !== undefined) reapDirectory(entry.removeOnInterrupt);
  return {
    release() {
      entries.delete(entry);
      if (entry.removeOnInterrupt !== undefined) forgetDirectory(entry.removeOnInterrupt);
      if (entries.size === 0) uninstall();
    },
  };
}

/**
 * From now on SIGINT/SIGTERM belong to the caller: the signal handlers are removed (and never
 * installed again); the 'exit' handler stays. Called by takeOverSignals (interrupts.ts).
 */
export function disownSignals(): void {
  signalsOwnedElsewhere = true;
  for (const s of SIGNALS) process.off(s, onSignal);
}

/** Kills and removes everything registered, synchronously (killAllNow in interrupts.ts). */
export function cleanUpNow(): void {
  killEverything();
}

/** Whether the signal/exit handlers are currently installed (for tests). */
export function cleanupHandlersInstalled(): boolean {
  return installed;
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", onExit);
  if (!signalsOwnedElsewhere) for (const s of SIGNALS) process.prependListener(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off("exit", onExit);
  for (const s of SIGNALS) process.off(s, onSignal);
}

/** Synchronous: every entry's killNow, then its temp root. Safe in an exit handler. */
function killEverything(): void {
  for (const entry of entries) {
    try {
      entry.killNow?.();
    } catch {
      // One entry that cannot clean up must not keep the others from doing so.
    }
    if (entry.removeOnInterrupt !== undefined) {
      rmSync(entry.removeOnInterrupt, { recursive: true, force: true, maxRetries: 3 });
      forgetDirectory(entry.removeOnInterrupt);
    }
  }
  entries.clear();
}

function onExit(): void {
  killEverything();
}

function onSignal(signal: NodeJS.Signals): void {
  killEverything();
  uninstall();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
