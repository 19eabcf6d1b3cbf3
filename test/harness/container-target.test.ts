// The container target against a real engine (Podman's Docker API in CI), with Debian's
// redis-server 7.0.15 packaged into an image FROM scratch: image build, node start, replication
// across the container network through a link proxy on its gateway, cut/heal, restart with the
// RDB, the network-disconnect partition, interrupted runs, no leftovers, and no runtime at all.

import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { buildImage } from "../../harness/image/build-image.js";
import { LiveCluster } from "../../harness/live/cluster.js";
import { datasetDigest, parseInfo } from "../../harness/observe/index.js";
import { createContainerTarget, type ContainerTarget } from "../../harness/targets/container.js";
import { LABEL_NODE, LABEL_SESSION, LABEL_TARGET, SESSION_ID } from "../../harness/targets/container-labels.js";
import type { ContainerNodeHandle } from "../../harness/targets/container-node.js";
import { cleanupHandlersInstalled as containerHandlersInstalled } from "../../harness/targets/cleanup.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { waitFor } from "../../harness/util/wait-for.js";
import { announceContainers, live, REDIS_SERVER, sessionLeftovers } from "./container-live.js";

announceContainers("container target");

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const run = promisify(execFile);
// This file's own image: removed at the end (the conformance suite keeps its own).
const IMAGE = `replcheck-test-${randomBytes(4).toString("hex")}:7.0.15`;

// Everything a test starts: each test removes its own when it finishes (passed or failed), and
// afterAll once more in case a test was interrupted.
const targets = new Set<ContainerTarget>();
const clusters = new Set<LiveCluster>();
const children = new Set<ReturnType<typeof spawn>>();

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.allSettled([...clusters].map((c) => c.close()));
  await Promise.allSettled([...targets].map((t) => t.stopAll()));
  await live.client?.container.dockerode
    .getImage(IMAGE)
    .remove()
    .catch(() => undefined);
});

async function newTarget(): Promise<ContainerTarget> {
  const t = await createContainerTarget({ image: IMAGE });
  targets.add(t);
  onTestFinished(() => t.stopAll());
  return t;
}

async function newCluster(names: string[], extra: Record<string, string> = {}): Promise<LiveCluster> {
  const c = await LiveCluster.start(await newTarget(), names, { ...deterministicConfig(), ...extra });
  clusters.add(c);
  onTestFinished(() => c.close());
  return c;
}

async function info(cluster: LiveCluster, node: string, section = "replication"): Promise<Record<string, string>> {
  return parseInfo(String(await cluster.node(node).admin.call("INFO", section)))[section];
}

async function replicate(cluster: LiveCluster, replica: string, master: string): Promise<void> {
  const [host, port] = await cluster.replicaofArgs(replica, master);
  await cluster.node(replica).admin.call("REPLICAOF", host, port);
  await waitFor(async () => (await info(cluster, replica)).master_link_status === "up", {
    deadlineMs: 15_000,
    what: `${replica} link up`,
  });
}

async function converged(cluster: LiveCluster, replica: string, master: string): Promise<void> {
  await waitFor(
    async () =>
      JSON.stringify(await datasetDigest(cluster.node(replica).admin)) ===
      JSON.stringify(await datasetDigest(cluster.node(master).admin)),
    {
      deadlineMs: 15_000,
      what: `${replica} to hold ${master}'s data`,
    },
  );
}

