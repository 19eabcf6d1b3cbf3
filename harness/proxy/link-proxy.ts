// The link proxy: one per replication edge (replica -> proxy -> master). Faults are its states
// (exact semantics in README.md):
//   up         bytes flow both ways, unchanged, in order, with backpressure.
//   cut        every current connection is reset on both sides; new connections are parked
//              (held open, nothing forwarded, no upstream) and released to the target on heal,
//              or reset at once with `whileCut: "refuse"`.
//   blackhole  every connection stays open but nothing crosses in either direction: bytes are
//              read and dropped (lost, like in a partition); FIN and reset do not cross either
//              (a side that closes is closed on the proxy's end only). New connections are
//              accepted and black-holed (no upstream). Healing resets the black-holed connections
//              (their streams have gaps), or with `afterBlackhole: "resume"` forwards on them again.
//   throttle   forwarding limited to N bytes/s in each direction of each connection.
import { EventEmitter } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { InvalidAddressError, LinkProxyClosedError } from "./errors.js";
import type { ConnectionInfo, Disposition, LinkProxyEvents, StateChange, TargetAddress } from "./events.js";
import { describeLinkState, isForwardingState, rateOf, validateLinkState, type LinkState } from "./link-state.js";
import { listen } from "./listen.js";
import { settleWithin } from "../util/wait-for.js";
import { ProxiedConnection, type ConnectionHooks } from "./proxied-connection.js";

/** What to do with connections that arrive while the link is cut. */
export type WhileCut = "park" | "refuse";
/** What healing does to connections that were black-holed. */
export type AfterBlackhole = "close" | "resume";

export interface LinkProxyOptions {
  /** Address replicas connect to. Default 127.0.0.1; may be any local address (e.g. a container network gateway). */
  listenHost?: string;
  /** Default 0: an ephemeral port, read it back from `port`. */
  listenPort?: number;
  targetHost: string;
  targetPort: number;
  /** Names the proxy in errors and events. Default `proxy->targetHost:targetPort`. */
  name?: string;
  /** Default "park". */
  whileCut?: WhileCut;
  /** Default "close". */
  afterBlackhole?: AfterBlackhole;
  /** Give up connecting to the target after this long (the client is then closed). Default 10 000. */
  connectTimeoutMs?: number;
  /**
   * How long closing a connection (a cut, a retarget, `close`) waits for its sockets to report
   * that they closed before counting them closed anyway, so that `setState`, `retarget` and
   * `close` always resolve. Default 2 000.
   */
  closeDeadlineMs?: number;
}

/** Per-call overrides of the proxy's defaults. */
export interface SetStateOptions {
  /** Applies to the cut this call starts. */
  whileCut?: WhileCut;
  /** Applies to the heal this call performs, if the link was black-holed. */
  afterBlackhole?: AfterBlackhole;
}

export interface LinkProxyStats {
  readonly name: string;
  readonly state: LinkState;
  readonly target: TargetAddress;
  /** Client connections accepted since start, refused ones included. */
  readonly accepted: number;
  /** Open client connections, whatever their mode (the four counts below add up to it). */
  readonly active: number;
  readonly connecting: number;
  readonly forwarding: number;
  readonly parked: number;
  readonly blackholed: number;
  readonly refused: number;
  /** Parked connections that reached the target after a heal. */
  readonly released: number;
  readonly upstreamFailures: number;
  readonly closed: number;
  /** Bytes written towards the target (client -> target) and towards clients (target -> client). */
  readonly bytesToTarget: number;
  readonly bytesToClient: number;
  /** Bytes read and discarded by a blackhole, per direction. */
  readonly bytesDroppedToTarget: number;
  readonly bytesDroppedToClient: number;
  readonly lastStateChange: StateChange;
}

