// Every server process a target starts is registered here, so that an interrupted run (Ctrl-C,
// SIGTERM, an exit without stopAll) does not leave servers behind. Handlers are installed once per
// Node process while at least one target is alive, and removed when the last one is stopped.
// Processes are killed by their ChildProcess handle (pid), never by name.

import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

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

export function registerTarget(options: { removeOnInterrupt?: string } = {}): Registration {
  const entry: Entry = { children: new Set(), ...options };
  entries.add(entry);
  install();
  return {
    track(child) {
      entry.children.add(child);
      child.once("exit", () => entry.children.delete(child));
    },
    live() {
      return [...entry.children];
    },
    release() {
      entries.delete(entry);
      if (entries.size === 0) uninstall();
    },
  };
}

/** Whether the signal/exit handlers are currently installed (for tests). */
export function handlersInstalled(): boolean {
  return installed;
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
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
    for (const child of entry.children) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    if (entry.removeOnInterrupt !== undefined) rmSync(entry.removeOnInterrupt, { recursive: true, force: true });
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
