// What /proc says about a process (Linux): enough to kill it by pid without ever killing another
// process that got the same pid later.

import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface ProcStat {
  /** R, S, D, Z (zombie: dead, waiting for its parent), ... */
  state: string;
  /** Parent pid. */
  ppid: number;
  /** Process group. */
  pgrp: number;
  /** When it started, in clock ticks since boot: a pid and its start time name one process for good. */
  start: string;
}

/** Fields 3, 4, 5 and 22 of /proc/PID/stat; undefined when there is no such process (or no /proc). */
export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself contain ") ".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]), start: fields[19] };
}

/** Numeric entries of /proc: every process there is (empty without /proc). */
export function allPids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((e) => /^\d+$/.test(e))
      .map(Number);
  } catch {
    return [];
  }
}

/** A symlink of /proc/PID (cwd, exe) without the " (deleted)" the kernel adds once its target is gone. */
export function procLink(pid: number, name: "cwd" | "exe"): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/${name}`).replace(/ \(deleted\)$/, "");
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie. */
export function isRunning(pid: number): boolean {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== "Z";
}
