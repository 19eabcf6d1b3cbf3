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
  version: string;
}

/** Runs `<path> --version` ("Redis server v=7.0.15 sha=..."; Valkey prints "Valkey server v=8.0.1 ..."). */
export function identifyServer(path: string): Promise<ServerIdentity> {
  return new Promise((resolvePromise, reject) => {
    execFile(path, ["--version"], { timeout: 10_000 }, (error, stdout, stderr) => {
      const text = `${stdout}${stderr}`;
      const version = /\bv=(\S+)/.exec(text)?.[1];
      if (error !== null || version === undefined) {
        reject(
          new TargetUnavailable(
            `${path} --version did not identify a Redis-compatible server: ${error?.message ?? text.trim()}`,
            INSTALL_HINT,
          ),
        );
        return;
      }
      resolvePromise({ description: `${basename(path)} ${version} (${path})`, version });
    });
  });
}