export interface LinkProxy {
  readonly name: string;
  /** Where replicas connect. */
  readonly host: string;
  readonly port: number;
  readonly state: LinkState;
  readonly target: TargetAddress;
  readonly events: EventEmitter<LinkProxyEvents>;
  /**
   * Resolves once the state is in effect: for `cut`, when every old connection is closed on
   * both sides; for a heal, when released/closed connections have finished connecting or closing.
   * Always resolves: a close takes at most `closeDeadlineMs`, a connect at most `connectTimeoutMs`.
   * Rejects with InvalidLinkStateError for anything that is not a state.
   */
  setState(state: LinkState, options?: SetStateOptions): Promise<void>;
  /**
   * Future connections go to host:port. Current connections are cut (reset on both sides),
   * except parked ones, which will be released to the new target on heal.
   * Resolves when the cut connections are closed.
   */
  retarget(host: string, port: number): Promise<void>;
  stats(): LinkProxyStats;
  /** Stops listening and resets every connection; resolves within about 2 × `closeDeadlineMs`. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_CLOSE_DEADLINE_MS = 2_000;

export async function startLinkProxy(options: LinkProxyOptions): Promise<LinkProxy> {
  const listenHost = options.listenHost ?? "127.0.0.1";
  const listenPort = options.listenPort ?? 0;
  const name = options.name ?? `proxy->${options.targetHost}:${options.targetPort}`;
  checkHost(name, "listenHost", listenHost);
  checkPort(name, "listenPort", listenPort, 0);
  checkHost(name, "targetHost", options.targetHost);
  checkPort(name, "targetPort", options.targetPort, 1);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (!(connectTimeoutMs > 0)) throw new InvalidAddressError(`link proxy ${name}: connectTimeoutMs must be > 0`);
  const closeDeadlineMs = options.closeDeadlineMs ?? DEFAULT_CLOSE_DEADLINE_MS;
  if (!(closeDeadlineMs > 0)) throw new InvalidAddressError(`link proxy ${name}: closeDeadlineMs must be > 0`);

  const proxy = new TcpLinkProxy(
    name,
    { host: options.targetHost, port: options.targetPort },
    {
      whileCut: options.whileCut ?? "park",
      afterBlackhole: options.afterBlackhole ?? "close",
      connectTimeoutMs,
      closeDeadlineMs,
    },
  );
  await proxy.listen(listenHost, listenPort);
  return proxy;
}

interface Defaults {
  whileCut: WhileCut;
  afterBlackhole: AfterBlackhole;
  connectTimeoutMs: number;
  closeDeadlineMs: number;
}

interface Counters {
  accepted: number;
  refused: number;
  released: number;
  upstreamFailures: number;
  closed: number;
  bytesToTarget: number;
  bytesToClient: number;
  bytesDroppedToTarget: number;
  bytesDroppedToClient: number;
}

class TcpLinkProxy implements LinkProxy {
  readonly events = new EventEmitter<LinkProxyEvents>();
  private readonly server: Server;
  private readonly connections = new Set<ProxiedConnection>();
  private currentState: LinkState = "up";
  private currentTarget: TargetAddress;
  private lastChange: StateChange;
  private whileCut: WhileCut;
  private nextId = 1;
  private listenAddress = { host: "", port: 0 };
  private closing: Promise<void> | undefined;
  private readonly counters: Counters = {
    accepted: 0,
    refused: 0,
    released: 0,
    upstreamFailures: 0,
    closed: 0,
    bytesToTarget: 0,
    bytesToClient: 0,
    bytesDroppedToTarget: 0,
    bytesDroppedToClient: 0,
  };
  private readonly hooks: ConnectionHooks;

  constructor(
    readonly name: string,
    target: TargetAddress,
    private readonly defaults: Defaults,
  ) {
    this.currentTarget = { ...target };
    this.whileCut = defaults.whileCut;
    this.lastChange = { proxy: name, from: "up", to: "up", at: Date.now() };
    this.server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.accept(socket));
    this.hooks = this.makeHooks();
  }

  get host(): string {
    return this.listenAddress.host;
  }

  get port(): number {
    return this.listenAddress.port;
  }

  get state(): LinkState {
    return this.currentState;
  }

  get target(): TargetAddress {
    return this.currentTarget;
  }

  async listen(host: string, port: number): Promise<void> {
    const address = await listen(this.server, this.name, host, port);
    this.listenAddress = { host: address.address, port: address.port };
    // After start, a server error (e.g. EMFILE on accept) is reported, not thrown.
    this.server.on("error", (error) => this.events.emit("server-error", { proxy: this.name, error }));
  }

  async setState(state: LinkState, options: SetStateOptions = {}): Promise<void> {
    const next = validateLinkState(this.name, state);
    if (this.closing) throw new LinkProxyClosedError(this.name, `set state ${describeLinkState(next)}`);
    const previous = this.currentState;
    this.currentState = next;
    this.lastChange = { proxy: this.name, from: previous, to: next, at: Date.now() };
    this.events.emit("state", this.lastChange);

    const pending: Promise<void>[] = [];
    if (next === "cut") {
      this.whileCut = options.whileCut ?? this.defaults.whileCut;
      for (const connection of this.connections) {
        if (connection.mode !== "parked" || this.whileCut === "refuse") pending.push(connection.destroy("link cut"));
      }
    } else if (next === "blackhole") {
      for (const connection of this.connections) connection.blackhole();
    } else {
      const rate = rateOf(next);
      const afterBlackhole = options.afterBlackhole ?? this.defaults.afterBlackhole;
      const { host, port } = this.currentTarget;
      for (const connection of this.connections) {
        switch (connection.mode) {
          case "parked":
            pending.push(connection.connect(host, port, rate));
            break;
          case "blackholed":
            pending.push(
              afterBlackhole === "resume"
                ? connection.resume(host, port, rate)
                : connection.destroy("healed from blackhole: stream has gaps, closed so the client reconnects"),
            );
            break;
          case "connecting":
          case "forwarding":
            connection.setRate(rate);
            break;
        }
      }
    }
    await Promise.all(pending);
  }

  async retarget(host: string, port: number): Promise<void> {
    checkHost(this.name, "host", host);
    checkPort(this.name, "port", port, 1);
    if (this.closing) throw new LinkProxyClosedError(this.name, `retarget to ${host}:${port}`);
    const from = this.currentTarget;
    this.currentTarget = { host, port };
    this.events.emit("retargeted", { proxy: this.name, from, to: this.currentTarget });
    const pending: Promise<void>[] = [];
    for (const connection of this.connections) {
      if (connection.mode !== "parked") pending.push(connection.destroy(`retargeted to ${host}:${port}`));
    }
    await Promise.all(pending);
  }

  stats(): LinkProxyStats {
    const modes = { connecting: 0, forwarding: 0, parked: 0, blackholed: 0 };
    for (const connection of this.connections) modes[connection.mode]++;
    return {
      name: this.name,
      state: this.currentState,
      target: this.currentTarget,
      ...this.counters,
      active: this.connections.size,
      ...modes,
      lastStateChange: this.lastChange,
    };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      // Each destroy is bounded. The server's callback waits for every socket it accepted to
      // report 'close'; one that never does (counted closed above) must not hold up the close.
      await Promise.all([...this.connections].map((connection) => connection.destroy("proxy closed")));
      await settleWithin(serverClosed, this.defaults.closeDeadlineMs, () => undefined);
    })();
    return this.closing;
  }

  private accept(socket: Socket): void {
    socket.on("error", () => {}); // until a connection object owns the socket
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.counters.accepted++;
    const connection = new ProxiedConnection(this.nextId++, socket, this.hooks, {
      proxyName: this.name,
      connectTimeoutMs: this.defaults.connectTimeoutMs,
      closeDeadlineMs: this.defaults.closeDeadlineMs,
    });
    const state = this.currentState;
    if (state === "cut" && this.whileCut === "refuse") {
      this.counters.refused++;
      this.events.emit("refused", this.info(connection));
      // Not tracked: it is gone at once and must not show up as active or closed.
      connection.destroy("refused: link cut");
      return;
    }
    this.connections.add(connection);
    let disposition: Disposition;
    if (state === "cut") {
      connection.park();
      disposition = "park";
    } else if (state === "blackhole") {
      connection.blackhole();
      disposition = "blackhole";
    } else {
      disposition = "forward";
    }
    this.events.emit("opened", { ...this.info(connection), disposition });
    if (disposition === "park") this.events.emit("parked", this.info(connection));
    if (isForwardingState(state))
      void connection.connect(this.currentTarget.host, this.currentTarget.port, rateOf(state));
  }

  private makeHooks(): ConnectionHooks {
    const counters = this.counters;
    return {
      forwarded: (direction, bytes) => {
        if (direction === "toTarget") counters.bytesToTarget += bytes;
        else counters.bytesToClient += bytes;
      },
      dropped: (direction, bytes) => {
        if (direction === "toTarget") counters.bytesDroppedToTarget += bytes;
        else counters.bytesDroppedToClient += bytes;
      },
      upstreamConnected: (connection, released) => {
        this.events.emit("connected", { ...this.info(connection), target: this.currentTarget });
        if (released) {
          counters.released++;
          this.events.emit("released", this.info(connection));
        }
      },
      upstreamFailed: (connection, error) => {
        counters.upstreamFailures++;
        this.events.emit("upstream-error", { ...this.info(connection), error });
      },
      closed: (connection, reason) => {
        if (!this.connections.delete(connection)) return; // a refused connection
        counters.closed++;
        this.events.emit("closed", { ...this.info(connection), reason });
      },
    };
  }

  private info(connection: ProxiedConnection): ConnectionInfo {
    return {
      proxy: this.name,
      id: connection.id,
      remoteAddress: connection.remoteAddress,
      remotePort: connection.remotePort,
    };
  }
}

function checkHost(proxyName: string, what: string, host: unknown): void {
  if (typeof host !== "string" || host.trim() === "") {
    throw new InvalidAddressError(
      `link proxy ${proxyName}: ${what} must be a non-empty host name or address, got ${JSON.stringify(host)}`,
    );
  }
}

function checkPort(proxyName: string, what: string, port: unknown, min: number): void {
  if (typeof port !== "number" || !Number.isInteger(port) || port < min || port > 65535) {
    throw new InvalidAddressError(
      `link proxy ${proxyName}: ${what} must be an integer in ${min}..65535, got ${String(port)}`,
    );
  }
}
