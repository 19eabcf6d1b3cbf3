// `npm run bench -- package`: what a user pays for replcheck as an npm package. Printed, never
// asserted.
//
// - Install: packages and bytes that `npm i replcheck` puts in node_modules (no image target), and
//   the same with testcontainers for image targets; next to what the dependencies of replcheck
//   0.1.0 made every user install (testcontainers and tsx as dependencies). Measured by installing
//   the packed tarball into fresh projects offline from the npm cache (test/package/consumer-project.ts).
// - Cold start: `replcheck --help`, `--version`, and the first line of `replcheck run` (its start
//   line) from the installed package's compiled bin, next to the TypeScript sources through tsx
//   (what 0.1.0 shipped and ran, and what a checkout runs): wall time and CPU time (user + system,
//   of the child, from /proc on Linux), medians of several runs.

import { spawn, spawnSync } from "node:child_process";
import { readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  diskUsage,
  installConsumer,
  npmAvailable,
  packReplcheck,
  REPO_ROOT,
  tempDir,
  type Consumer,
} from "../test/package/consumer-project.js";

const ROUNDS = 5;

/** CPU seconds of this process's waited-for children so far (Linux /proc; undefined elsewhere). */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 16 and 17 of stat(5) (cutime, cstime), counted from field 3 after the command name.
    const ticks = Number(fields[13]) + Number(fields[14]);
    const hz = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
    return ticks / hz;
  } catch {
    return undefined;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

interface Timing {
  wallMs: number;
  cpuMs: number | undefined;
}

/** Runs `node args` to completion ROUNDS times; medians of wall and CPU time. */
function timeCommand(args: string[], cwd: string): Timing {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const cpu0 = childrenCpuSeconds();
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8", timeout: 60_000 });
    walls.push(performance.now() - t0);
    const cpu1 = childrenCpuSeconds();
    if (cpu0 !== undefined && cpu1 !== undefined) cpus.push((cpu1 - cpu0) * 1000);
    if (r.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${r.stderr}`);
  }
  return { wallMs: median(walls), cpuMs: cpus.length === ROUNDS ? median(cpus) : undefined };
}

/** Milliseconds until `node args` writes its first line (stdout or stderr); the process is then stopped by pid. */
async function firstLine(args: string[], cwd: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    times.push(
      await new Promise<number>((resolve, reject) => {
        const t0 = performance.now();
        const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
        let first: number | undefined;
        const onData = () => {
          if (first !== undefined) return;
          first = performance.now() - t0;
          child.kill("SIGINT");
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("error", reject);
        // The next round starts once this one has wound down (its nodes stopped).
        child.on("close", () =>
          first === undefined ? reject(new Error(`node ${args.join(" ")} ended without output`)) : resolve(first),
        );
      }),
    );
  }
  return median(times);
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const ms = (t: number | undefined): string => (t === undefined ? "n/a" : `${t.toFixed(0)} ms`);
const installLine = (label: string, c: Consumer): string =>
  `  ${label.padEnd(52)} ${String(c.packages).padStart(4)} packages ${mb(c.bytes).padStart(9)}${c.install === "offline" ? "" : "  (downloaded: not in the npm cache)"}`;

export async function packageBench(): Promise<string[]> {
  if (!npmAvailable()) return ["package: skipped (npm is not installed)"];
  const dir = tempDir("replcheck-bench-package-");
  try {
    const tarball = packReplcheck(dir);
    const lines = ["package (npm i replcheck into a fresh project, offline from the npm cache):"];
    const plain = installConsumer(join(dir, "plain"), tarball);
    lines.push(installLine("replcheck (binary and builtin targets)", plain));
    lines.push(
      installLine(
        "replcheck + testcontainers (image targets)",
        installConsumer(join(dir, "image"), tarball, ["testcontainers"]),
      ),
    );
    lines.push(
      installLine(
        "0.1.0's dependencies (testcontainers and tsx for all)",
        installConsumer(join(dir, "before"), tarball, ["testcontainers", "tsx"]),
      ),
    );
    const installed = join(plain.dir, "node_modules/replcheck");
    lines.push(`  replcheck itself: ${mb(statSync(tarball).size)} packed, ${mb(diskUsage(installed))} installed`);

    const bin = join(plain.dir, "node_modules/replcheck/bin/replcheck.js");
    const source = join(REPO_ROOT, "bin/replcheck.js");
    lines.push("", `cold start (median of ${ROUNDS}; CPU = user + system of the process):`);
    lines.push(
      `  ${"".padEnd(44)} ${"compiled (installed)".padEnd(26)} TypeScript sources through tsx (how 0.1.0 ran)`,
    );
    for (const [label, args] of [
      ["replcheck --help", ["--help"]],
      ["replcheck --version", ["--version"]],
    ] as const) {
      const compiled = timeCommand([bin, ...args], plain.dir);
      const tsx = timeCommand([source, ...args], REPO_ROOT);
      lines.push(
        `  ${label.padEnd(44)} ${`${ms(compiled.wallMs)} wall, ${ms(compiled.cpuMs)} CPU`.padEnd(26)} ${ms(tsx.wallMs)} wall, ${ms(tsx.cpuMs)} CPU`,
      );
    }
    const runArgs = ["run", "--target", "builtin", "--time-limit", "10s"];
    const compiledFirst = await firstLine([bin, ...runArgs], plain.dir);
    const tsxFirst = await firstLine([source, ...runArgs], REPO_ROOT);
    lines.push(
      `  ${"replcheck run: first line".padEnd(44)} ${`${ms(compiledFirst)} wall`.padEnd(26)} ${ms(tsxFirst)} wall`,
    );
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
