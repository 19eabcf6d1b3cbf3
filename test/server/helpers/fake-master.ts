// A scripted master: accepts the replica's connection and lets a test read the exact commands
// the replica sends and write whatever it wants back (handshake replies, payloads, stream bytes).

import net from "node:net";
import { replyLength } from "./raw-client.js";

export class FakeMaster {
  private conns: net.Socket[] = [];
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private current: net.Socket | null = null;
  connections = 0;
  /** Connections the replica (or we) closed so far. */
  closed = 0;

  private constructor(private readonly server: net.Server) {
    server.on("connection", (s) => {
      this.conns.push(s);
      this.connections++;
      this.current = s;
      this.buf = Buffer.alloc(0);
      s.on("data", (d: Buffer) => {
        if (s !== this.current) return;
        this.buf = Buffer.concat([this.buf, d]);
        this.wake();
      });
      s.on("error", () => {});
      s.on("close", () => {
        this.closed++;
        this.wake();
      });
      this.wake();
    });
  }

  static async start(): Promise<FakeMaster> {
    const server = net.createServer();
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", () => res()));
    return new FakeMaster(server);
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async until(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
      if (Date.now() > deadline)
        throw new Error(
          `fake master: timed out waiting for ${what} (have ${JSON.stringify(this.buf.toString("latin1"))})`,
        );
      await new Promise<void>((res) => {
        this.waiters.push(res);
        setTimeout(res, 50);
      });
    }
  }

  /** Waits for the n-th connection (1-based). */
  async accepted(n = 1): Promise<void> {
    await this.until(() => this.connections >= n, `connection #${n}`);
  }

  /** The next command the replica sent, as its arguments. */
  async command(): Promise<string[]> {
    await this.until(() => this.buf.length > 0 && replyLength(this.buf) >= 0, "a command");
    const len = replyLength(this.buf);
    const raw = this.buf.subarray(0, len);
    this.buf = this.buf.subarray(len);
    const args: string[] = [];
    const text = raw.toString("latin1");
    const parts = text.split("\r\n");
    for (let i = 1; i + 1 < parts.length; i += 2) args.push(parts[i + 1]);
    return args;
  }

  /** True when a whole command from the replica is waiting to be read. */
  hasPendingCommand(): boolean {
    return this.buf.length > 0 && replyLength(this.buf) >= 0;
  }

  /** True when the replica sent nothing more (so far). */
  get idle(): boolean {
    return this.buf.length === 0;
  }

  write(data: Buffer | string): void {
    this.current?.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  /** Drops the current connection. */
  drop(): void {
    this.current?.destroy();
    this.current = null;
  }

  async close(): Promise<void> {
    for (const s of this.conns) s.destroy();
    await new Promise<void>((res) => this.server.close(() => res()));
  }
}
