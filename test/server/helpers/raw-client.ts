// A raw RESP client for tests: sends argv arrays (or raw bytes) and reads whole replies as raw
// bytes, so tests can compare exactly what a server wrote.

import net from "node:net";

/** Length of the first complete RESP reply in buf, or -1 when incomplete. */
export function replyLength(buf: Buffer, start = 0): number {
  if (start >= buf.length) return -1;
  const nl = buf.indexOf("\r\n", start);
  if (nl < 0) return -1;
  const type = String.fromCharCode(buf[start]);
  const head = nl + 2;
  if (type === "+" || type === "-" || type === ":") return head - start;
  const n = Number(buf.toString("latin1", start + 1, nl));
  if (type === "$") {
    if (n < 0) return head - start;
    return buf.length >= head + n + 2 ? head + n + 2 - start : -1;
  }
  if (type === "*") {
    if (n < 0) return head - start;
    let pos = head;
    for (let i = 0; i < n; i++) {
      const l = replyLength(buf, pos);
      if (l < 0) return -1;
      pos += l;
    }
    return pos - start;
  }
  throw new Error(`unexpected reply type ${JSON.stringify(type)} in ${JSON.stringify(buf.toString("latin1"))}`);
}

export function encodeCommand(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === "string" ? Buffer.from(a, "latin1") : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  static connect(port: number, host = "127.0.0.1"): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host);
      s.once("connect", () => resolve(new RawClient(s)));
      s.once("error", reject);
    });
  }

  sendRaw(bytes: Buffer | string): void {
    this.socket.write(typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes);
  }

  /** Next whole reply as raw bytes; null when the server closed the connection first. */
  async readReply(): Promise<Buffer | null> {
    for (;;) {
      const len = replyLength(this.buf);
      if (len >= 0) {
        const r = this.buf.subarray(0, len);
        this.buf = this.buf.subarray(len);
        return r;
      }
      if (this.closed) return null;
      await new Promise<void>((res) => this.waiters.push(res));
    }
  }

  async call(...args: (string | Buffer)[]): Promise<string | null> {
    this.sendRaw(encodeCommand(args));
    const r = await this.readReply();
    return r === null ? null : r.toString("latin1");
  }

  /** Waits until the server closes the connection; returns everything it still sent. */
  async readUntilClose(): Promise<string> {
    while (!this.closed) await new Promise<void>((res) => this.waiters.push(res));
    const s = this.buf.toString("latin1");
    this.buf = Buffer.alloc(0);
    return s;
  }

  close(): void {
    this.socket.destroy();
  }
}
