// One accepted client connection and, when the link lets it through, its upstream connection
// to the target. The proxy decides the mode; this class applies it to the two sockets.
import { connect, type Socket } from "node:net";
import { TargetUnreachableError } from "./errors.js";
import { Pump } from "./pump.js";

/**
 * - `connecting`: upstream connection being made; client bytes are held, in order.
 * - `forwarding`: bytes flow both ways (possibly rate-limited).
 * - `parked`: no upstream; client bytes are held until the link heals.
 * - `blackholed`: bytes from either side are read and dropped; nothing (not even FIN) crosses.
 */
export type ConnectionMode = "connecting" | "forwarding" | "parked" | "blackholed";

export type Direction = "toTarget" | "toClient";

export interface ConnectionHooks {
  forwarded(direction: Direction, bytes: number): void;
  dropped(direction: Direction, bytes: number): void;
  /** The upstream connection is established (`released`: the connection had been parked). */
  upstreamConnected(connection: ProxiedConnection, released: boolean): void;
  upstreamFailed(connection: ProxiedConnection, error: TargetUnreachableError): void;
  /** Both sockets are closed. Called exactly once. */
  closed(connection: ProxiedConnection, reason: string): void;
}

export interface ConnectionOptions {
  proxyName: string;
  connectTimeoutMs: number;
  /**
   * How long `destroy` waits for both sockets' 'close' events before it counts them closed anyway
   * (a close must end even if Node never reports it).
   */
  closeDeadlineMs: number;
}

export class ProxiedConnection {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  // Every connection is parked, black-holed or connecting right after the proxy accepts it.
  private currentMode: ConnectionMode = "parked";
  private heldWhileCut = false;
  private upstream: Socket | undefined;
  private upstreamConnected = false;
  private upstreamError: Error | undefined;
  private upstreamAttempt: Promise<void> | undefined;
  private clientClosed = false;
  private upstreamClosed = false;
  private tearingDown = false;
  private finished = false;
  private reason: string | undefined;
  private forceTimer: NodeJS.Timeout | undefined;
  private rate: number | undefined;
  private readonly toTarget: Pump;
  private toClient: Pump | undefined;

  constructor(
    readonly id: number,
    readonly client: Socket,
    private readonly hooks: ConnectionHooks,
    private readonly options: ConnectionOptions,
  ) {
    this.remoteAddress = client.remoteAddress ?? "?";
    this.remotePort = client.remotePort ?? 0;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.toTarget = new Pump(client, {
      forwarded: (n) => hooks.forwarded("toTarget", n),
      dropped: (n) => hooks.dropped("toTarget", n),
    });
    client.on("error", (error) => this.noteReason(`client error: ${describeError(error)}`));
    client.on("end", this.onClientEnd);
    client.on("close", this.onClientClose);
  }

  get mode(): ConnectionMode {
    return this.currentMode;
  }

  /** Hold the client without an upstream (new connection while the link is cut). */
  park(): void {
    this.currentMode = "parked";
    this.heldWhileCut = true;
  }

  /**
   * Opens the upstream connection and forwards once it is established. Resolves when the
   * attempt is over (connected, failed or torn down).
   */
  connect(host: string, port: number, rate: number | undefined): Promise<void> {
    if (this.tearingDown || this.clientClosed) return this.closed;
    const released = this.currentMode === "parked" && this.heldWhileCut;
    this.currentMode = "connecting";
    this.setRate(rate);
    this.upstreamConnected = false;
    this.upstreamClosed = false;
    this.upstreamError = undefined;
    const upstream = connect({ host, port, allowHalfOpen: true, noDelay: true });
    this.upstream = upstream;
    // Connect timeout only: cleared once connected (replication links may idle for long).
    upstream.setTimeout(this.options.connectTimeoutMs, () => {
      if (!this.upstreamConnected) {
        upstream.destroy(
          Object.assign(new Error(`connect timed out after ${this.options.connectTimeoutMs} ms`), {
            code: "ETIMEDOUT",
          }),
        );
      }
    });
    upstream.on("error", (error) => {
      this.upstreamError ??= error;
      if (this.upstreamConnected) this.noteReason(`target error: ${describeError(error)}`);
    });
    upstream.on("end", this.onUpstreamEnd);
    upstream.on("close", (hadError) => this.onUpstreamClose(hadError, host, port));
    this.upstreamAttempt = new Promise<void>((resolve) => {
      upstream.once("close", () => resolve());
      upstream.once("connect", () => {
        upstream.setTimeout(0);
        this.upstreamConnected = true;
        const toClient = new Pump(upstream, {
          forwarded: (n) => this.hooks.forwarded("toClient", n),
          dropped: (n) => this.hooks.dropped("toClient", n),
        });
        this.toClient = toClient;
        toClient.setRate(this.rate);
        if (this.currentMode === "blackholed") toClient.startDropping();
        else this.currentMode = "forwarding";
        toClient.attach(this.client);
        this.toTarget.attach(upstream);
        this.hooks.upstreamConnected(this, released);
        resolve();
      });
    });
    // A forced close ends the attempt too, even if the upstream socket never reports 'close'.
    return Promise.race([this.upstreamAttempt, this.closed]);
  }

  /** Forward nothing either way from now on; keep both sockets open. */
  blackhole(): void {
    if (this.tearingDown) return;
    this.currentMode = "blackholed";
    this.toTarget.startDropping();
    this.toClient?.startDropping();
  }

