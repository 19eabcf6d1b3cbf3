// Every server process a target starts is registered here, so that an interrupted run (Ctrl-C,
// SIGTERM, an exit without stopAll) does not leave servers behind. Handlers are installed once per
// Node process while at least one target is alive, and removed when the last one is stopped.
// Processes are killed by their ChildProcess handle (pid), never by name.
//
// Once a caller owns SIGINT/SIGTERM (takeOverSignals in interrupts.ts, e.g. the CLI, which stops
// its nodes normally and writes a partial report), only the 'exit' handler is installed here. The
// reaper (harness/reaper) is told every process and temp root too: it cleans up if this process is
// killed without a chance to run any handler (SIGKILL).

import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { killNow } from "./server-process.js";
import { forgetDirectory, forgetProcess, reapDirectory, reapProcess, startReaper } from "../reaper/reaper.js";

export interface Registration {
  /** Adds a child; it leaves the registration by itself when it exits. */
  track(child: ChildProcess): void;
  /** Children started under this registration that have not exited yet. */
  live(): ChildProcess[];
  /** Removes the registration (after a normal stopAll). */
  release(): void;
}

interface Entry {
  children: Set<ChildProcess>;
  /** Removed on interruption unless the user asked to keep logs. */
  removeOnInterrupt?: string;
}

const entries = new Set<Entry>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;
let installed = false;
/** Someone else handles SIGINT/SIGTERM (see interrupts.ts): install the 'exit' handler only. */
let signalsOwnedElsewhere = false;

export function registerTarget(options: { removeOnInterrupt?: string } = {}): Registration {
  const entry: Entry = { children: new Set(), ...options };
  entries.add(entry);
  install();
  startReaper();
  if (entry.removeOnInterrupt !== undefined) reapDirectory(entry.removeOnInterrupt);
  return {
    track(child) {
      entry.children.add(child);
      reapProcess(child.pid);
      child.once("exit", () => {
        entry.children.delete(child);
        forgetProcess(child.pid);
      });
    },
    live() {
      return [...entry.children];
    },
    release() {
      entries.delete(entry);
      // Called after a normal stopAll, which removed the directory (or kept it on purpose).
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

/** SIGKILL every registered process and remove the temp roots, synchronously (killAllNow in interrupts.ts). */
export function killProcessesNow(): void {
  killEverything();
}

/** Whether the signal/exit handlers are currently installed (for tests). */
export function handlersInstalled(): boolean {
  return installed;
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", onExit);
  if (!signalsOwnedElsewhere) for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off("exit", onExit);
  for (const s of SIGNALS) process.off(s, onSignal);
}

/** Synchronous: SIGKILL every live child and remove temp roots. Safe in an exit handler. */
function killEverything(): void {
  for (const entry of entries) {
    for (const child of entry.children) killNow(child);
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
  // With our handler gone and nobody else listening, re-raising gets the default action, so Ctrl-C
  // still terminates the CLI (exit by SIGINT). Other listeners already saw this signal themselves.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
