// Every container target registers here, so that an interrupted run (Ctrl-C, SIGTERM, an exit
// without stopAll) leaves no container or network behind; the binary target's process-registry
// does the same for processes. Containers are removed by their session label, never by name.
//
// Both handlers clean up synchronously: they run container-reap-main.ts in a child process with
// spawnSync (an exit handler cannot wait for the runtime API, and a signal handler that waited
// would race other listeners). The signal handler is prepended and removes itself before returning,
// so that the listeners after it see the signal as their own: testcontainers loads signal-exit
// (through proper-lockfile), which re-raises the signal when it is the only listener left. With no
// listener left at all, this handler re-raises it itself, so Ctrl-C still ends the CLI.
//
// Once a caller owns SIGINT/SIGTERM (takeOverSignals in interrupts.ts), only the 'exit' handler is
// installed. The reaper (harness/reaper) is told the session and the temp roots too: it removes
// them if this process is killed without a chance to run any handler (SIGKILL).

import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { forgetContainers, forgetDirectory, reapContainers, reapDirectory } from "../reaper/reaper.js";
import { SESSION_ID } from "./container-labels.js";

export interface ContainerRegistration {
  /** Removes the registration (after a normal stopAll). */
  release(): void;
}

interface Entry {
  /** Removed on interruption (the nodes' bind-mounted directories) unless logs are kept. */
  removeOnInterrupt?: string;
}

const entries = new Set<Entry>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;
let installed = false;
/** Someone else handles SIGINT/SIGTERM (see interrupts.ts): install the 'exit' handler only. */
let signalsOwnedElsewhere = false;

/**
 * `engineSocket`: the container engine's unix socket, so that the reaper can remove this session's
 * containers and networks through its API should this process be SIGKILLed.
 */
export function registerContainerTarget(options: { removeOnInterrupt?: string; engineSocket?: string } = {}): ContainerRegistration {
  const entry: Entry = { removeOnInterrupt: options.removeOnInterrupt };
  entries.add(entry);
  install();
  if (options.engineSocket !== undefined) reapContainers(SESSION_ID, options.engineSocket);
  if (entry.removeOnInterrupt !== undefined) reapDirectory(entry.removeOnInterrupt);
  return {
    release() {
      entries.delete(entry);
      // Called after a normal stopAll, which removed the containers, the network and the directory.
      if (entry.removeOnInterrupt !== undefined) forgetDirectory(entry.removeOnInterrupt);
      if (entries.size === 0) {
        forgetContainers(SESSION_ID);
        uninstall();
      }
    },
  };
}

/**
 * From now on SIGINT/SIGTERM belong to the caller: the signal handlers are removed (and never
 * installed again); the 'exit' handler stays. Called by takeOverSignals (interrupts.ts).
 */
export function disownContainerSignals(): void {
  signalsOwnedElsewhere = true;
  for (const s of SIGNALS) process.off(s, onSignal);
}

/** Removes every container and network of this session and the temp roots, synchronously (killAllNow in interrupts.ts). */
export function removeContainersNow(): void {
  removeEverything();
}

/** Whether the signal/exit handlers are currently installed (for tests). */
export function containerHandlersInstalled(): boolean {
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

/** Synchronous: removes every container and network of this process's session, and the temp roots. */
function removeEverything(): void {
  if (entries.size === 0) return;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const helper = fileURLToPath(new URL("./container-reap-main.ts", import.meta.url));
  const result = spawnSync(process.execPath, ["--import", tsx, helper, SESSION_ID], { stdio: ["ignore", "ignore", "pipe"], timeout: 60_000 });
  // Done: the reaper need not try again. Failed: it tries again once this process is gone.
  if (result.status === 0) forgetContainers(SESSION_ID);
  else {
    const why = result.error?.message ?? (result.stderr.toString().trim() || `exit ${result.status ?? result.signal}`);
    process.stderr.write(`replcheck: could not remove the containers and networks labelled org.replcheck.session=${SESSION_ID}: ${why}\n`);
  }
  for (const entry of entries) {
    if (entry.removeOnInterrupt !== undefined) {
      rmSync(entry.removeOnInterrupt, { recursive: true, force: true, maxRetries: 3 });
      forgetDirectory(entry.removeOnInterrupt);
    }
  }
  entries.clear();
}

function onExit(): void {
  removeEverything();
}

function onSignal(signal: NodeJS.Signals): void {
  removeEverything();
  uninstall();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
