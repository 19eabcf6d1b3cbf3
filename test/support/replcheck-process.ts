// The `replcheck` command as a real process, for tests that check what a user sees.

import { spawn } from "node:child_process";
import { resolve } from "node:path";

/** The checkout's bin (TypeScript sources through tsx). */
export const BIN = resolve(import.meta.dirname, "../../bin/replcheck.js");

export interface Ran {
  code: number | null;
  out: string;
  err: string;
}

/** One CLI run in `cwd` (several may run at once: each mostly waits for tsx to load). */
export function runReplcheck(args: readonly string[], cwd: string): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"], cwd });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("error", fail);
    child.on("close", (code) => done({ code, out, err }));
  });
}
