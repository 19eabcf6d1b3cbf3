// Who owns SIGINT/SIGTERM, and what a run that is not an image run loads: testcontainers installs
// signal listeners at import time (through signal-exit), so only image targets may import it.
// takeOverSignals leaves the signals to the caller (the registries' handlers do nothing any more,
// their exit handlers still clean up); killAllNow kills and removes everything at once.
// Each case runs in a child process: signal handlers are process-wide.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { isRunning } from "../../harness/reaper/proc.js";
import { isMissingTestcontainers } from "../../harness/targets/image.js";
import { waitFor } from "../../harness/util/wait-for.js";
import { announceContainers, live, sessionLeftovers } from "./container-live.js";
import { announceLiveRedis, redisAvailable } from "./live-redis.js";

announceLiveRedis("interrupts");
announceContainers("interrupts");

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CHILD = join(repoRoot, "test/harness/interrupts-child.ts");

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

interface Started {
  child: ChildProcess;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], env: NodeJS.ProcessEnv = process.env): Started {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return { child, output: () => output, exit };
}

/** The JSON after `tag ` on a line of the child's output, once it is there (or its exit, as an error). */
async function line<T>(started: Started, tag: string): Promise<T> {
  const text = await waitFor(
    () =>
      new RegExp(`^${tag} (.*)$`, "m").exec(started.output())?.[1] ??
      (started.child.exitCode !== null ? `EXITED` : undefined),
    { deadlineMs: 60_000, what: `the child to print ${tag}` },
  );
  if (text === "EXITED") throw new Error(`the child exited before ${tag}:\n${started.output()}`);
  return JSON.parse(text) as T;
}

/** Kill whatever a failing test left, by pid. */
function killLater(pid: number | undefined): void {
  if (pid === undefined) return;
  cleanups.push(() => {
    if (isRunning(pid)) process.kill(pid, "SIGKILL");
  });
}

const IMPORT_CHECK = `
const before = { SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") };
for (const m of process.argv.slice(1)) await import(m);
const { createRequire } = await import("node:module");
const cache = createRequire(import.meta.url).cache ?? {};
const loaded = Object.keys(cache).filter((k) => /[\\\\/]node_modules[\\\\/]testcontainers[\\\\/]/.test(k));
console.log("RESULT " + JSON.stringify({ before, after: { SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") }, loaded: loaded.length }));
`;

