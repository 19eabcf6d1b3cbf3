// The observer's own connection to a node: a batch of commands goes out in one write and its
// replies come back in the plain shapes ioredis gives (strings, numbers, arrays, null), so one
// settle poll costs one round trip and no client library work. A batch that times out or fails to
// parse leaves replies owed on the wire: the connection is closed then, and the next batch opens a
// new one (an observation is never paired with another batch's replies).

import { connect, type Socket } from "node:net";
import type { Redis } from "ioredis";
import { encodeCommand, RespDecoder, type RespValue } from "../util/resp.js";
import { withDeadline } from "../util/wait-for.js";

/** A command's error reply, kept in its slot of the batch (the caller decides what it means). */
export class CommandError extends Error {
  override name = "CommandError";
}

export class PipeClosed extends Error {
  override name = "PipeClosed";
}

interface Batch {
  replies: unknown[];
  expected: number;
  done(error?: Error): void;
}

/** What observeNode and datasetDigest need: commands in, replies (or CommandErrors) out, in order. */
export interface CommandPipe {
  readonly address: string;
  batch(commands: readonly (readonly string[])[], timeoutMs: number): Promise<unknown[]>;
}

export class ObserverConnection implements CommandPipe {
  private socket: Socket | undefined;
  private opening: Promise<Socket> | undefined;
  private decoder = new RespDecoder();
  private readonly batches: Batch[] = [];
  private closed = false;
  readonly address: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.address = `${host}:${port}`;
  }

  async batch(commands: readonly (readonly string[])[], timeoutMs: number): Promise<unknown[]> {
    if (commands.length === 0) return [];
    const deadline = Date.now() + timeoutMs;
    const socket = await this.open(timeoutMs);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.drop(new PipeClosed(`no answer within ${timeoutMs} ms`)),
        Math.max(1, deadline - Date.now()),
      );
      const replies: unknown[] = [];
      this.batches.push({
        replies,
        expected: commands.length,
        done: (error) => {
          clearTimeout(timer);
          if (error === undefined) resolve(replies);
          else reject(error);
        },
      });
      socket.write(commands.length === 1 ? encodeCommand(commands[0]) : Buffer.concat(commands.map(encodeCommand)));
    });
  }

  /** Closes the connection; batches still waiting fail. Idempotent; no batch opens it again. */
  close(): void {
    this.closed = true;
    this.drop(new PipeClosed(`connection to ${this.address} closed by the harness`));
  }

  private open(timeoutMs: number): Promise<Socket> {
    if (this.closed) return Promise.reject(new PipeClosed(`connection to ${this.address} is closed`));
    if (this.socket !== undefined) return Promise.resolve(this.socket);
    this.opening ??= new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port });
      const fail = (e: Error) => {
        clearTimeout(timer);
        socket.destroy();
        this.opening = undefined;
        reject(new PipeClosed(`cannot connect to ${this.address}: ${e.message}`));
      };
      const timer = setTimeout(() => fail(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
      socket.once("error", fail);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeListener("error", fail);
        socket.setNoDelay(true);
        socket.on("data", (chunk: Buffer) => this.onData(socket, chunk));
        socket.on("error", (e) => this.lost(socket, e.message));
        socket.on("close", () => this.lost(socket, "closed by the server"));
        this.opening = undefined;
        if (this.closed) {
          socket.destroy();
          reject(new PipeClosed(`connection to ${this.address} is closed`));
          return;
        }
        this.socket = socket;
        this.decoder = new RespDecoder();
        resolve(socket);
      });
    });
    return this.opening;
  }

  private onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.socket) return;
    let values: RespValue[];
    try {
      values = this.decoder.feed(chunk);
    } catch (e) {
      this.drop(new PipeClosed(`protocol error from ${this.address}: ${(e as Error).message}`));
      return;
    }
    for (const v of values) {
      const b = this.batches[0];
      if (b === undefined) {
        this.drop(new PipeClosed(`unexpected reply from ${this.address} with no command waiting`));
        return;
      }
      b.replies.push(v.kind === "error" ? new CommandError(v.value) : plain(v));
      if (b.replies.length === b.expected) {
        this.batches.shift();
        b.done();
      }
    }
  }

  private lost(socket: Socket, why: string): void {
    if (socket === this.socket) this.drop(new PipeClosed(`connection to ${this.address} lost: ${why}`));
  }

  /** Forgets the socket and fails every waiting batch (their replies can no longer be paired). */
  private drop(error: Error): void {
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
    for (const b of this.batches.splice(0)) b.done(error);
  }
}

/** A reply in ioredis's RESP2 shapes; error replies nested in arrays (EXEC) stay CommandErrors. */
function plain(v: RespValue): unknown {
  switch (v.kind) {
    case "status":
    case "bulk":
    case "int":
      return v.value;
    case "error":
      return new CommandError(v.value);
    case "array":
      return v.value === null ? null : v.value.map(plain);
  }
}

/** An ioredis client as a CommandPipe (one pipeline per batch; its error replies become CommandErrors). */
export function ioredisPipe(client: Redis): CommandPipe {
  return {
    address: `${client.options.host}:${client.options.port}`,
    async batch(commands, timeoutMs) {
      if (commands.length === 0) return [];
      const pipeline = client.pipeline();
      for (const [name, ...args] of commands) pipeline.call(name, ...args);
      const results = await withDeadline(
        pipeline.exec(),
        timeoutMs,
        () => new PipeClosed(`no answer within ${timeoutMs} ms`),
      );
      if (results === null) throw new PipeClosed("the pipeline was discarded");
      return results.map(([error, value]) => (error ? new CommandError(error.message) : value));
    },
  };
}
