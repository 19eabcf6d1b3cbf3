// A hand-driven replica over a raw socket: sends handshake commands, reads reply lines, the sync
// payload and the exact stream bytes, so tests can check what a master puts on the wire.

import net from "node:net";
import { SyncPayloadReceiver } from "../../../server/rdb/index.js";
import { encodeCommand } from "./raw-client.js";

export class RawReplica {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  static connect(port: number): Promise<RawReplica> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => resolve(new RawReplica(s)));
      s.once("error", reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async until(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (this.closed) throw new Error(`connection closed while waiting for ${what}`);
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what} (have ${JSON.stringify(this.buf.toString("latin1").slice(0, 200))})`,
        );
      await new Promise<void>((res) => {
        this.waiters.push(res);
        setTimeout(res, 50);
      });
    }
  }

  send(...args: string[]): void {
    this.socket.write(encodeCommand(args));
  }

  /** The next line without its CRLF (a bare "\n" keepalive gives ""). */
  async line(): Promise<string> {
    await this.until(() => this.buf.indexOf(0x0a) >= 0, "a line");
    const nl = this.buf.indexOf(0x0a);
    const end = nl > 0 && this.buf[nl - 1] === 0x0d ? nl - 1 : nl;
    const line = this.buf.toString("latin1", 0, end);
    this.buf = this.buf.subarray(nl + 1);
    return line;
  }

  /** Sends a command and returns its one-line reply. */
  async call(...args: string[]): Promise<string> {
    this.send(...args);
    return this.line();
  }

  /** Exactly n bytes of what follows. */
  async bytes(n: number): Promise<Buffer> {
    await this.until(() => this.buf.length >= n, `${n} bytes`);
    const out = Buffer.from(this.buf.subarray(0, n));
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Whatever arrived so far (and forget it). */
  take(): Buffer {
    const out = this.buf;
    this.buf = Buffer.alloc(0);
    return out;
  }

  get available(): number {
    return this.buf.length;
  }

  /** Reads a full-sync payload (either framing); returns the RDB and the framing used. */
  async payload(): Promise<{ rdb: Buffer; mode: string }> {
    const receiver = new SyncPayloadReceiver();
    const parts: Buffer[] = [];
    for (;;) {
      await this.until(() => this.buf.length > 0, "the sync payload");
      const p = receiver.push(this.take());
      parts.push(...p.data);
      if (p.done) {
        if (p.rest && p.rest.length > 0) this.buf = Buffer.concat([p.rest, this.buf]);
        return { rdb: Buffer.concat(parts), mode: receiver.mode ?? "?" };
      }
    }
  }

  /** PING + REPLCONF listening-port + capas, like a replica's handshake. */
  async handshake(capas: string[] = ["eof", "psync2"], listeningPort = 0): Promise<void> {
    if ((await this.call("PING")) !== "+PONG") throw new Error("no PONG");
    if (listeningPort) await this.call("REPLCONF", "listening-port", String(listeningPort));
    if (capas.length) {
      const r = await this.call("REPLCONF", ...capas.flatMap((c) => ["capa", c]));
      if (r !== "+OK") throw new Error(`REPLCONF capa: ${r}`);
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
