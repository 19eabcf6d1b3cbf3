// `replcheck server` as a process: Redis-style options, replicaof, SIGTERM, a taken port.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "./helpers/real-redis.js";
import { info, waitFor } from "./helpers/replication-nodes.js";

const BIN = join(import.meta.dirname, "../../bin/replcheck.js");

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const procs: Proc[] = [];
const clients: Redis[] = [];
const dirs: string[] = [];
const listeners: net.Server[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const p of procs.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
    await p.exited;
  }
  for (const l of listeners.splice(0)) await new Promise((r) => l.close(r));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(args: string[]): Proc {
  const child = spawn(process.execPath, [BIN, "server", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const p = { child, output: () => out, exited };
  procs.push(p);
  return p;
}

async function startProcess(extra: string[] = []): Promise<{ proc: Proc; port: number; client: Redis }> {
  const dir = mkdtempSync(join(tmpdir(), "replcheck-cli-"));
  dirs.push(dir);
  const port = await freePort();
  const proc = run(["--port", String(port), "--dir", dir, "--save", "", "--repl-diskless-sync-delay", "0", ...extra]);
  await waitFor(
    "Ready to accept connections",
    () => proc.output().includes("Ready to accept connections") || proc.child.exitCode !== null,
    30_000,
  );
  expect(proc.child.exitCode).toBeNull();
  const client = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  clients.push(client);
  return { proc, port, client };
}

describe("replcheck server", () => {
  it("serves clients, replicates with --replicaof HOST PORT, and exits 0 on SIGTERM", async () => {
    const master = await startProcess();
    expect(await master.client.set("k", "v")).toBe("OK");
    const replica = await startProcess(["--replicaof", "127.0.0.1", String(master.port)]);
    await waitFor("replica link up", async () => (await info(replica.client)).master_link_status === "up");
    await waitFor("replicated", async () => (await replica.client.get("k")) === "v");
    expect((await info(master.client, "server")).replcheck_version).toMatch(/^\d+\.\d+\.\d+/);
    for (const p of [replica.proc, master.proc]) {
      p.child.kill("SIGTERM");
      expect(await p.exited).toBe(0);
    }
    expect(master.proc.output()).toContain("Received SIGTERM scheduling shutdown...");
  });

  it("SHUTDOWN NOSAVE stops the process with exit code 0", async () => {
    const s = await startProcess();
    await s.client.call("SHUTDOWN", "NOSAVE").catch(() => undefined);
    expect(await s.proc.exited).toBe(0);
  });

  it("a taken port or a bad option: exit code 1 and a clear message", async () => {
    const port = await freePort();
    const blocker = net.createServer();
    listeners.push(blocker);
    await new Promise<void>((r) => blocker.listen(port, "127.0.0.1", () => r()));
    const taken = run(["--port", String(port), "--save", ""]);
    expect(await taken.exited).toBe(1);
    expect(taken.output()).toContain(`Cannot listen on 127.0.0.1:${port}: address already in use`);

    const bad = run(["--port", "6390", "--no-such-option", "1"]);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain("Bad server option 'no-such-option'");
  });
});
