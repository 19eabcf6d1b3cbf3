// The reaper: SIGKILL of the harness leaves no server process and no temp directory behind. And the
// reaper program on its own: it kills only the processes it was told about whose start time is
// unchanged, forgets what it is told to forget, and exits by itself.

import { spawn, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { isRunning, procStat } from "../../harness/reaper/proc.js";
import { waitFor } from "../../harness/util/wait-for.js";
import { announceLiveRedis, redisAvailable } from "./live-redis.js";

announceLiveRedis("reaper");

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const REAPER_MAIN = join(repoRoot, "harness/reaper/reaper-main.ts");

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0).reverse()) f();
});

/** SIGKILL `pid` at the end of the test if it is still the same process (same start time). */
function killLater(pid: number): void {
  const start = procStat(pid)?.start;
  cleanups.push(() => {
    const now = procStat(pid);
    if (now !== undefined && now.start === start && now.state !== "Z") process.kill(pid, "SIGKILL");
  });
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Running processes whose parent is `parent`, with their command line. */
function childrenOf(parent: number): { pid: number; comm: string; cmdline: string }[] {
  const found: { pid: number; comm: string; cmdline: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = procStat(pid);
    if (stat === undefined || stat.ppid !== parent || stat.state === "Z") continue;
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      found.push({ pid, comm, cmdline });
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

function cwdOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

interface KilledRun {
  servers: number[];
  nodeDirs: string[];
  reaper: number;
  output: string;
}

/**
 * Starts `replcheck run` on redis-server, waits until it has server processes, records them, their
 * directories and the reaper, and SIGKILLs the harness.
 */
async function startAndKillRun(args: string[], env: NodeJS.ProcessEnv): Promise<KilledRun> {
  const harness = spawn(
    process.execPath,
    ["bin/replcheck.js", "run", "--target", "redis-server", "--time-limit", "60s", ...args],
    {
      cwd: repoRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  cleanups.push(() => {
    if (harness.exitCode === null && harness.signalCode === null) harness.kill("SIGKILL");
  });
  let output = "";
  harness.stdout.on("data", (d: Buffer) => (output += d.toString()));
  harness.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const harnessPid = harness.pid!;
  // A few servers running, so that some are surely mid-scenario when the harness dies.
  const children = await waitFor(
    () => {
      if (harness.exitCode !== null) throw new Error(`the run exited early:\n${output}`);
      const found = childrenOf(harnessPid);
      return found.filter((c) => c.comm === "redis-server").length >= 3 && found;
    },
    { deadlineMs: 60_000, intervalMs: 50, what: "the run to start redis-server processes" },
  );
  const servers = children.filter((c) => c.comm === "redis-server").map((c) => c.pid);
  const reaper = children.find((c) => c.cmdline.includes("reaper-main"))?.pid;
  for (const pid of [...servers, ...(reaper === undefined ? [] : [reaper])]) killLater(pid);
  const nodeDirs = servers.map(cwdOf).filter((d): d is string => d !== undefined);
  const exited = new Promise((resolve) => harness.once("exit", resolve));
  harness.kill("SIGKILL");
  await exited;
  if (reaper === undefined)
    throw new Error(`no reaper process among the harness's children: ${JSON.stringify(children)}`);
  return { servers, nodeDirs, reaper, output };
}

describe.runIf(redisAvailable)("SIGKILL of a run", () => {
  it("leaves no redis-server running and no temp directory: the reaper kills and removes them, then exits", async () => {
    // The run's temp roots go to a directory of this test (os.tmpdir() honours TMPDIR).
    const tmp = tempDir("replcheck-reaper-test-");
    const run = await startAndKillRun([], { ...process.env, TMPDIR: tmp });
    expect(run.servers.length).toBeGreaterThanOrEqual(3);
    expect(run.nodeDirs.length).toBeGreaterThan(0);
    // Also a server spawned after the snapshot above (the pid the harness may not have reported yet).
    const root = realpathSync(tmp);
    const anyServerIn = () =>
      readdirSync("/proc")
        .filter((e) => /^\d+$/.test(e) && isRunning(Number(e)))
        .filter((e) => (cwdOf(Number(e))?.replace(/ \(deleted\)$/, "") ?? "").startsWith(`${root}/`))
        .map(Number);
    const left = () => ({
      servers: [...new Set([...run.servers.filter(isRunning), ...anyServerIn()])],
      nodeDirs: run.nodeDirs.filter((d) => existsSync(d)),
      roots: readdirSync(tmp).filter((name) => name.startsWith("replcheck-")),
      reaper: isRunning(run.reaper),
    });
    await waitFor(
      () => {
        const l = left();
        return l.servers.length === 0 && l.nodeDirs.length === 0 && l.roots.length === 0 && !l.reaper;
      },
      { deadlineMs: 60_000, intervalMs: 50, what: "the reaper to clean up" },
    ).catch((e: Error) => {
      throw new Error(`${e.message}: left ${JSON.stringify(left())}; run output:\n${run.output}`);
    });
  }, 120_000);

  it("with --out, kills the servers but keeps the node directories, as on Ctrl-C", async () => {
    const out = tempDir("replcheck-reaper-out-");
    const run = await startAndKillRun(["--out", out], process.env);
    await waitFor(() => run.servers.every((pid) => !isRunning(pid)) && !isRunning(run.reaper), {
      deadlineMs: 60_000,
      intervalMs: 50,
      what: "the reaper to kill the servers and exit",
    });
    expect(run.nodeDirs.length).toBeGreaterThan(0);
    // Directories of nodes that were running when the harness died (a node stopped normally before that keeps its directory too).
    expect(run.nodeDirs.filter((d) => existsSync(d))).toEqual(run.nodeDirs);
  }, 120_000);
});

describe("the reaper program", () => {
  function startReaperMain(): { reaper: ChildProcess; send(message: object): void; exited: Promise<number | null> } {
    const reaper = spawn(process.execPath, ["--import", "tsx", REAPER_MAIN], {
      cwd: repoRoot,
      stdio: ["pipe", "ignore", "inherit"],
    });
    cleanups.push(() => {
      if (reaper.exitCode === null && reaper.signalCode === null) reaper.kill("SIGKILL");
    });
    const exited = new Promise<number | null>((resolve) => reaper.once("exit", (code) => resolve(code)));
    return { reaper, send: (message) => reaper.stdin!.write(`${JSON.stringify(message)}\n`), exited };
  }

  function sleeper(): { child: ChildProcess; gone: Promise<NodeJS.Signals | null> } {
    const child = spawn("sleep", ["600"], { stdio: "ignore" });
    const gone = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_, signal) => resolve(signal)));
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
    return { child, gone };
  }

  /** A process group: a shell leading it and a sleep in it (like a server and its BGSAVE child). */
  async function group(): Promise<{ leader: ChildProcess; member: number; gone: Promise<NodeJS.Signals | null> }> {
    const leader = spawn("sh", ["-c", "sleep 600 & echo $!; wait"], {
      stdio: ["ignore", "pipe", "ignore"],
      detached: true,
    });
    const gone = new Promise<NodeJS.Signals | null>((resolve) => leader.once("exit", (_, signal) => resolve(signal)));
    cleanups.push(() => {
      if (leader.exitCode === null && leader.signalCode === null) process.kill(-leader.pid!, "SIGKILL");
    });
    let out = "";
    leader.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    const member = Number(
      await waitFor(() => /^(\d+)\n/.exec(out)?.[1], { deadlineMs: 10_000, what: "the group member's pid" }),
    );
    killLater(member);
    return { leader, member, gone };
  }

  it("on end-of-file: kills what it watches (a group with its leader), spares a reused pid and what it forgot, removes directories, exits", async () => {
    const watched = sleeper();
    const led = await group();
    const reused = sleeper(); // told with a start time that is not its own: as if its pid had been reused
    const forgotten = sleeper();
    const dir = tempDir("replcheck-reaper-dir-");
    mkdirSync(join(dir, "n0"));
    const keptDir = tempDir("replcheck-reaper-kept-");
    const { reaper, send, exited } = startReaperMain();
    for (const child of [watched.child, led.leader, forgotten.child])
      send({ op: "pid", pid: child.pid, start: procStat(child.pid!)!.start });
    send({ op: "pid", pid: reused.child.pid, start: "1" });
    send({ op: "forget-pid", pid: forgotten.child.pid });
    send({ op: "dir", path: join(dir, "n0") });
    send({ op: "dir", path: keptDir });
    send({ op: "forget-dir", path: keptDir });
    reaper.stdin!.end(); // what the kernel does when the harness dies
    expect(await exited).toBe(0);
    expect(await watched.gone).toBe("SIGKILL");
    expect(await led.gone).toBe("SIGKILL");
    await waitFor(() => !isRunning(led.member), { deadlineMs: 10_000, what: "the group member to be gone" });
    expect(existsSync(join(dir, "n0"))).toBe(false);
    expect(existsSync(keptDir)).toBe(true);
    expect(isRunning(reused.child.pid!)).toBe(true);
    expect(isRunning(forgotten.child.pid!)).toBe(true);
  });

  it("on end-of-file: kills a process it was never told about when it runs the watched executable inside a watched root", async () => {
    // The pid of a server spawned in the instant before the harness died never reached the reaper.
    const root = realpathSync(tempDir("replcheck-reaper-root-"));
    mkdirSync(join(root, "n0"));
    const inRoot = (cwd: string, command: string, args: string[]) => {
      const child = spawn(command, args, { cwd, stdio: "ignore" });
      const gone = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_, signal) => resolve(signal)));
      cleanups.push(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      });
      return { child, gone };
    };
    const untold = inRoot(join(root, "n0"), "sleep", ["600"]);
    const elsewhere = inRoot(tmpdir(), "sleep", ["600"]); // same executable, outside the root
    const otherExe = inRoot(join(root, "n0"), process.execPath, ["-e", "setTimeout(() => {}, 600000)"]); // inside the root, another executable
    await waitFor(() => readlinkSync(`/proc/${untold.child.pid}/exe`).endsWith("sleep"), {
      deadlineMs: 10_000,
      what: "sleep to exec",
    });
    const { reaper, send, exited } = startReaperMain();
    send({ op: "servers-in", root, exe: realpathSync(readlinkSync(`/proc/${untold.child.pid}/exe`)) });
    reaper.stdin!.end();
    expect(await exited).toBe(0);
    expect(await untold.gone).toBe("SIGKILL");
    expect(isRunning(elsewhere.child.pid!)).toBe(true);
    expect(isRunning(otherExe.child.pid!)).toBe(true);
  });

  it("after a goodbye, exits without touching anything", async () => {
    const watched = sleeper();
    const dir = tempDir("replcheck-reaper-bye-");
    const { reaper, send, exited } = startReaperMain();
    send({ op: "pid", pid: watched.child.pid, start: procStat(watched.child.pid!)!.start });
    send({ op: "dir", path: dir });
    send({ op: "bye" });
    expect(await exited).toBe(0);
    reaper.stdin!.destroy();
    expect(isRunning(watched.child.pid!)).toBe(true);
    expect(existsSync(dir)).toBe(true);
  });
});
