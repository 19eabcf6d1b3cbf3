// The binary target against the real redis-server (Debian's 7.0.15): start, config, restart,
// port conflicts, missing binaries, stopAll and interrupted runs.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createAdminClient } from "../../harness/client.js";
import { datasetDigest, parseInfo } from "../../harness/observe/index.js";
import { createBinaryTarget, type BinaryTarget } from "../../harness/targets/binary.js";
import { resolveBinary } from "../../harness/targets/binary-lookup.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { findFreePort } from "../../harness/targets/free-port.js";
import { cleanupHandlersInstalled as handlersInstalled } from "../../harness/targets/cleanup.js";
import { TargetUnavailable } from "../../harness/targets/target.js";
import { waitFor } from "../../harness/util/wait-for.js";
import { announceLiveRedis, REDIS_SERVER, redisAvailable } from "./live-redis.js";

announceLiveRedis("binary target");

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// Everything a test starts, so afterAll can clean up after a failing test.
const targets = new Set<BinaryTarget>();
const clients = new Set<Redis>();
const cleanups: (() => Promise<void> | void)[] = [];

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await Promise.all([...targets].map((t) => t.stopAll()));
  for (const f of cleanups.splice(0)) await f();
});

async function newTarget(options: Partial<Parameters<typeof createBinaryTarget>[0]> = {}): Promise<BinaryTarget> {
  const t = await createBinaryTarget({ binary: REDIS_SERVER, ...options });
  targets.add(t);
  return t;
}

async function admin(port: number): Promise<Redis> {
  const c = await createAdminClient({ host: "127.0.0.1", port });
  clients.add(c);
  return c;
}

