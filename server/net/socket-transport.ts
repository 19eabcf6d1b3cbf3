// ClientTransport over a TCP socket: several reply pieces go out as one corked write.

import type { Socket } from "node:net";
import type { ClientTransport } from "../core/client.js";

export class SocketTransport implements ClientTransport {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;

  constructor(private readonly socket: Socket) {
    this.remoteAddress = stripV4Mapped(socket.remoteAddress ?? "?");
    this.remotePort = socket.remotePort ?? 0;
    this.localAddress = stripV4Mapped(socket.localAddress ?? "?");
    this.localPort = socket.localPort ?? 0;
  }

  write(chunks: Buffer[], onWritten?: () => void): void {
    if (this.socket.destroyed || chunks.length === 0) return;
    if (chunks.length === 1) {
      this.socket.write(chunks[0], onWritten);
      return;
    }
    this.socket.cork();
    const last = chunks.length - 1;
    for (let i = 0; i < last; i++) this.socket.write(chunks[i]);
    this.socket.write(chunks[last], onWritten);
    this.socket.uncork();
  }

  abort(): void {
    this.socket.destroy();
  }

  get pendingBytes(): number {
    return this.socket.writableLength;
  }

  get bytesWritten(): number {
    return this.socket.bytesWritten;
  }

  close(): void {
    if (this.socket.destroyed) return;
    // end() flushes what was written; destroy when the peer does not close its side.
    this.socket.end(() => this.socket.destroy());
  }
}

const stripV4Mapped = (a: string): string => (a.startsWith("::ffff:") ? a.slice(7) : a);
