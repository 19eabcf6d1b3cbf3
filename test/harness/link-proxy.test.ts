// Link proxy behaviour against plain TCP servers started here (no Redis needed).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { abortSocket, ProxiedConnection } from "../../harness/proxy/proxied-connection.js";
import {
  InvalidLinkStateError,
  ListenAddressInUseError,
  startLinkProxy,
  type LinkProxy,
  type LinkProxyOptions,
} from "../../harness/proxy/index.js";

// ---------------------------------------------------------------- helpers

/** One end of a TCP connection as a test sees it: everything received, and how it ended. */
class Peer {
  readonly chunks: Buffer[] = [];
  ended = false;
  closed = false;
  error: NodeJS.ErrnoException | undefined;
  readonly closedPromise: Promise<void>;

  constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => this.chunks.push(chunk));
    socket.on("end", () => (this.ended = true));
    socket.on("error", (error) => (this.error = error));
    this.closedPromise = new Promise((resolve) =>
      socket.on("close", () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  get received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get receivedBytes(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }
}

interface TestServer {
  readonly port: number;
  readonly peers: Peer[];
  readonly server: Server;
  connectionCount(): Promise<number>;
  close(): Promise<void>;
}

/** Records every connection; with `echo`, writes back what it receives. Half-open allowed. */
async function startTestServer(options: { echo?: boolean } = {}): Promise<TestServer> {
  const peers: Peer[] = [];
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const peer = new Peer(socket);
    peers.push(peer);
    if (options.echo) {
      socket.on("data", (chunk: Buffer) => {
        if (!socket.write(chunk)) socket.pause();
      });
      socket.on("drain", () => socket.resume());
      socket.on("end", () => socket.end());
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  const close = async (): Promise<void> => {
    for (const peer of peers) peer.socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const connectionCount = (): Promise<number> =>
    new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  return { port, peers, server, connectionCount, close };
}

/**
 * Connects and waits until the connection is closed. A reset right after accept may surface as a
 * failed connect (ECONNRESET) or as a connect followed by a close: both mean refused.
 */
async function connectExpectingRefusal(port: number, host = "127.0.0.1"): Promise<void> {
  const socket = connect({ host, port });
  const peer = new Peer(socket);
  cleanups.push(() => void socket.destroy());
  await peer.closedPromise;
  expect(peer.receivedBytes).toBe(0);
}

async function connectClient(port: number, host = "127.0.0.1"): Promise<Peer> {
  const socket = connect({ host, port, allowHalfOpen: true });
  const peer = new Peer(socket);
  await once(socket, "connect");
  return peer;
}

/** Polls `predicate` until true; fails with `what` after the deadline. No fixed sleeps. */
async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Deterministic pseudo-random bytes (xorshift32), so failing fast-check runs replay exactly. */
function pseudoRandomBytes(size: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let x = seed | 0 || 0x9e3779b9;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** Writes `payload` in pieces of the given sizes (cycled), honouring backpressure, then optionally ends. */
async function writeInChunks(socket: Socket, payload: Buffer, sizes: number[], end: boolean): Promise<void> {
  let offset = 0;
  let i = 0;
  while (offset < payload.length) {
    const size = sizes[i++ % sizes.length];
    const piece = payload.subarray(offset, offset + size);
    offset += piece.length;
    if (!socket.write(piece)) await once(socket, "drain");
  }
  if (end) socket.end();
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const PROXY_MODULE = fileURLToPath(new URL("../../harness/proxy/index.ts", import.meta.url));

/** Uses a proxy in every state against an echo server, closes everything, and must then exit. */
const EXIT_CHECK_SCRIPT = `
import { createServer, connect } from "node:net";
import { once } from "node:events";
const { startLinkProxy } = await import(process.argv[1]);
const target = createServer((s) => { s.on("error", () => {}); s.pipe(s); });
target.listen(0, "127.0.0.1");
await once(target, "listening");
const proxy = await startLinkProxy({ targetHost: "127.0.0.1", targetPort: target.address().port });
const open = async () => { const c = connect(proxy.port, "127.0.0.1"); c.on("error", () => {}); await once(c, "connect"); return c; };
const echoing = await open();
echoing.write("hello");
await once(echoing, "data");
await proxy.setState({ throttle: 1000 });
echoing.write("x".repeat(5000));
await proxy.setState("blackhole");
await open();
await proxy.setState("cut");
(await open()).write("held");
await proxy.close();
await new Promise((resolve) => target.close(resolve));
console.log("closed");
`;

// Everything a test starts is registered here and stopped afterwards, also when it fails.
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function server(options: { echo?: boolean } = {}): Promise<TestServer> {
  const started = await startTestServer(options);
  cleanups.push(() => started.close());
  return started;
}

async function proxyTo(target: TestServer | number, options: Partial<LinkProxyOptions> = {}): Promise<LinkProxy> {
  const targetPort = typeof target === "number" ? target : target.port;
  const proxy = await startLinkProxy({ targetHost: "127.0.0.1", targetPort, ...options });
  cleanups.push(() => proxy.close());
  return proxy;
}

async function client(proxy: LinkProxy): Promise<Peer> {
  const peer = await connectClient(proxy.port, proxy.host);
  cleanups.push(() => void peer.socket.destroy());
  return peer;
}

/** A client whose connection has reached the target: returns both ends. */
async function linkedPair(proxy: LinkProxy, target: TestServer): Promise<{ clientEnd: Peer; serverEnd: Peer }> {
  const before = target.peers.length;
  const clientEnd = await client(proxy);
  await waitFor("the target to accept the proxied connection", () => target.peers.length > before);
  return { clientEnd, serverEnd: target.peers[target.peers.length - 1] };
}

// ---------------------------------------------------------------- tests

describe("link proxy: up", () => {
  it("forwards random payloads byte-exactly both ways, whatever the chunking, and passes half-close", async () => {
    const target = await server();
    const proxy = await proxyTo(target);
    const sizes = fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          upSize: fc.integer({ min: 0, max: 1_500_000 }),
          downSize: fc.integer({ min: 0, max: 1_500_000 }),
          seed: fc.integer(),
          upChunks: sizes,
          downChunks: sizes,
        }),
        async ({ upSize, downSize, seed, upChunks, downChunks }) => {
          const up = pseudoRandomBytes(upSize, seed);
          const down = pseudoRandomBytes(downSize, seed ^ 0x5a5a5a5a);
          const { clientEnd, serverEnd } = await linkedPair(proxy, target);
          await Promise.all([
            writeInChunks(clientEnd.socket, up, upChunks, true),
            writeInChunks(serverEnd.socket, down, downChunks, true),
          ]);
          await waitFor("both ends to see the other's FIN", () => clientEnd.ended && serverEnd.ended);
          expect(serverEnd.received.equals(up)).toBe(true);
          expect(clientEnd.received.equals(down)).toBe(true);
          await Promise.all([clientEnd.closedPromise, serverEnd.closedPromise]);
        },
      ),
      { numRuns: 12 },
    );
    await waitFor("all proxied connections to close", () => proxy.stats().active === 0);
    const stats = proxy.stats();
    expect(stats.bytesToTarget).toBe(target.peers.reduce((sum, peer) => sum + peer.receivedBytes, 0));
    expect(stats.closed).toBe(stats.accepted);
  });

  it("keeps a half-closed connection open in the other direction", async () => {
    const target = await server();
    const proxy = await proxyTo(target);
    const { clientEnd, serverEnd } = await linkedPair(proxy, target);
    clientEnd.socket.end(Buffer.from("last words"));
    await waitFor("the target to see the client's FIN", () => serverEnd.ended);
    serverEnd.socket.write("still talking");
    await waitFor("the reply to reach the half-closed client", () => clientEnd.received.toString() === "still talking");
    expect(clientEnd.closed).toBe(false);
    serverEnd.socket.end();
    await clientEnd.closedPromise;
  });

  it("applies backpressure instead of buffering without bound", async () => {
    const target = await server();
    const proxy = await proxyTo(target);
    const { clientEnd, serverEnd } = await linkedPair(proxy, target);
    serverEnd.socket.pause(); // the target stops reading
    const block = Buffer.alloc(64 * 1024, 7);
    let written = 0;
    let stop = false;
    // The client writes as fast as the proxy lets it (it waits for 'drain' like a well-behaved peer).
    const writer = (async () => {
      while (!stop && written < 1024 * 1024 * 1024) {
        written += block.length;
        if (!clientEnd.socket.write(block)) await once(clientEnd.socket, "drain");
      }
    })();
    await waitFor("the proxy to stop reading from the client", async () => {
      const before = proxy.stats().bytesToTarget;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return proxy.stats().bytesToTarget === before;
    });
    // Only socket buffers (kernel and Node) plus the pump's 64 KiB hold may be in flight.
    expect(proxy.stats().bytesToTarget).toBeLessThan(256 * 1024 * 1024);
    stop = true;
    serverEnd.socket.resume();
    await writer;
    clientEnd.socket.end();
    await waitFor("every byte written to arrive", () => serverEnd.ended);
    expect(serverEnd.receivedBytes).toBe(written);
  });
});

describe("link proxy: cut", () => {
  it("closes both sides of current connections, parks new ones, and releases them in order on heal", async () => {
    const target = await server();
    const proxy = await proxyTo(target);
    const events: string[] = [];
    proxy.events.on("parked", (e) => events.push(`parked ${e.id}`));
    proxy.events.on("released", (e) => events.push(`released ${e.id}`));
    const { clientEnd, serverEnd } = await linkedPair(proxy, target);

    await proxy.setState("cut");
    expect(proxy.state).toBe("cut");
    await waitFor("both old ends to be closed", () => clientEnd.closed && serverEnd.closed);
    expect(proxy.stats().active).toBe(0);

    const parked = await client(proxy);
    parked.socket.write("PING\r\n");
    parked.socket.write("REPLCONF listening-port 1\r\n");
    await waitFor("the new connection to be parked", () => proxy.stats().parked === 1);
    expect(target.peers.length).toBe(1); // no upstream connection was made
    expect(await target.connectionCount()).toBe(0);
    expect(parked.closed).toBe(false);

    await proxy.setState("up");
    expect(proxy.stats().parked).toBe(0);
    await waitFor("the released connection to reach the target", () => target.peers.length === 2);
    parked.socket.write("after heal\r\n");
    const released = target.peers[1];
    const expected = "PING\r\nREPLCONF listening-port 1\r\nafter heal\r\n";
    await waitFor("held bytes, then new bytes, in order", () => released.received.toString() === expected);
    released.socket.write("+PONG\r\n");
    await waitFor("the reply to reach the released client", () => parked.received.toString() === "+PONG\r\n");
    expect(events).toEqual(["parked 2", "released 2"]);
    expect(proxy.stats().released).toBe(1);
  });

  it("drops a parked client that leaves before heal instead of releasing it", async () => {
    const target = await server();
    const proxy = await proxyTo(target);
    await proxy.setState("cut");
    const leaver = await client(proxy);
    await waitFor("parked", () => proxy.stats().parked === 1);
    leaver.socket.end();
    await waitFor("the parked connection to be dropped", () => proxy.stats().active === 0);
    await proxy.setState("up");
    expect(target.peers.length).toBe(0);
  });

  it("refuses new connections while cut when asked to (per call and as the proxy default)", async () => {
    const target = await server();
    for (const how of ["per-call", "default"] as const) {
      const proxy = await proxyTo(target, how === "default" ? { whileCut: "refuse" } : {});
      const refused: number[] = [];
      proxy.events.on("refused", (e) => refused.push(e.id));
      await (how === "default" ? proxy.setState("cut") : proxy.setState("cut", { whileCut: "refuse" }));
      await connectExpectingRefusal(proxy.port);
      expect(refused).toEqual([1]);
      expect(proxy.stats()).toMatchObject({ refused: 1, active: 0, parked: 0 });
      await proxy.setState("up");
      const { clientEnd, serverEnd } = await linkedPair(proxy, target);
      clientEnd.socket.write("ok");
      await waitFor("forwarding after the refusing cut", () => serverEnd.received.toString() === "ok");
    }
  });

  it("a refusing cut also closes connections parked by an earlier cut", async () => {
    const target = await server();
    const proxy = await proxyTo(target);
    await proxy.setState("cut");
    const parked = await client(proxy);
    await waitFor("parked", () => proxy.stats().parked === 1);
    await proxy.setState("cut", { whileCut: "refuse" });
    await parked.closedPromise;
    expect(proxy.stats().active).toBe(0);
  });
});

describe("link proxy: blackhole", () => {
  it("forwards nothing either way, keeps sockets open, and closes them on heal", async () => {
    const target = await server();
    const proxy = await proxyTo(target);
    const { clientEnd, serverEnd } = await linkedPair(proxy, target);
    clientEnd.socket.write("before");
    await waitFor("pre-blackhole bytes delivered", () => serverEnd.received.toString() === "before");

    await proxy.setState("blackhole");
    const up = pseudoRandomBytes(200_000, 1);
    const down = pseudoRandomBytes(300_000, 2);
    clientEnd.socket.write(up);
    serverEnd.socket.write(down);
    const late = await client(proxy); // accepted and black-holed, no upstream
    late.socket.write("hello?");
    await waitFor("the proxy to read and drop everything sent", () => {
      const s = proxy.stats();
      return s.bytesDroppedToTarget === up.length + 6 && s.bytesDroppedToClient === down.length;
    });
    expect(serverEnd.received.toString()).toBe("before");
    expect(clientEnd.receivedBytes).toBe(0);
    expect(late.receivedBytes).toBe(0);
    expect(target.peers.length).toBe(1);
    expect([clientEnd.closed, clientEnd.ended, serverEnd.closed, serverEnd.ended, late.closed]).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(proxy.stats()).toMatchObject({ active: 2, blackholed: 2 });

    await proxy.setState("up");
    await waitFor("heal to close every black-holed socket", () => clientEnd.closed && serverEnd.closed && late.closed);
    const fresh = await linkedPair(proxy, target);
    fresh.clientEnd.socket.write("clean");
    await waitFor("a fresh connection forwards", () => fresh.serverEnd.received.toString() === "clean");
  });

  it("does not pass a close across the blackhole", async () => {
    const target = await server();
    const proxy = await proxyTo(target);
    const { clientEnd, serverEnd } = await linkedPair(proxy, target);
    await proxy.setState("blackhole");
    serverEnd.socket.end(); // the master gives up on its replica
    await waitFor("the proxy to drop its target side", () => serverEnd.closed);
    clientEnd.socket.write("x");
    await waitFor("the byte to be dropped", () => proxy.stats().bytesDroppedToTarget === 1);
    expect(clientEnd.ended || clientEnd.closed).toBe(false);
    await proxy.setState("up");
    await clientEnd.closedPromise;
  });

  it("with afterBlackhole: resume, forwards again on the same sockets", async () => {
    const target = await server();
    const proxy = await proxyTo(target);
    const { clientEnd, serverEnd } = await linkedPair(proxy, target);
    await proxy.setState("blackhole");
    clientEnd.socket.write("lost");
    await waitFor("dropped", () => proxy.stats().bytesDroppedToTarget === 4);
    const late = await client(proxy);
    await waitFor("late connection black-holed", () => proxy.stats().blackholed === 2);
    await proxy.setState("up", { afterBlackhole: "resume" });
    clientEnd.socket.write("kept");
    serverEnd.socket.write("back");
    late.socket.write("late");
    await waitFor("bytes after the heal arrive", () => serverEnd.received.toString() === "kept");
    await waitFor("both ways", () => clientEnd.received.toString() === "back");
    await waitFor("the late connection gets an upstream", () => target.peers.length === 2);
    await waitFor("and forwards", () => target.peers[1].received.toString() === "late");
  });
});

describe("link proxy: throttle", () => {
  it("delivers everything intact, in several chunks, both ways; rate changes apply mid-stream", async () => {
    const target = await server();
    const proxy = await proxyTo(target);
    await proxy.setState({ throttle: 400_000 });
    expect(proxy.state).toEqual({ throttle: 400_000 });
    const { clientEnd, serverEnd } = await linkedPair(proxy, target);
    const up = pseudoRandomBytes(120_000, 3);
    const down = pseudoRandomBytes(120_000, 4);
    clientEnd.socket.write(up);
    serverEnd.socket.write(down);
    await waitFor("part of the payload arrived", () => serverEnd.receivedBytes > 20_000);
    await proxy.setState({ throttle: 2_000_000 });
    await waitFor(
      "everything arrived",
      () => serverEnd.receivedBytes === up.length && clientEnd.receivedBytes === down.length,
    );
    expect(serverEnd.received.equals(up)).toBe(true);
    expect(clientEnd.received.equals(down)).toBe(true);
    // The burst allowance is 20 ms of traffic, so 120 kB cannot come in one piece.
    expect(serverEnd.chunks.length).toBeGreaterThan(3);
    expect(clientEnd.chunks.length).toBeGreaterThan(3);
  });

  it("lifting the throttle delivers the rest at full speed, intact", async () => {
    const target = await server({ echo: true });
    const proxy = await proxyTo(target);
    await proxy.setState({ throttle: 50_000 });
    const peer = await client(proxy);
    const payload = pseudoRandomBytes(1_000_000, 5);
    peer.socket.write(payload);
    await waitFor("a first throttled piece", () => peer.receivedBytes > 0);
    await proxy.setState("up");
    await waitFor("the full echo", () => peer.receivedBytes === payload.length);
    expect(peer.received.equals(payload)).toBe(true);
  });
});

describe("link proxy: retarget", () => {
  it("cuts current connections and sends new and parked ones to the new target", async () => {
    const first = await server();
    const second = await server();
    const proxy = await proxyTo(first);
    const { clientEnd, serverEnd } = await linkedPair(proxy, first);
    await proxy.retarget("127.0.0.1", second.port);
    expect(proxy.target).toEqual({ host: "127.0.0.1", port: second.port });
    await waitFor("the old connection closed on both sides", () => clientEnd.closed && serverEnd.closed);
    const moved = await linkedPair(proxy, second);
    moved.clientEnd.socket.write("to second");
    await waitFor("forwarded to the new target", () => moved.serverEnd.received.toString() === "to second");

    await proxy.setState("cut");
    const parked = await client(proxy);
    parked.socket.write("held");
    await waitFor("parked", () => proxy.stats().parked === 1);
    await proxy.retarget("127.0.0.1", first.port);
    expect(parked.closed).toBe(false);
    await proxy.setState("up");
    await waitFor("the parked connection released to the new target", () => first.peers.length === 2);
    await waitFor("with its held bytes", () => first.peers[1].received.toString() === "held");
  });
});

describe("link proxy: errors", () => {
  it("closes the client and reports why when the target is unreachable, and keeps running", async () => {
    const deadPort = await closedPort();
    const proxy = await proxyTo(deadPort, { name: "edge-a" });
    const errors: { id: number; code: string | undefined; message: string }[] = [];
    proxy.events.on("upstream-error", (e) => errors.push({ id: e.id, code: e.error.code, message: e.error.message }));
    const peer = await client(proxy);
    await peer.closedPromise;
    await waitFor("the proxy to finish closing its side", () => proxy.stats().active === 0);
    expect(errors).toEqual([
      {
        id: 1,
        code: "ECONNREFUSED",
        message: expect.stringContaining(`edge-a: target 127.0.0.1:${deadPort} unreachable`),
      },
    ]);
    expect(proxy.stats()).toMatchObject({ upstreamFailures: 1, active: 0 });

    const target = await server();
    await proxy.retarget("127.0.0.1", target.port);
    const { clientEnd, serverEnd } = await linkedPair(proxy, target);
    clientEnd.socket.write("alive");
    await waitFor("the proxy still forwards", () => serverEnd.received.toString() === "alive");
  });

  it("releases a parked connection into an unreachable target as a closed client plus an event", async () => {
    const proxy = await proxyTo(await closedPort());
    const failures: number[] = [];
    proxy.events.on("upstream-error", (e) => failures.push(e.id));
    await proxy.setState("cut");
    const peer = await client(proxy);
    await waitFor("parked", () => proxy.stats().parked === 1);
    await proxy.setState("up"); // resolves once the attempt is over
    expect(failures).toEqual([1]);
    await peer.closedPromise;
  });

  it("says which listen address is taken", async () => {
    const occupied = await server();
    const error = await startLinkProxy({
      listenPort: occupied.port,
      targetHost: "127.0.0.1",
      targetPort: occupied.port,
      name: "edge-b",
    }).then(
      (proxy) => {
        cleanups.push(() => proxy.close());
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ListenAddressInUseError);
    expect((error as Error).message).toBe(
      `link proxy edge-b: cannot listen on 127.0.0.1:${occupied.port}: address already in use`,
    );
  });

  it("says when the listen host is not an address of this machine", async () => {
    // 192.0.2.0/24 is TEST-NET-1: never assigned to a local interface.
    await expect(
      startLinkProxy({ listenHost: "192.0.2.1", targetHost: "127.0.0.1", targetPort: 1, name: "edge-d" }),
    ).rejects.toThrow("link proxy edge-d: cannot listen on 192.0.2.1:0: address not available on this machine");
  });

  it("listens on any local address, e.g. all interfaces, and forwards to any host:port", async () => {
    const target = await server();
    const proxy = await proxyTo(target, { listenHost: "0.0.0.0", targetHost: "localhost" });
    expect(proxy.host).toBe("0.0.0.0");
    const peer = await connectClient(proxy.port, "127.0.0.1");
    cleanups.push(() => void peer.socket.destroy());
    peer.socket.write("via all interfaces");
    await waitFor("forwarded", () => target.peers[0]?.received.toString() === "via all interfaces");
  });

  it("rejects invalid states and keeps the current one", async () => {
    const target = await server();
    const proxy = await proxyTo(target, { name: "edge-c" });
    for (const bad of [
      "down",
      { throttle: 0 },
      { throttle: -5 },
      { throttle: Number.NaN },
      { throttle: "fast" },
      null,
      42,
    ]) {
      await expect(proxy.setState(bad as never)).rejects.toBeInstanceOf(InvalidLinkStateError);
    }
    await expect(proxy.setState("down" as never)).rejects.toThrow(/edge-c: invalid state: got "down"/);
    expect(proxy.state).toBe("up");
  });

  it("rejects malformed addresses before touching a socket", async () => {
    await expect(startLinkProxy({ targetHost: "", targetPort: 1 })).rejects.toThrow(/targetHost must be a non-empty/);
    await expect(startLinkProxy({ targetHost: "127.0.0.1", targetPort: 70_000 })).rejects.toThrow(
      /targetPort must be an integer in 1..65535/,
    );
  });
});

describe("link proxy: every close ends", () => {
  it("closes a socket that was shut down for writing in the same tick (a reset would be refused: EINVAL, no close event)", async () => {
    const target = await server();
    const peer = await connectClient(target.port);
    cleanups.push(() => void peer.socket.destroy());
    peer.socket.end();
    abortSocket(peer.socket);
    await peer.closedPromise;
    expect(peer.socket.destroyed).toBe(true);
  });

  it("counts a connection closed after closeDeadlineMs when a socket never reports 'close'", async () => {
    const target = await server();
    const peer = await connectClient(target.port);
    cleanups.push(() => void peer.socket.destroy());
    await waitFor("the target to accept", () => target.peers.length === 1);
    const closedHook: string[] = [];
    const connection = new ProxiedConnection(
      1,
      target.peers[0].socket,
      {
        forwarded: () => {},
        dropped: () => {},
        upstreamConnected: () => {},
        upstreamFailed: () => {},
        closed: (_, reason) => closedHook.push(reason),
      },
      { proxyName: "test", connectTimeoutMs: 1000, closeDeadlineMs: 50 },
    );
    // What Node does when a reset is refused: the handle is dropped and no 'close' event ever comes.
    target.peers[0].socket.end();
    target.peers[0].socket.resetAndDestroy();
    await connection.destroy("test teardown"); // resolves: the deadline counts it closed
    expect(closedHook).toHaveLength(1);
    expect(closedHook[0]).toMatch(/no close event within 50 ms/);
  });

  it("cut and close end for connections half-closed both ways at that very moment", async () => {
    const target = await server();
    const proxy = await proxyTo(target);
    for (let i = 0; i < 20; i++) {
      const { clientEnd, serverEnd } = await linkedPair(proxy, target);
      clientEnd.socket.end("bye");
      serverEnd.socket.end("bye");
      // Some iterations catch the proxy between passing a FIN on and the socket finishing its shutdown.
      await waitFor(
        `iteration ${i}: a FIN to reach the proxy`,
        () => proxy.stats().bytesToTarget + proxy.stats().bytesToClient > 6 * i,
      );
      await proxy.setState("cut");
      await proxy.setState("up");
    }
    await proxy.close();
    expect(proxy.stats().active).toBe(0);
  });
});

describe("link proxy: lifecycle", () => {
  it("close() resets every connection and is idempotent", async () => {
    const target = await server();
    const proxy = await proxyTo(target);
    const forwarded = await connectClient(proxy.port);
    await waitFor("forwarding", () => target.peers.length === 1);
    await proxy.setState("blackhole");
    const blackholed = await connectClient(proxy.port);
    await proxy.setState("cut", { whileCut: "park" });
    const parked = await connectClient(proxy.port);
    await proxy.setState({ throttle: 1000 });
    const throttled = await connectClient(proxy.port);
    await waitFor("throttled connection forwarding", () => target.peers.length === 3);
    await proxy.setState("cut");
    const parkedAgain = await connectClient(proxy.port);
    await waitFor("parked", () => proxy.stats().parked === 1);

    const closing = proxy.close();
    expect(proxy.close()).toBe(closing);
    await closing;
    await Promise.all([forwarded, blackholed, parked, throttled, parkedAgain].map((peer) => peer.closedPromise));
    await waitFor("the target to see every proxied connection go", async () => (await target.connectionCount()) === 0);
    expect(proxy.stats().active).toBe(0);
    await expect(connectClient(proxy.port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await expect(proxy.setState("up")).rejects.toThrow(/proxy is closed/);
    await expect(proxy.retarget("127.0.0.1", target.port)).rejects.toThrow(/proxy is closed/);
  });

  it("leaves no open handles: a process that used a proxy in every state exits by itself", async () => {
    // Run in a child process: if close() left a socket, server or timer behind, it would not exit.
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", EXIT_CHECK_SCRIPT, PROXY_MODULE],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    cleanups.push(() => void child.kill("SIGKILL"));
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
    let code: number | null | undefined;
    void exited.then(([exitCode]) => (code = exitCode));
    await waitFor(
      `the child to exit by itself after close(); output so far: ${output}`,
      () => code !== undefined,
      30_000,
    );
    expect({ code, output: output.trim() }).toEqual({ code: 0, output: "closed" });
  });

  it("runs many independent proxies in one process", async () => {
    const target = await server({ echo: true });
    const proxies = await Promise.all([1, 2, 3].map((n) => proxyTo(target, { name: `edge-${n}` })));
    await proxies[1].setState("cut");
    await proxies[2].setState("blackhole");
    const peers = await Promise.all(proxies.map((p) => client(p)));
    for (const peer of peers) peer.socket.write("echo");
    await waitFor("only the up proxy echoes", () => peers[0].received.toString() === "echo");
    expect(proxies.map((p) => p.stats().parked)).toEqual([0, 1, 0]);
    expect(proxies.map((p) => p.stats().blackholed)).toEqual([0, 0, 1]);
    await Promise.all(proxies.map((p) => p.setState("up")));
    await waitFor("the parked client released and echoed", () => peers[1].received.toString() === "echo");
    await peers[2].closedPromise; // black-holed: closed on heal
  });

  it("survives any sequence of states and forwards cleanly afterwards", async () => {
    const target = await server({ echo: true });
    const proxy = await proxyTo(target);
    const state = fc.oneof(
      fc.constantFrom("up" as const, "cut" as const, "blackhole" as const),
      fc.integer({ min: 1_000, max: 10_000_000 }).map((throttle) => ({ throttle })),
    );
    const step = fc.record({
      state,
      newClients: fc.integer({ min: 0, max: 2 }),
      whileCut: fc.constantFrom("park" as const, "refuse" as const),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 8 }), async (steps) => {
        const peers: Peer[] = [];
        for (const { state: next, newClients, whileCut } of steps) {
          await proxy.setState(next, { whileCut });
          for (let i = 0; i < newClients; i++) {
            if (next === "cut" && whileCut === "refuse") {
              await connectExpectingRefusal(proxy.port);
              continue;
            }
            const peer = await connectClient(proxy.port);
            peer.socket.write(pseudoRandomBytes(10_000, i));
            peers.push(peer);
          }
        }
        await proxy.setState("up");
        const probe = await connectClient(proxy.port);
        const payload = pseudoRandomBytes(50_000, steps.length);
        probe.socket.end(payload);
        await probe.closedPromise;
        expect(probe.received.equals(payload)).toBe(true);
        for (const peer of peers) peer.socket.destroy();
        await waitFor("every connection to be gone", () => proxy.stats().active === 0);
      }),
      { numRuns: 25 },
    );
  });
});
