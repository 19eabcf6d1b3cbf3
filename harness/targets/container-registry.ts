// Every container target registers here, so that an interrupted run (Ctrl-C, SIGTERM, an exit
// without stopAll) leaves no container or network behind; the binary target's process-registry
// does the same for processes. Containers are removed by their session label, never by name.
//
// A signal handler can wait for the runtime API, so it removes everything and then re-raises the
// signal. An exit handler cannot wait, so it runs container-reap-main.ts in a child process
// synchronously (spawnSync).

import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ContainerRuntimeClient } from "testcontainers";
import { removeSession } from "./container-cleanup.js";
import { SESSION_ID } from "./container-labels.js";

export interface ContainerRegistration {
  /** Removes the registration (after a normal stopAll). */
  release(): void;
}

interface Entry {
  client: ContainerRuntimeClient;
  /** Removed on interruption (the nodes' bind-mounted directories) unless logs are kept. */
  removeOnInterrupt?: string;
}

const entries = new Set<Entry>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;
let installed = false;
let cleaning: Promise<void> | undefined;

export function registerContainerTarget(client: ContainerRuntimeClient, options: { removeOnInterrupt?: string } = {}): ContainerRegistration {
  const entry: Entry = { client, ...options };
  entries.add(entry);
  install();
  return {
    release() {
      entries.delete(entry);
      if (entries.size === 0 && cleaning === undefined) uninstall();
    },
  };
}

/** Whether the signal/exit handlers are currently installed (for tests). */
export function containerHandlersInstalled(): boolean {
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

function removeDirs(): void {
  for (const entry of entries) {
    if (entry.removeOnInterrupt !== undefined) rmSync(entry.removeOnInterrupt, { recursive: true, force: true });
  }
}

function onExit(): void {
  if (entries.size === 0) return;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const helper = fileURLToPath(new URL("./container-reap-main.ts", import.meta.url));
  spawnSync(process.execPath, ["--import", tsx, helper, SESSION_ID], { stdio: "ignore", timeout: 30_000 });
  removeDirs();
  entries.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // A second signal during the cleanup is ignored: the first one re-raises when the cleanup is done.
  cleaning ??= (async () => {
    const client = [...entries][0]?.client;
    try {
      if (client !== undefined) await removeSession(client, SESSION_ID);
    } catch (e) {
      // The runtime went away: say what to remove by hand.
      process.stderr.write(`replcheck: could not remove the containers and networks labelled org.replcheck.session=${SESSION_ID}: ${(e as Error).message}\n`);
    }
    removeDirs();
    entries.clear();
  })().finally(() => {
    uninstall();
    // Like the process registry: re-raise so Ctrl-C still ends the CLI, unless someone else handles it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}
