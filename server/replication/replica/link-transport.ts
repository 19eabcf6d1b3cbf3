// The master client's transport on a replica: the link's socket. The client's replies are muted
// (RO-5); the replica writes its REPLCONF ACKs to the socket itself.

import type net from "node:net";
import type { ClientTransport } from "../../core/client.js";

export class LinkTransport implements ClientTransport {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;

  constructor(private readonly socket: net.Socket) {
    this.remoteAddress = (socket.remoteAddress ?? "?").replace(/^::ffff:/, "");
    this.remotePort = socket.remotePort ?? 0;
    this.localAddress = (socket.localAddress ?? "?").replace(/^::ffff:/, "");
    this.localPort = socket.localPort ?? 0;
  }

  write(chunks: Buffer[], onWritten?: () => void): void {
    if (this.socket.destroyed) return;
    for (let i = 0; i < chunks.length; i++)
      this.socket.write(chunks[i], i === chunks.length - 1 ? onWritten : undefined);
  }

  close(): void {
    this.socket.destroy();
  }
}
