// Finding and identifying a Redis-compatible server executable before anything is started.

import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { basename, delimiter, isAbsolute, join, resolve } from "node:path";
import { TargetUnavailable } from "./target.js";

export const INSTALL_HINT =
  "install redis-server (Debian: apt-get install redis-server) or pass --target binary:/path/to/server";

/**
 * The executable's absolute path: `binary` as given if it contains a slash, else looked up in PATH.
 * Throws TargetUnavailable if it is missing or not executable.
 */
export function resolveBinary(binary: string, pathEnv = process.env.PATH ?? ""): string {
  if (binary.includes("/")) {
    const path = isAbsolute(binary) ? binary : resolve(binary);
    const problem = executableProblem(path);
    if (problem !== undefined) throw new TargetUnavailable(`server binary ${path} ${problem}`, INSTALL_HINT);
    return path;
  }
  for (const dir of pathEnv.split(delimiter).filter((d) => d !== "")) {
    const path = join(dir, binary);
    if (executableProblem(path) === undefined) return path;
  }
  throw new TargetUnavailable(`server binary ${binary} not found in PATH (${pathEnv || "empty"})`, INSTALL_HINT);
}

function executableProblem(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return "is not a file";
  } catch {
    return "does not exist";
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return "is not executable";
  }
  return undefined;
}

export interface ServerIdentity {
  /** e.g. "redis-server 7.0.15 (/usr/bin/redis-server)". */
  description: string;
  /** From `--version`, if it printed one in Redis's format (`v=...`). */
  version?: string;
}

/**
 * Runs `<path> --version` ("Redis server v=7.0.15 sha=..."; Valkey prints "Valkey server v=8.0.1 ...").
 * Only a binary that cannot be executed at all is refused: a server whose `--version` says nothing
 * Redis-like (or fails) may still answer INFO, and INFO server is what picks the model profile.
 */
export function identifyServer(path: string): Promise<ServerIdentity> {
  // Every scenario makes a new target: ask each build once per process, not once per scenario.
  let key: string;
  try {
    const { mtimeMs, size } = statSync(path);
    key = `${path}\0${mtimeMs}\0${size}`;
  } catch {
    return probeVersion(path); // missing: the probe says why, as for any file that cannot run
  }
  let identity = identities.get(key);
  if (identity === undefined) {
    identity = probeVersion(path);
    identities.set(key, identity);
    identity.catch(() => identities.delete(key));
  }
  return identity;
}

const identities = new Map<string, Promise<ServerIdentity>>();

function probeVersion(path: string): Promise<ServerIdentity> {
  return new Promise((resolvePromise, reject) => {
    execFile(path, ["--version"], { timeout: 10_000 }, (error, stdout, stderr) => {
      // An errno code (ENOENT, EACCES, ENOEXEC, ...) means it never ran; a number is its exit status.
      if (error !== null && /^E[A-Z]+$/.test(String((error as NodeJS.ErrnoException).code))) {
        reject(new TargetUnavailable(`${path} cannot be executed: ${error.message}`, INSTALL_HINT));
        return;
      }
      const version = /\bv=(\S+)/.exec(`${stdout}${stderr}`)?.[1];
      resolvePromise({
        description: version === undefined ? `${basename(path)} (${path})` : `${basename(path)} ${version} (${path})`,
        version,
      });
    });
  });
}
