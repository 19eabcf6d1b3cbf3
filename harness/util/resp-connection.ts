// A plain RESP2 connection for commands whose replies the checker compares with the model: reply
// types kept apart (see resp.ts), one outcome per command, never a reconnect or a resend.

import { connect, type Socket } from "node:net";
import { encodeCommand, RespDecoder, RespProtocolError, type RespValue } from "./resp.js";

/** What happened to one command. A timeout is an unknown outcome: the command may or may not have run. */
export type SendResult =
  | { kind: "reply"; value: RespValue }
  /** A top-level error reply, full text including its prefix ("WRONGTYPE Operation against ..."). */
  | { kind: "error"; message: string }
  | { kind: "timeout" }
  | { kind: "connection-lost"; message: string };

export interface RespConnectionOptions {
  host: string;
  port: number;
  /** Give up connecting after this long (default 2000 ms). */
  connectTimeoutMs?: number;
}

interface Pending {
  settle(result: SendResult): void;
  settled: boolean;
  timer?: NodeJS.Timeout;
}

export class RespConnection {
  private readonly decoder = new RespDecoder();
  // Replies arrive in command order; a timed-out command keeps its slot so that its late reply is
  // dropped instead of being taken for the next command's.
  private readonly pending: Pending[] = [];
  private lostReason: string | undefined;

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (e) => (this.lostReason ??= e.message));
    socket.on("close", () => this.onClose());
  }

  static open(options: RespConnectionOptions): Promise<RespConnection> {
    const address = `${options.host}:${options.port}`;
    const timeoutMs = options.connectTimeoutMs ?? 2000;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`cannot connect to ${address}: no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("error", (e) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`cannot connect to ${address}: ${e.message}`));
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new RespConnection(socket, address));
      });
    });
  }

  get isOpen(): boolean {
    return this.lostReason === undefined && !this.socket.destroyed;
  }

  /** Commands whose replies have not arrived yet (including timed-out ones still owed a reply). */
  get outstanding(): number {
    return this.pending.length;
  }

  send(argv: readonly (string | Buffer)[], timeoutMs: number): Promise<SendResult> {
    if (!this.isOpen) {
      return Promise.resolve({
        kind: "connection-lost",
        message: this.lostReason ?? `connection to ${this.address} is closed`,
      });
    }
    return new Promise((resolve) => {
      const entry: Pending = {
        settled: false,
        settle: (result) => {
          if (entry.settled) return;
          entry.settled = true;
          clearTimeout(entry.timer);
          resolve(result);
        },
      };
      entry.timer = setTimeout(() => entry.settle({ kind: "timeout" }), timeoutMs);
      this.pending.push(entry);
      this.socket.write(encodeCommand(argv));
    });
  }

  /** Closes the socket; commands still waiting end as connection-lost. Idempotent. */
  close(): void {
    this.lostReason ??= "connection closed by the harness";
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let replies: RespValue[];
    try {
      replies = this.decoder.feed(chunk);
    } catch (e) {
      if (!(e instanceof RespProtocolError)) throw e;
      this.lostReason ??= `protocol error from ${this.address}: ${e.message}`;
      this.socket.destroy();
      return;
    }
    for (const reply of replies) {
      const entry = this.pending.shift();
      if (entry === undefined) {
        this.lostReason ??= `unexpected reply from ${this.address} with no command waiting`;
        this.socket.destroy();
        return;
      }
      entry.settle(reply.kind === "error" ? { kind: "error", message: reply.value } : { kind: "reply", value: reply });
    }
  }

  private onClose(): void {
    const message = this.lostReason ?? `connection to ${this.address} closed by the server`;
    this.lostReason = message;
    for (const entry of this.pending.splice(0)) entry.settle({ kind: "connection-lost", message });
  }
}