  /**
   * Leave the blackhole and forward again on the same sockets (their streams may have lost
   * bytes). If either side went away meanwhile, the connection is closed instead.
   */
  resume(host: string, port: number, rate: number | undefined): Promise<void> {
    if (this.tearingDown) return this.closed;
    if (this.clientClosed || (this.upstream && this.upstreamClosed)) {
      return this.destroy("one side closed while blackholed");
    }
    this.toTarget.stopDropping();
    if (!this.upstream) return this.connect(host, port, rate);
    this.setRate(rate);
    this.toClient?.stopDropping();
    if (!this.upstreamConnected) {
      this.currentMode = "connecting";
      return this.upstreamAttempt ?? Promise.resolve();
    }
    this.currentMode = "forwarding";
    return Promise.resolve();
  }

  /** undefined = unlimited. */
  setRate(rate: number | undefined): void {
    this.rate = rate;
    this.toTarget.setRate(rate);
    this.toClient?.setRate(rate);
  }

  /**
   * Closes both sides at once with a reset, so each peer sees the link drop immediately.
   * Resolves when both sockets are closed, or after `closeDeadlineMs` at the latest.
   */
  destroy(reason: string): Promise<void> {
    this.noteReason(reason);
    this.tearingDown = true;
    this.toTarget.stop();
    this.toClient?.stop();
    abortSocket(this.client);
    if (this.upstream) abortSocket(this.upstream);
    if (!this.finished && this.forceTimer === undefined) {
      this.forceTimer = setTimeout(() => this.forceClosed(), this.options.closeDeadlineMs);
      this.forceTimer.unref();
    }
    return this.closed;
  }

  /** No 'close' event came in time: destroy whatever is left and count both sides closed. */
  private forceClosed(): void {
    this.forceTimer = undefined;
    this.client.destroy();
    this.upstream?.destroy();
    this.reason = `${this.reason ?? "closed"} (no close event within ${this.options.closeDeadlineMs} ms: counted closed)`;
    this.clientClosed = true;
    if (this.upstream) this.upstreamClosed = true;
    this.finishIfClosed();
  }

  private readonly onClientEnd = (): void => {
    this.noteReason("client closed the connection");
    // A client that gives up while held (parked or blackholed) is dropped; its FIN must not
    // reach the target (a blackhole forwards nothing; a parked client has no upstream).
    if (this.currentMode === "parked" || this.currentMode === "blackholed") this.client.destroy();
  };

  private readonly onUpstreamEnd = (): void => {
    this.noteReason("target closed the connection");
    if (this.currentMode === "blackholed") this.upstream?.destroy();
  };

  private readonly onClientClose = (hadError: boolean): void => {
    this.clientClosed = true;
    const upstream = this.upstream;
    const passesCloses = this.currentMode === "forwarding" || this.currentMode === "connecting";
    if (upstream && !this.upstreamClosed && passesCloses && (hadError || !this.upstreamConnected)) {
      // An abrupt end on one side is passed on as an abrupt end. A clean close needs nothing:
      // both directions already ended, and the pump ends the upstream once it is flushed.
      abortSocket(upstream);
    }
    this.finishIfClosed();
  };

  private onUpstreamClose(hadError: boolean, host: string, port: number): void {
    this.upstreamClosed = true;
    if (!this.upstreamConnected && !this.tearingDown) {
      const error = new TargetUnreachableError(this.options.proxyName, host, port, errorCode(this.upstreamError), {
        cause: this.upstreamError ?? new Error("connection closed before it was established"),
      });
      this.hooks.upstreamFailed(this, error);
      if (this.currentMode === "blackholed") {
        // The client must not notice (blackhole); a later heal may try again.
        this.upstream = undefined;
      } else {
        this.noteReason(error.message);
        this.tearingDown = true;
        abortSocket(this.client);
      }
    } else if (hadError && this.currentMode === "forwarding" && !this.clientClosed) {
      abortSocket(this.client);
    }
    this.finishIfClosed();
  }

  private finishIfClosed(): void {
    if (this.finished || !this.clientClosed) return;
    if (this.upstream && !this.upstreamClosed) return;
    this.finished = true;
    if (this.forceTimer !== undefined) clearTimeout(this.forceTimer);
    this.forceTimer = undefined;
    this.toTarget.stop();
    this.toClient?.stop();
    this.hooks.closed(this, this.reason ?? "closed");
    this.resolveClosed();
  }

  private noteReason(reason: string): void {
    this.reason ??= reason;
  }
}

/**
 * Reset rather than FIN where possible: the peer learns at once, and nothing stale is delivered.
 * Always ends in a 'close' event (exported for the tests).
 */
export function abortSocket(socket: Socket): void {
  if (socket.destroyed) return;
  // A socket we already shut down for writing (end() called: our FIN sent or on its way) cannot be
  // reset: libuv refuses (EINVAL), and Node then drops the handle without closing it and without a
  // 'close' event, so a close waiting for it would never end. Our side is finished anyway: close it.
  if (socket.connecting || socket.writableEnded) {
    socket.destroy();
    return;
  }
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

function errorCode(error: Error | undefined): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

function describeError(error: Error): string {
  return errorCode(error) ?? error.message;
}
