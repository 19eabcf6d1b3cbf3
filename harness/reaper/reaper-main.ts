// The reaper, run as a process of its own (started by reaper.ts, like testcontainers' Ryuk but for
// what the harness leaves on this machine). It reads one JSON message per line on stdin, a pipe
// only the harness holds:
//
//   {"op":"pid","pid":123,"start":"4567"}       a server process (start: field 22 of /proc/123/stat)
//   {"op":"forget-pid","pid":123}               it was stopped normally
//   {"op":"dir","path":"/tmp/replcheck-x"}      a temp directory to remove
//   {"op":"forget-dir","path":"/tmp/replcheck-x"}
//   {"op":"containers","session":"<uuid>","socket":"/run/docker.sock"}
//                                               containers and networks labelled org.replcheck.session=<uuid>
//   {"op":"forget-containers","session":"<uuid>"}
//   {"op":"servers-in","root":"/tmp/replcheck-x","exe":"/usr/bin/redis-server"}
//                                               every process of that executable working inside root
//                                               (covers a server spawned just before the harness died,
//                                               whose pid message never left it)
//   {"op":"forget-servers-in","root":"/tmp/replcheck-x"}
//   {"op":"bye"}                                exit now, touching nothing
//
// When stdin ends without a goodbye, the harness is gone (SIGKILL included: the kernel closes its
// end of the pipe): SIGKILL every process still watched whose start time is unchanged (a reused pid
// belongs to someone else), its process group too when it leads one; remove the watched containers
// and networks through the engine's API; remove the directories; exit. It never outlives that.

import { rmSync } from "node:fs";
import { request } from "node:http";
import { createInterface } from "node:readline";
import { allPids, isRunning, procLink, procStat } from "./proc.js";

const pids = new Map<number, string>();
const dirs = new Set<string>();
const sessions = new Map<string, string>();
/** root → executable: the run's servers are the processes of that executable working inside root. */
const serverRoots = new Map<string, string>();
let done = false;

// Its own session already keeps it out of the harness's Ctrl-C; a stray SIGINT/SIGHUP must not cut a reaping short either.
process.on("SIGINT", () => {});
process.on("SIGHUP", () => {});

function handle(line: string): void {
  if (line.trim() === "") return;
  let message: {
    op?: string;
    pid?: number;
    start?: string;
    path?: string;
    session?: string;
    socket?: string;
    root?: string;
    exe?: string;
  };
  try {
    message = JSON.parse(line) as typeof message;
  } catch {
    return;
  }
  switch (message.op) {
    case "pid":
      if (Number.isInteger(message.pid) && typeof message.start === "string") pids.set(message.pid!, message.start);
      break;
    case "forget-pid":
      pids.delete(message.pid!);
      break;
    case "dir":
      if (typeof message.path === "string" && message.path !== "") dirs.add(message.path);
      break;
    case "forget-dir":
      dirs.delete(message.path!);
      break;
    case "containers":
      if (typeof message.session === "string" && typeof message.socket === "string")
        sessions.set(message.session, message.socket);
      break;
    case "forget-containers":
      sessions.delete(message.session!);
      break;
    case "servers-in":
      if (typeof message.root === "string" && message.root !== "" && typeof message.exe === "string")
        serverRoots.set(message.root, message.exe);
      break;
    case "forget-servers-in":
      serverRoots.delete(message.root!);
      break;
    case "bye":
      done = true;
      process.exit(0);
  }
}

/** Processes of a watched executable working inside its root, with their current start time. */
function serversInRoots(): Map<number, string> {
  const found = new Map<number, string>();
  if (serverRoots.size === 0) return found;
  for (const pid of allPids()) {
    const cwd = procLink(pid, "cwd");
    if (cwd === undefined) continue;
    for (const [root, exe] of serverRoots) {
      if ((cwd === root || cwd.startsWith(`${root}/`)) && procLink(pid, "exe") === exe) {
        const start = procStat(pid)?.start;
        if (start !== undefined) found.set(pid, start);
      }
    }
  }
  return found;
}

async function reap(): Promise<void> {
  const killed: number[] = [];
  for (const [pid, start] of [...pids, ...serversInRoots()]) {
    const stat = procStat(pid);
    if (stat === undefined || stat.start !== start || stat.state === "Z") continue;
    try {
      // A node spawned in a group of its own (with its fork children, e.g. a BGSAVE) goes as a group.
      process.kill(stat.pgrp === pid ? -pid : pid, "SIGKILL");
      killed.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  // The directories go once the processes writing into them are dead (bounded: they were SIGKILLed).
  const until = Date.now() + 5000;
  while (killed.some((pid) => isRunning(pid)) && Date.now() < until) await pause(20);
  await Promise.all([...sessions].map(([session, socket]) => removeSession(socket, session).catch(() => undefined)));
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // Nothing more a reaper can do.
    }
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Docker API (Docker, or Podman's compatible one) over its unix socket: one call. */
function api(socket: string, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method, path, headers: { host: "docker" }, timeout: 10_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

/** Every container (forced, with its anonymous volumes), then every network, labelled with the session; twice, for one created meanwhile. */
async function removeSession(socket: string, session: string): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`org.replcheck.session=${session}`] }));
  for (let pass = 0; pass < 2; pass++) {
    const containers = JSON.parse((await api(socket, "GET", `/containers/json?all=1&filters=${filters}`)).body) as {
      Id: string;
    }[];
    await Promise.all(containers.map((c) => api(socket, "DELETE", `/containers/${c.Id}?force=1&v=1`)));
    const networks = JSON.parse((await api(socket, "GET", `/networks?filters=${filters}`)).body) as { Id: string }[];
    await Promise.all(networks.map((n) => api(socket, "DELETE", `/networks/${n.Id}`)));
  }
}

/** The harness is gone (its end of the pipe closed, or the pipe broke). */
function harnessGone(): void {
  if (done) return;
  done = true;
  // Bounded: whatever happens, the reaper ends.
  setTimeout(() => process.exit(1), 60_000).unref();
  void reap().finally(() => process.exit(0));
}

process.stdin.on("error", harnessGone);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (!done) handle(line);
});
lines.on("close", harnessGone);