describe("testcontainers is loaded for image targets only", () => {
  it("importing the target parser, the CLI's run command and the interrupt helpers loads no testcontainers module and adds no signal listener", async () => {
    const modules = ["harness/targets/parse.ts", "harness/targets/interrupts.ts", "harness/cli/run-command.ts"].map(
      (m) => join(repoRoot, m),
    );
    const started = start(["--input-type=module", "-e", IMPORT_CHECK, ...modules]);
    const result = await line<{ before: object; after: object; loaded: number }>(started, "RESULT");
    expect(result).toEqual({ before: { SIGINT: 0, SIGTERM: 0 }, after: { SIGINT: 0, SIGTERM: 0 }, loaded: 0 });
    expect(await started.exit).toEqual({ code: 0, signal: null });
  });

  it("the check itself sees testcontainers when it is imported (so the test above can fail)", async () => {
    const started = start(["--input-type=module", "-e", IMPORT_CHECK, join(repoRoot, "harness/targets/container.ts")]);
    const result = await line<{ loaded: number; after: { SIGTERM: number } }>(started, "RESULT");
    expect(result.loaded).toBeGreaterThan(0);
    expect(result.after.SIGTERM).toBeGreaterThan(0);
  });

  it("recognises a missing testcontainers package (and only that) as the reason the image target is unavailable", () => {
    const require = createRequire("/");
    let missing: unknown;
    try {
      require("testcontainers");
    } catch (e) {
      missing = e;
    }
    expect(isMissingTestcontainers(missing)).toBe(true);
    const esm = Object.assign(new Error("Cannot find package 'testcontainers' imported from /x/container.ts"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    expect(isMissingTestcontainers(esm)).toBe(true);
    const inner = Object.assign(new Error("Cannot find module '/x/node_modules/testcontainers/dist/y.js'"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    expect(isMissingTestcontainers(inner)).toBe(false);
    expect(isMissingTestcontainers(new Error("testcontainers"))).toBe(false);
  });
});

describe.runIf(redisAvailable)("takeOverSignals and killAllNow", () => {
  it("after takeOverSignals a SIGTERM is the caller's alone: the node survives it, killAllNow then kills it and removes the temp root", async () => {
    const started = start([CHILD, "signal", "redis-server"]);
    const ready = await line<{
      before: Record<string, number>;
      after: Record<string, number>;
      pid: number;
      root: string;
      reaper?: number;
    }>(started, "READY");
    killLater(ready.pid);
    killLater(ready.reaper);
    expect(ready.reaper).toBeDefined(); // Linux: started with the first target
    // The process registry's handlers were there, and are gone.
    expect(ready.before).toEqual({ SIGINT: 1, SIGTERM: 1 });
    expect(ready.after).toEqual({ SIGINT: 0, SIGTERM: 0 });
    expect(isRunning(ready.pid)).toBe(true);
    started.child.kill("SIGTERM");
    const got = await line<{ alive: boolean }>(started, "GOT");
    expect(got.alive).toBe(true); // nobody but the caller acted on the signal
    expect(await started.exit).toEqual({ code: 143, signal: null });
    await waitFor(() => !isRunning(ready.pid), { deadlineMs: 10_000, what: `redis-server ${ready.pid} to be gone` });
    expect(existsSync(ready.root)).toBe(false);
    // The reaper had nothing left to do: it exits by itself.
    if (ready.reaper !== undefined)
      await waitFor(() => !isRunning(ready.reaper!), { deadlineMs: 15_000, what: "the reaper to exit" });
  });

  it("after takeOverSignals the exit handler still kills the nodes and removes the temp root", async () => {
    const started = start([CHILD, "exit", "redis-server"]);
    const ready = await line<{ pid: number; root: string; reaper?: number }>(started, "READY");
    killLater(ready.pid);
    killLater(ready.reaper);
    expect(await started.exit).toEqual({ code: 0, signal: null });
    await waitFor(() => !isRunning(ready.pid), { deadlineMs: 10_000, what: `redis-server ${ready.pid} to be gone` });
    expect(existsSync(ready.root)).toBe(false);
    if (ready.reaper !== undefined)
      await waitFor(() => !isRunning(ready.reaper!), { deadlineMs: 15_000, what: "the reaper to exit" });
  });
});

describe.runIf(live.client !== undefined)("takeOverSignals and killAllNow with an image target", () => {
  it("the container registry leaves SIGTERM to the caller; killAllNow removes the session's containers, network and temp root", async () => {
    const started = start([CHILD, "signal", "image:replcheck-redis:7.0.15"]);
    let session: string | undefined;
    cleanups.push(async () => {
      // Whatever a failing test left: removed here.
      if (session !== undefined)
        await (await import("../../harness/targets/container-cleanup.js")).removeSession(live.client!, session);
    });
    const ready = await line<{
      before: Record<string, number>;
      after: Record<string, number>;
      root: string;
      session: string;
      reaper?: number;
    }>(started, "READY");
    session = ready.session;
    killLater(ready.reaper);
    // Exactly the registry's own handler went; testcontainers' listeners (loaded for this target) stay.
    expect(ready.before.SIGTERM - ready.after.SIGTERM).toBe(1);
    expect(ready.before.SIGINT - ready.after.SIGINT).toBe(1);
    expect((await sessionLeftovers(live.client!, session)).containers).toHaveLength(1);
    started.child.kill("SIGTERM");
    await line(started, "GOT");
    expect(await started.exit).toEqual({ code: 143, signal: null });
    expect(await sessionLeftovers(live.client!, session)).toEqual({ containers: [], networks: [] });
    expect(existsSync(ready.root)).toBe(false);
  }, 120_000);
});
