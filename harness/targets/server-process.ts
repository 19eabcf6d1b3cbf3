// One redis-server-like process: start it with a config in its directory and on its port, wait
// until it answers PING, stop it (SHUTDOWN NOSAVE, then SIGKILL after a deadline). stdout and
// stderr (including fatal config errors printed before logging starts) go to one log file.

import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, statSync } from "node:fs";
import { RespConnection } from "../util/resp-connection.js";
import { waitFor, WaitTimeout, withDeadline } from "../util/wait-for.js";
import { killAndWait } from "./process-kill.js";
import type { Registration } from "./process-registry.js";
import { INSTALL_HINT } from "./binary-lookup.js";
import { TargetUnavailable, type ServerConfig } from "./target.js";

export const HOST = "127.0.0.1";

/** Options the target sets itself; a config that tries to set them is a harness bug. */
const MANAGED = new Set(["port", "bind", "dir", "dbfilename", "logfile", "daemonize"]);

export interface LaunchSpec {
  binary: string;
  dir: string;
  port: number;
  config: ServerConfig;
  logPath: string;
  /** How long a start may take, RDB loading included (default 30 s). */
  readyDeadlineMs?: number;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
}

export type LaunchResult = { kind: "ready"; server: ServerProcess } | { kind: "port-in-use"; log: string };

export function serverArgs(spec: Pick<LaunchSpec, "dir" | "port" | "config">): string[] {
  const args: string[] = [];
  for (const [rawName, value] of Object.entries(spec.config)) {
    const name = rawName.replace(/^-+/, "");
    if (MANAGED.has(name.toLowerCase()))
      throw new Error(`config option ${name} is set by the binary target; remove it from the node config`);
    // One argv per value, even an empty one (save ""): Redis quotes each back into a config line,
    // so an option with several arguments (replicaof host port) needs one argv per argument.
    args.push(`--${name}`, ...(typeof value === "string" ? [value] : value));
  }
  args.push(
    "--port",
    String(spec.port),
    "--bind",
    HOST,
    "--dir",
    spec.dir,
    "--dbfilename",
    "dump.rdb",
    // Log to stdout, which is the log file: one file also holds errors printed before logging starts.
    "--logfile",
    "",
    "--daemonize",
    "no",
  );
  return args;
}

/** Starts the process and waits until it answers PING as itself (its INFO process_id is our child's pid). */
export async function launchServer(spec: LaunchSpec, registration: Registration): Promise<LaunchResult> {
  const logStart = existsSync(spec.logPath) ? statSync(spec.logPath).size : 0;
  const logFd = openSync(spec.logPath, "a");
  let child: ChildProcess;
  try {
    // A process group of its own: the Ctrl-C that reaches the harness's group does not reach the
    // servers (the harness decides how they stop), and a SIGKILL of the group also ends a fork
    // child such as a BGSAVE, which would otherwise go on writing into the node's directory.
    child = spawn(spec.binary, serverArgs(spec), { cwd: spec.dir, stdio: ["ignore", logFd, logFd], detached: true });
  } finally {
    closeSync(logFd);
  }
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", (e) => {
      spawnError = e;
      resolve();
    });
  });
  registration.track(child);
  const hasExited = (): boolean => spawnError !== undefined || child.exitCode !== null || child.signalCode !== null;
  const newLog = (): string => readLogFrom(spec.logPath, logStart);

  let outcome: "ready" | "exited";
  try {
    outcome = await waitFor(
      async () => {
        if (hasExited()) return "exited" as const;
        // Whatever else holds the port may accept and never answer: stop probing once our process is gone.
        const ours = await Promise.race([answersAsItself(spec.port, child.pid), exited.then(() => false)]);
        return ours ? ("ready" as const) : false;
      },
      {
        deadlineMs: spec.readyDeadlineMs ?? 30_000,
        intervalMs: 20,
        what: `the server on port ${spec.port} to answer PING`,
      },
    );
  } catch (e) {
    if (!(e instanceof WaitTimeout)) throw e;
    await killAndWait(child, exited);
    throw new TargetUnavailable(
      `${spec.binary} did not answer PING on ${HOST}:${spec.port} within ${e.deadlineMs} ms; last log lines:\n${tail(newLog())}`,
      `see ${spec.logPath}`,
    );
  }
  if (outcome === "ready") return { kind: "ready", server: { child, pid: child.pid!, port: spec.port, exited } };
  await exited;
  const log = newLog();
  if (spawnError !== undefined)
    throw new TargetUnavailable(`cannot run ${spec.binary}: ${spawnError.message}`, INSTALL_HINT);
  if (/address already in use/i.test(log)) return { kind: "port-in-use", log };
  throw new TargetUnavailable(
    `${spec.binary} exited (${child.exitCode !== null ? `code ${child.exitCode}` : `signal ${child.signalCode}`}) before answering PING; last log lines:\n${tail(log)}`,
    `check the node config; full log: ${spec.logPath}`,
  );
}

/** PONG from a server whose INFO process_id is `pid` (so not another server that holds the port). */
async function answersAsItself(port: number, pid: number | undefined): Promise<boolean> {
  let conn: RespConnection;
  try {
    conn = await RespConnection.open({ host: HOST, port, connectTimeoutMs: 500 });
  } catch {
    return false;
  }
  try {
    const [info, ping] = await Promise.all([conn.send(["INFO", "server"], 2000), conn.send(["PING"], 2000)]);
    // -LOADING while an RDB loads: not ready yet.
    if (ping.kind !== "reply" || ping.value.kind !== "status" || ping.value.value !== "PONG") return false;
    if (info.kind !== "reply" || info.value.kind !== "bulk" || info.value.value === null) return false;
    const reported = /^process_id:(\d+)\r?$/m.exec(info.value.value)?.[1];
    return reported === undefined || Number(reported) === pid;
  } finally {
    conn.close();
  }
}

/**
 * Stops the process: SHUTDOWN NOSAVE NOW (7.0+ waits up to shutdown-timeout for lagging replicas
 * without NOW), or SHUTDOWN NOSAVE where NOW is a syntax error (6.2); SIGKILL if it has not exited
 * after `deadlineMs`. Idempotent.
 */
export async function stopServer(server: ServerProcess, deadlineMs = 5000): Promise<void> {
  const { child, exited } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    const conn = await RespConnection.open({ host: HOST, port: server.port, connectTimeoutMs: 1000 });
    try {
      const now = await conn.send(["SHUTDOWN", "NOSAVE", "NOW"], 2000);
      if (now.kind === "error") await conn.send(["SHUTDOWN", "NOSAVE"], 2000);
    } finally {
      conn.close();
    }
  } catch {
    // Not reachable: the deadline below ends it.
  }
  try {
    await withDeadline(exited, deadlineMs, () => new Error("no exit"));
  } catch {
    await killAndWait(child, exited);
  }
}

function readLogFrom(path: string, offset: number): string {
  try {
    return readFileSync(path).subarray(offset).toString("utf8");
  } catch {
    return "";
  }
}

export function tail(text: string, lines = 20): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
