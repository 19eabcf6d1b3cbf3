// The harness's side of the reaper (reaper-main.ts): a small process started with the first target
// that outlives the harness if the harness is killed (SIGKILL leaves no chance to clean up), and
// then kills the run's server processes, removes its containers and networks, and removes its temp
// directories. The registries tell it what to watch and what to forget after a normal stop.
//
// - It runs in a session of its own (detached), so the Ctrl-C that reaches the harness's process
//   group does not reach it before it has done its job.
// - It holds the only other end of a pipe from this process (its stdin; Node opens every fd
//   close-on-exec, so server processes do not inherit it): the pipe ends exactly when this process
//   is gone, however it went.
// - Both the child and the pipe are unref'd: the reaper never keeps the harness alive. At a normal
//   exit it gets end-of-file with nothing left to watch, and exits.
// - Linux only (pids are checked against their start time in /proc); elsewhere it is not started
//   and the registries' exit handlers are the only cleanup.

import { spawn, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";
import { ownScriptArgs } from "../util/own-script.js";
import { procStat } from "./proc.js";

type Message =
  | { op: "pid"; pid: number; start: string }
  | { op: "forget-pid"; pid: number }
  | { op: "dir"; path: string }
  | { op: "forget-dir"; path: string }
  | { op: "containers"; session: string; socket: string }
  | { op: "forget-containers"; session: string }
  | { op: "servers-in"; root: string; exe: string }
  | { op: "forget-servers-in"; root: string }
  | { op: "bye" };

let child: ChildProcess | undefined;
let unavailable = false;

/** Starts the reaper if it is not running yet. Idempotent; a reaper that cannot start leaves the exit handlers as the only cleanup. */
export function startReaper(): void {
  if (child !== undefined || unavailable) return;
  if (procStat(process.pid) === undefined) {
    unavailable = true;
    return;
  }
  try {
    const started = spawn(process.execPath, ownScriptArgs(import.meta.url, "reaper-main"), {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
    });
    started.on("error", () => {
      unavailable = true;
      child = undefined;
    });
    started.stdin!.on("error", () => {}); // EPIPE if it died: nothing to tell it any more
    started.unref();
    (started.stdin as unknown as Socket).unref();
    child = started;
  } catch {
    unavailable = true;
  }
}

/** The reaper's pid while it runs (for tests). */
export function reaperPid(): number | undefined {
  return child?.exitCode === null && child.signalCode === null ? child.pid : undefined;
}

function send(message: Message): void {
  const stdin = child?.stdin;
  if (stdin === undefined || stdin === null || stdin.destroyed) return;
  stdin.write(`${JSON.stringify(message)}\n`);
}

/** Watch a server process: it is SIGKILLed if the harness dies first. */
export function reapProcess(pid: number | undefined): void {
  if (pid === undefined) return;
  startReaper();
  // Read right after spawn: the start time is the fork's, so it is known before the exec.
  const start = procStat(pid)?.start;
  if (start !== undefined) send({ op: "pid", pid, start });
}

/** The process was stopped (or exited): the reaper must never touch that pid again. */
export function forgetProcess(pid: number | undefined): void {
  if (pid !== undefined) send({ op: "forget-pid", pid });
}

/** Watch a temp directory: it is removed if the harness dies first. */
export function reapDirectory(path: string): void {
  startReaper();
  send({ op: "dir", path });
}

export function forgetDirectory(path: string): void {
  send({ op: "forget-dir", path });
}

/** Watch the containers and networks labelled org.replcheck.session=`session`, removed through the engine's unix `socket`. */
export function reapContainers(session: string, socket: string): void {
  startReaper();
  send({ op: "containers", session, socket });
}

export function forgetContainers(session: string): void {
  send({ op: "forget-containers", session });
}

/**
 * Watch every process of executable `exe` working inside `root`: it is SIGKILLed if the harness dies
 * first, even one spawned in the instant before the harness could report its pid.
 */
export function reapServersIn(root: string, exe: string): void {
  startReaper();
  send({ op: "servers-in", root, exe });
}

export function forgetServersIn(root: string): void {
  send({ op: "forget-servers-in", root });
}

/** Tells the reaper to exit without touching anything (tests; a harness that cleaned up itself). */
export function dismissReaper(): void {
  send({ op: "bye" });
  child = undefined;
}