/** A process is gone when signalling it fails, or it is a zombie waiting for a reaper that is not us. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
}

async function occupyPort(): Promise<{ server: Server; port: number }> {
  // Holds the port and drops every connection (an unread paused socket would keep close() waiting).
  const server = createServer((socket) => socket.destroy());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { server, port: (server.address() as { port: number }).port };
}

describe.runIf(redisAvailable)("binary target (real redis-server)", () => {
  it("starts a node in its own directory on an ephemeral port with the given config, empty values included", async () => {
    const target = await newTarget();
    try {
      expect(target.kind).toBe("binary");
      expect(target.description).toMatch(/^redis-server \d+\.\d+\.\d+ \(\/usr\/bin\/redis-server\)$/);
      expect(target.proxyListenHost).toBe("127.0.0.1");
      expect(target.proxyAdvertiseHost).toBe("127.0.0.1");
      const config = deterministicConfig();
      const node = await target.startNode("n0", config);
      expect(node.name).toBe("n0");
      expect(node.host).toBe("127.0.0.1");
      expect(node.port).toBeGreaterThan(0);
      expect(node.upstream).toEqual({ host: "127.0.0.1", port: node.port });
      expect(node.dir).toBe(join(target.root, "n0"));
      expect(node.logPath).toBe(join(target.root, "n0", "server.log"));
      const c = await admin(node.port);
      const server = parseInfo(String(await c.call("INFO", "server"))).server;
      expect(Number(server.process_id)).toBe(node.pid);
      expect(server.tcp_port).toBe(String(node.port));
      expect(String(await c.call("CONFIG", "GET", "dir"))).toContain(node.dir);
      expect(await c.call("CONFIG", "GET", "dbfilename")).toEqual(["dbfilename", "dump.rdb"]);
      expect(await c.call("CONFIG", "GET", "bind")).toEqual(["bind", "127.0.0.1"]);
      // Every deterministic option is accepted and applied; save "" arrived as an empty argument.
      for (const [name, value] of Object.entries(config)) {
        expect(await c.call("CONFIG", "GET", name), name).toEqual([name, value]);
      }
      expect(readFileSync(node.logPath, "utf8")).toContain("Ready to accept connections");
    } finally {
      await target.stopAll();
    }
  });

  it("restarts a node in the same directory and on the same port, keeping its RDB, with the new config", async () => {
    const target = await newTarget();
    try {
      const node = await target.startNode("n0", deterministicConfig());
      const { port } = node;
      const firstPid = node.pid!;
      const c = await admin(port);
      await c.call("SET", "s", "v1");
      await c.call("RPUSH", "l", "a", "b");
      await c.call("SELECT", "2");
      await c.call("HSET", "h", "f", "1");
      await c.call("SELECT", "0");
      await c.call("SAVE");
      const before = await datasetDigest(c);
      c.disconnect();

      await node.restart({ ...deterministicConfig(), "repl-backlog-size": "2mb" });
      expect(node.port).toBe(port);
      expect(node.pid).toBeDefined();
      expect(node.pid).not.toBe(firstPid);
      expect(alive(firstPid)).toBe(false);
      const c2 = await admin(port);
      expect(await datasetDigest(c2)).toEqual(before);
      expect(before).toEqual({
        0: {
          l: { type: "list", value: ["a", "b"], hasExpiry: false },
          s: { type: "string", value: "v1", hasExpiry: false },
        },
        2: { h: { type: "hash", value: [["f", "1"]], hasExpiry: false } },
      });
      expect(await c2.call("CONFIG", "GET", "repl-backlog-size")).toEqual([
        "repl-backlog-size",
        String(2 * 1024 * 1024),
      ]);
      expect(readFileSync(node.logPath, "utf8")).toContain("DB loaded from disk");
    } finally {
      await target.stopAll();
    }
  });

  it("tries another port when the server finds its port taken", async () => {
    const { port: taken } = await occupyPort();
    const offered: number[] = [];
    const target = await newTarget({
      choosePort: async () => {
        const port = offered.length === 0 ? taken : await findFreePort();
        offered.push(port);
        return port;
      },
    });
    try {
      const node = await target.startNode("n0", deterministicConfig());
      expect(offered[0]).toBe(taken);
      expect(offered).toHaveLength(2);
      expect(node.port).toBe(offered[1]);
      expect(readFileSync(node.logPath, "utf8")).toContain("Address already in use");
      const c = await admin(node.port);
      expect(await c.call("PING")).toBe("PONG");
    } finally {
      await target.stopAll();
    }
  });

  it("reports TargetUnavailable when every port it tries is taken", async () => {
    const { port: taken } = await occupyPort();
    const target = await newTarget({ choosePort: async () => taken, portAttempts: 2 });
    try {
      const failure = await target.startNode("n0", deterministicConfig()).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(TargetUnavailable);
      expect((failure as Error).message).toMatch(/port is taken/);
      expect((failure as Error).message).toContain(String(taken));
    } finally {
      await target.stopAll();
    }
  });

  it("reports TargetUnavailable with the server's log when it refuses the config", async () => {
    const target = await newTarget();
    try {
      const failure = await target.startNode("n0", { "no-such-option": "1" }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(TargetUnavailable);
      expect((failure as Error).message).toMatch(/exited \(code 1\) before answering PING/);
      expect((failure as Error).message).toContain("Bad directive");
    } finally {
      await target.stopAll();
    }
  });

  it("refuses config options the target manages itself", async () => {
    const target = await newTarget();
    try {
      await expect(target.startNode("n0", { port: "6379" })).rejects.toThrow(/port is set by the binary target/);
    } finally {
      await target.stopAll();
    }
  });

  it("stopAll stops every process, removes the temp root and the signal handlers, and is idempotent", async () => {
    const target = await newTarget();
    const a = await target.startNode("n0", deterministicConfig());
    const b = await target.startNode("n1", deterministicConfig());
    const pids = [a.pid!, b.pid!];
    expect(pids.every(alive)).toBe(true);
    expect(existsSync(target.root)).toBe(true);
    expect(handlersInstalled()).toBe(true);
    await target.stopAll();
    // stopAll's waits are bounded (a run must end); on a very busy machine the exit may be reported late.
    await waitFor(() => !pids.some(alive), { deadlineMs: 30_000, intervalMs: 20, what: "the stopped servers to exit" });
    expect(existsSync(target.root)).toBe(false);
    expect(a.pid).toBeUndefined();
    expect(handlersInstalled()).toBe(false);
    await target.stopAll();
    await a.stop();
    await expect(a.restart(deterministicConfig())).rejects.toThrow(/was stopped/);
    await expect(target.startNode("n2", {})).rejects.toThrow(/stopped/);
  });

  it("keeps the temp root with the logs when asked to", async () => {
    const workRoot = await mkdtemp(join(tmpdir(), "replcheck-keep-"));
    cleanups.push(() => rm(workRoot, { recursive: true, force: true }));
    const target = await newTarget({ workRoot, keepLogs: true });
    const node = await target.startNode("n0", deterministicConfig());
    await target.stopAll();
    expect(dirname(target.root)).toBe(workRoot);
    expect(readFileSync(node.logPath, "utf8")).toContain("Ready to accept connections");
  });

  for (const mode of ["signal", "exit"] as const) {
    it(
      mode === "signal"
        ? "kills its servers when the run gets SIGINT, and still dies of SIGINT"
        : "kills its servers when the process exits without stopAll",
      async () => {
        const child = spawn(
          process.execPath,
          ["--import", "tsx", join(repoRoot, "test/harness/binary-target-child.ts"), mode],
          {
            cwd: repoRoot,
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        let out = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (out += d.toString()));
        const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
        let redisPid: number | undefined;
        try {
          const line = await waitFor(
            () => /^READY (.*)$/m.exec(out)?.[1] ?? (child.exitCode !== null ? `exited: ${out}` : undefined),
            {
              deadlineMs: 30_000,
              what: "the child to start its node",
            },
          );
          const ready = JSON.parse(line) as { pid: number; port: number; root: string };
          redisPid = ready.pid;
          if (mode === "signal") {
            expect(alive(ready.pid)).toBe(true);
            child.kill("SIGINT");
          }
          const [code, signal] = await exited;
          if (mode === "signal") expect(signal).toBe("SIGINT");
          else expect(code).toBe(0);
          await waitFor(() => !alive(ready.pid), { deadlineMs: 10_000, what: `redis-server ${ready.pid} to be gone` });
          expect(existsSync(ready.root)).toBe(false);
        } finally {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          if (redisPid !== undefined && alive(redisPid)) process.kill(redisPid, "SIGKILL");
        }
      },
    );
  }
});

describe("binary target: finding the executable", () => {
  it("throws TargetUnavailable naming a missing path, with the install hint", async () => {
    const failure = await createBinaryTarget({ binary: "/nonexistent/dir/redis-server" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TargetUnavailable);
    expect((failure as TargetUnavailable).message).toContain("/nonexistent/dir/redis-server");
    expect((failure as TargetUnavailable).message).toContain("does not exist");
    expect((failure as TargetUnavailable).hint).toContain("apt-get install redis-server");
    expect((failure as TargetUnavailable).hint).toContain("--target binary:/path/to/server");
  });

  it("throws TargetUnavailable for a file that is not executable", async () => {
    const dir = await mkdtemp(join(tmpdir(), "replcheck-bin-"));
    try {
      const path = join(dir, "redis-server");
      writeFileSync(path, "#!/bin/sh\n");
      chmodSync(path, 0o644);
      await expect(createBinaryTarget({ binary: path })).rejects.toThrow(/is not executable/);
      await expect(createBinaryTarget({ binary: dir })).rejects.toThrow(/is not a file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("looks a bare name up in PATH", () => {
    expect(() => resolveBinary("replcheck-no-such-server", "/usr/bin:/bin")).toThrow(TargetUnavailable);
    expect(() => resolveBinary("replcheck-no-such-server", "/usr/bin:/bin")).toThrow(/not found in PATH/);
    expect(resolveBinary("sh", "/nonexistent:/bin")).toBe("/bin/sh");
  });

  it.runIf(redisAvailable)("finds redis-server in PATH", () => {
    expect(resolveBinary("redis-server", `/nonexistent:${dirname(REDIS_SERVER)}`)).toBe(REDIS_SERVER);
  });

  it("throws TargetUnavailable for an executable that is not a Redis server, at the latest when a node starts", async () => {
    // `--version` alone does not decide (a server may print its own format); a process that never
    // answers PING does.
    const failure = await (async () => {
      const target = await newTarget({ binary: "/bin/true" });
      try {
        await target.startNode("n0", {});
      } finally {
        await target.stopAll();
      }
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TargetUnavailable);
    expect((failure as Error).message).toMatch(/did not identify a Redis-compatible server|before answering PING/);
  });
});