describe.runIf(live.client !== undefined)("container target (redis-server 7.0.15 packaged FROM scratch)", () => {
  const docker = () => live.client!.container.dockerode;

  it("builds an image FROM scratch from /usr/bin/redis-server, with the binary as entrypoint", async () => {
    const built = await buildImage({ binary: REDIS_SERVER, tag: IMAGE });
    console.log(`[container target] image build: ${built.elapsedMs} ms`);
    expect(built.libraries.some((l) => /ld-linux/.test(l))).toBe(true);
    const image = await docker().getImage(IMAGE).inspect();
    expect(image.Config.Entrypoint).toEqual(["/usr/local/bin/redis-server"]);
    expect(image.Config.Labels?.["org.replcheck.binary"]).toBe(REDIS_SERVER);
    // No base image: one layer, well under the size of any distribution image.
    expect(image.RootFS.Layers).toHaveLength(1);
    expect(image.Size).toBeLessThan(64 * 1024 * 1024);
  });

  it("starts a node with the deterministic command line, its directory bind-mounted and its port published on 127.0.0.1", async () => {
    const target = await newTarget();
    expect(target.kind).toBe("image");
    const network = await docker().getNetwork(target.network.id).inspect();
    // The gateway comes from the runtime, and the host has it: proxies can listen there.
    expect(target.proxyListenHost).toBe(network.IPAM?.Config?.[0]?.Gateway);
    expect(target.proxyAdvertiseHost).toBe(target.proxyListenHost);
    expect(network.Labels).toMatchObject({ [LABEL_SESSION]: SESSION_ID, [LABEL_TARGET]: target.id });
    const started = Date.now();
    const node = await target.startNode("n0", deterministicConfig());
    console.log(`[container target] node start (container + PONG): ${Date.now() - started} ms`);
    const local = Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address));
    expect(local).toContain(target.proxyListenHost);
    expect(target.description).toBe(`redis 7.0.15 (image ${IMAGE})`);
    expect(node.host).toBe("127.0.0.1");
    expect(node.upstream).toEqual({ host: "127.0.0.1", port: node.port });
    expect(node.dir).toBe(join(target.root, "n0"));
    const container = await docker().getContainer(node.containerId!).inspect();
    expect(container.Config.Labels).toMatchObject({
      [LABEL_SESSION]: SESSION_ID,
      [LABEL_TARGET]: target.id,
      [LABEL_NODE]: "n0",
    });
    expect(container.HostConfig.PortBindings["6379/tcp"]).toEqual([
      { HostIp: "127.0.0.1", HostPort: String(node.port) },
    ]);
    expect(container.HostConfig.Binds?.[0]).toMatch(new RegExp(`^${node.dir}:/data`));
    expect(node.networkAddress).toBe(container.NetworkSettings.Networks[target.network.name].IPAddress);
    const c = await (await import("../../harness/client.js")).createAdminClient({ host: node.host, port: node.port });
    try {
      const config = deterministicConfig();
      for (const [name, value] of Object.entries(config))
        expect(await c.call("CONFIG", "GET", name), name).toEqual([name, value]);
      expect(await c.call("CONFIG", "GET", "dir")).toEqual(["dir", "/data"]);
      expect(await c.call("CONFIG", "GET", "protected-mode")).toEqual(["protected-mode", "no"]);
    } finally {
      c.disconnect();
    }
    expect(node.logPath).toBe(join(node.dir, "server.log"));
    expect(readFileSync(node.logPath!, "utf8")).toContain("Ready to accept connections");
    await target.stopAll();
    expect(existsSync(target.root)).toBe(false);
    await expect(docker().getContainer(container.Id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(docker().getNetwork(target.network.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it("replicates across the container network through a link proxy listening on the gateway", async () => {
    const cluster = await newCluster(["n0", "n1"]);
    const gateway = cluster.target.proxyListenHost;
    const [host, port] = await cluster.replicaofArgs("n1", "n0");
    expect(host).toBe(gateway);
    await replicate(cluster, "n1", "n0");
    const n0 = cluster.node("n0").admin;
    await n0.call("SET", "s", "v");
    await n0.call("RPUSH", "l", "a", "b");
    await converged(cluster, "n1", "n0");
    const r = await info(cluster, "n1");
    expect(r.master_host).toBe(gateway);
    expect(r.master_port).toBe(port);
    // The bytes went through the proxy, which forwards to n0's published port.
    const stats = (await cluster.proxy("n1", "n0")).stats();
    expect(stats.target).toEqual(cluster.node("n0").handle.upstream);
    expect(stats.bytesToClient).toBeGreaterThan(0);
    expect(stats.forwarding).toBe(1);
    expect((await info(cluster, "n0")).connected_slaves).toBe("1");
  });

  it("cut and heal on the proxy: the link goes down, and writes made meanwhile arrive by partial resync", async () => {
    const cluster = await newCluster(["n0", "n1"]);
    await replicate(cluster, "n1", "n0");
    const proxy = await cluster.proxy("n1", "n0");
    await proxy.setState("cut");
    await waitFor(async () => (await info(cluster, "n1")).master_link_status === "down", {
      deadlineMs: 10_000,
      what: "n1 link down",
    });
    await cluster.node("n0").admin.call("SET", "during", "cut");
    expect(await cluster.node("n1").admin.call("GET", "during")).toBeNull();
    const partialBefore = Number((await info(cluster, "n0", "stats")).sync_partial_ok);
    await proxy.setState("up");
    await replicate(cluster, "n1", "n0");
    await converged(cluster, "n1", "n0");
    expect(await cluster.node("n1").admin.call("GET", "during")).toBe("cut");
    expect(Number((await info(cluster, "n0", "stats")).sync_partial_ok)).toBe(partialBefore + 1);
  });

  it("restarts a node in a new container with the new config, on the same port, loading the RDB of its SAVE", async () => {
    const cluster = await newCluster(["n0", "n1"]);
    await replicate(cluster, "n1", "n0");
    const handle = cluster.node("n0").handle as ContainerNodeHandle;
    const { port } = handle;
    const firstContainer = handle.containerId!;
    const n0 = cluster.node("n0").admin;
    await n0.call("SET", "s", "v1");
    await n0.call("SELECT", "2");
    await n0.call("HSET", "h", "f", "1");
    await n0.call("SELECT", "0");
    await n0.call("SAVE");
    const before = await datasetDigest(n0);
    const started = Date.now();
    await cluster.restart("n0", { "repl-backlog-size": "2mb" });
    console.log(`[container target] restart (SHUTDOWN, new container, PONG): ${Date.now() - started} ms`);
    expect(handle.port).toBe(port);
    expect(handle.upstream).toEqual({ host: "127.0.0.1", port });
    expect(handle.containerId).not.toBe(firstContainer);
    await expect(docker().getContainer(firstContainer).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await datasetDigest(cluster.node("n0").admin)).toEqual(before);
    expect(await cluster.node("n0").admin.call("CONFIG", "GET", "repl-backlog-size")).toEqual([
      "repl-backlog-size",
      String(2 * 1024 * 1024),
    ]);
    expect(readFileSync(handle.logPath!, "utf8")).toContain("DB loaded from disk");
    // The replica's proxy still leads to n0: it reconnects and keeps up.
    await cluster.node("n0").admin.call("SET", "after", "restart");
    await replicate(cluster, "n1", "n0");
    await converged(cluster, "n1", "n0");
  });

  it("disconnecting a container from its network is an IP-level partition that only repl-timeout detects", async () => {
    // Pings every second and a 2 s timeout: nothing closes a connection, only silence is seen.
    const cluster = await newCluster(["n0", "n1"], { "repl-timeout": "2", "repl-ping-replica-period": "1" });
    await replicate(cluster, "n1", "n0");
    const replica = cluster.node("n1").handle as ContainerNodeHandle;
    const address = replica.networkAddress;
    const proxy = await cluster.proxy("n1", "n0");
    const closedBefore = proxy.stats().closed;
    await replica.disconnectNetwork();
    try {
      await cluster.node("n0").admin.call("SET", "during", "partition");
      await waitFor(async () => (await info(cluster, "n0")).connected_slaves === "0", {
        deadlineMs: 15_000,
        what: "n0 to drop the silent replica",
      });
    } finally {
      await replica.connectNetwork();
    }
    expect(replica.networkAddress).toBe(address);
    await replicate(cluster, "n1", "n0");
    await converged(cluster, "n1", "n0");
    expect(await cluster.node("n1").admin.call("GET", "during")).toBe("partition");
    expect(readFileSync(cluster.node("n0").handle.logPath!, "utf8")).toMatch(/Disconnecting timedout replica/);
    // The proxy saw the timeout's close, not a fault of its own: it stayed up throughout.
    expect(proxy.state).toBe("up");
    // The old connection's close is counted once both its ends have finished, which may come after
    // the new link is up: polled, bounded.
    await waitFor(() => proxy.stats().closed > closedBefore, {
      deadlineMs: 15_000,
      what: "the proxy to count the old connection's close",
    });
  });

  for (const mode of ["signal", "exit", "sigkill"] as const) {
    it(
      mode === "signal"
        ? "removes its containers, network and directories when the run gets SIGINT, and still dies of SIGINT"
        : mode === "exit"
          ? "removes its containers, network and directories when the process exits without stopAll"
          : "the reaper removes its containers, network and directories when the process is SIGKILLed",
      async () => {
        // The child waits for a signal in "signal" mode; SIGKILL leaves it no chance to clean up.
        const childMode = mode === "sigkill" ? "signal" : mode;
        const child = spawn(
          process.execPath,
          ["--import", "tsx", join(repoRoot, "test/harness/container-target-child.ts"), childMode, IMAGE],
          {
            cwd: repoRoot,
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        children.add(child);
        let out = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (out += d.toString()));
        const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
        let session: string | undefined;
        try {
          const line = await waitFor(
            () => /^READY (.*)$/m.exec(out)?.[1] ?? (child.exitCode !== null ? `exited: ${out}` : undefined),
            {
              deadlineMs: 60_000,
              what: "the child to start its nodes",
            },
          );
          const ready = JSON.parse(line) as { session: string; root: string; containers: string[] };
          session = ready.session;
          expect((await sessionLeftovers(live.client!, session)).containers).toHaveLength(2);
          if (mode === "signal") child.kill("SIGINT");
          if (mode === "sigkill") child.kill("SIGKILL");
          const [code, signal] = await exited;
          if (mode === "signal") expect(signal).toBe("SIGINT");
          else if (mode === "exit") expect(code).toBe(0);
          if (mode === "sigkill") {
            // The reaper works after the harness is gone: poll, bounded.
            const leftovers = () => sessionLeftovers(live.client!, session!);
            await waitFor(
              async () =>
                JSON.stringify(await leftovers()) === JSON.stringify({ containers: [], networks: [] }) &&
                !existsSync(ready.root),
              {
                deadlineMs: 30_000,
                intervalMs: 200,
                what: "the reaper to remove the containers, the network and the directories",
              },
            );
          }
          expect(await sessionLeftovers(live.client!, session)).toEqual({ containers: [], networks: [] });
          expect(existsSync(ready.root)).toBe(false);
        } finally {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          // Whatever the child left: removed here, so a failing test leaves nothing either.
          if (session !== undefined)
            await (await import("../../harness/targets/container-cleanup.js")).removeSession(live.client!, session);
        }
      },
    );
  }

  it("leaves no container or network of this test file behind, and no signal handlers", async () => {
    await Promise.all([...clusters].map((c) => c.close()));
    await Promise.all([...targets].map((t) => t.stopAll()));
    expect(await sessionLeftovers(live.client!, SESSION_ID)).toEqual({ containers: [], networks: [] });
    expect(containerHandlersInstalled()).toBe(false);
  });
});

describe("container target without a container runtime", () => {
  it("fails at once with exit code 2 and says where it looked and what to do", async () => {
    const env = { ...process.env, DOCKER_HOST: "unix:///nonexistent/replcheck-test/docker.sock" };
    const started = Date.now();
    const failure = await run(
      process.execPath,
      [join(repoRoot, "bin/replcheck.js"), "run", "--target", "image:redis:7.4"],
      { cwd: repoRoot, env },
    ).catch((e: { code: number; stderr: string }) => e);
    console.log(
      `[container target] failure without a runtime after ${Date.now() - started} ms (process start included)`,
    );
    expect("code" in failure ? failure.code : 0).toBe(2);
    const stderr = (failure as { stderr: string }).stderr;
    // The CLI prefixes the subcommand ("replcheck run: ...") or not, as its messages evolve.
    expect(stderr).toMatch(
      /replcheck( run)?: cannot start: no container runtime found \(DOCKER_HOST=unix:\/\/\/nonexistent\/replcheck-test\/docker\.sock\)/,
    );
    expect(stderr).toContain("what to do: start Docker, or Podman's Docker API");
  });
});
