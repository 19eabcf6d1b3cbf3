// Link proxy benchmark: throughput in `up` (through the proxy vs direct), throttle accuracy,
// and how fast a cut takes effect and a parked connection gets through after heal.
// Run: npx tsx bench/link-proxy.ts   (exports runLinkProxyBench for a bench driver)
import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";
import { pathToFileURL } from "node:url";
import { startLinkProxy } from "../harness/proxy/index.js";

const MiB = 1024 * 1024;

interface Target {
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** A server that either discards (counting) or echoes what it receives. */
async function startTarget(mode: "sink" | "echo", onBytes?: (n: number) => void): Promise<Target> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    if (mode === "echo") socket.pipe(socket);
    else socket.on("data", (chunk: Buffer) => onBytes?.(chunk.length));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as { port: number }).port,
    server,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function openClient(port: number): Promise<Socket> {
  const socket = connect({ host: "127.0.0.1", port, noDelay: true });
  socket.on("error", () => {});
  await once(socket, "connect");
  return socket;
}

/** Sends `total` bytes to port (through whatever is listening there) and returns MiB/s received by the sink. */
async function measureThroughput(port: number, total: number, received: () => number): Promise<number> {
  const socket = await openClient(port);
  const block = Buffer.alloc(256 * 1024, 0xab);
  const start = received();
  const began = performance.now();
  for (let sent = 0; sent < total; sent += block.length) {
    if (!socket.write(block)) await once(socket, "drain");
  }
  while (received() - start < total) await new Promise((resolve) => setImmediate(resolve));
  const seconds = (performance.now() - began) / 1000;
  socket.destroy();
  return total / MiB / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function benchThroughput(lines: string[]): Promise<void> {
  let received = 0;
  const sink = await startTarget("sink", (n) => (received += n));
  const proxy = await startLinkProxy({ targetHost: "127.0.0.1", targetPort: sink.port, name: "bench" });
  try {
    const total = 512 * MiB;
    const direct: number[] = [];
    const proxied: number[] = [];
    for (let run = 0; run < 3; run++) {
      direct.push(await measureThroughput(sink.port, total, () => received));
      proxied.push(await measureThroughput(proxy.port, total, () => received));
    }
    lines.push(
      `up throughput (512 MiB, median of 3): direct ${median(direct).toFixed(0)} MiB/s, ` +
        `through proxy ${median(proxied).toFixed(0)} MiB/s (${((median(proxied) / median(direct)) * 100).toFixed(0)}% of direct)`,
    );

    for (const rate of [1 * MiB, 10 * MiB, 50 * MiB]) {
      await proxy.setState({ throttle: rate });
      const total = rate * 2; // about two seconds per rate
      const achieved = await measureThroughput(proxy.port, total, () => received);
      lines.push(
        `throttle ${(rate / MiB).toFixed(0)} MiB/s: achieved ${achieved.toFixed(2)} MiB/s (${((achieved / (rate / MiB)) * 100).toFixed(1)}% of target)`,
      );
    }
    await proxy.setState("up");
  } finally {
    await proxy.close();
    await sink.close();
  }
}

async function benchCutAndHeal(lines: string[]): Promise<void> {
  const echo = await startTarget("echo");
  const proxy = await startLinkProxy({ targetHost: "127.0.0.1", targetPort: echo.port, name: "bench" });
  const cutMs: number[] = [];
  const clientSeesCutMs: number[] = [];
  const healResolvesMs: number[] = [];
  const healEchoMs: number[] = [];
  try {
    for (let run = 0; run < 50; run++) {
      // Cut with one live forwarded connection: how long until setState resolves / the client sees it.
      const live = await openClient(proxy.port);
      live.write("x");
      await once(live, "data");
      const closed = new Promise((resolve) => live.on("close", resolve)); // once() would reject on the reset
      const cutStarted = performance.now();
      await proxy.setState("cut");
      cutMs.push(performance.now() - cutStarted);
      await closed;
      clientSeesCutMs.push(performance.now() - cutStarted);

      // A parked connection with a request waiting: heal until its echo comes back.
      const parked = await openClient(proxy.port);
      parked.write("PING\r\n");
      while (proxy.stats().parked === 0) await new Promise((resolve) => setImmediate(resolve));
      const reply = once(parked, "data");
      const healStarted = performance.now();
      await proxy.setState("up");
      healResolvesMs.push(performance.now() - healStarted);
      await reply;
      healEchoMs.push(performance.now() - healStarted);
      parked.destroy();
    }
  } finally {
    await proxy.close();
    await echo.close();
  }
  const summary = (values: number[]): string =>
    `median ${median(values).toFixed(2)} ms, p95 ${percentile(values, 95).toFixed(2)} ms, max ${Math.max(...values).toFixed(2)} ms`;
  lines.push(`cut: setState("cut") resolves (both sides closed): ${summary(cutMs)}`);
  lines.push(`cut: client sees its connection close: ${summary(clientSeesCutMs)}`);
  lines.push(`heal: setState("up") resolves (parked connection connected): ${summary(healResolvesMs)}`);
  lines.push(`heal: parked request answered through the target: ${summary(healEchoMs)}`);
}

export async function runLinkProxyBench(): Promise<string[]> {
  const lines: string[] = [];
  await benchThroughput(lines);
  await benchCutAndHeal(lines);
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await runLinkProxyBench()) console.log(`link-proxy: ${line}`);
}
