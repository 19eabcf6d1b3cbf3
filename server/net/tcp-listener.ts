// Accepts TCP connections and wires each socket to a client of the server core.

import net from "node:net";
import type { RedisServer } from "../core/redis-server.js";
import { SocketTransport } from "./socket-transport.js";

const MAX_CLIENTS_ERROR = Buffer.from("-ERR max number of clients reached\r\n");

export function attachConnection(server: RedisServer, socket: net.Socket, sockets: Set<net.Socket>): void {
  sockets.add(socket);
  socket.setNoDelay(true);
  socket.on("error", () => {}); // resets are normal; "close" follows
  if (server.clients.size >= server.config.getInt("maxclients")) {
    server.stats.rejectedConnections++;
    socket.end(MAX_CLIENTS_ERROR);
    socket.on("close", () => sockets.delete(socket));
    return;
  }
  const client = server.createClient(new SocketTransport(socket));
  socket.on("data", (chunk: Buffer) => server.feed(client, chunk));
  socket.on("close", () => {
    sockets.delete(socket);
    server.clientDisconnected(client);
  });
}

/** Listens on host:port (0 = ephemeral) and resolves with the bound server. */
export function listen(server: RedisServer, host: string, port: number, sockets: Set<net.Socket>): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const listener = net.createServer((socket) => attachConnection(server, socket, sockets));
    const onError = (err: NodeJS.ErrnoException) => {
      listener.close();
      if (err.code === "EADDRINUSE") {
        reject(
          new Error(
            `Cannot listen on ${host}:${port}: address already in use. Stop the process using it or choose another port (port 0 picks a free one).`,
          ),
        );
      } else if (err.code === "EADDRNOTAVAIL") {
        reject(
          new Error(
            `Cannot listen on ${host}:${port}: address not available on this machine. Use a local address such as 127.0.0.1.`,
          ),
        );
      } else {
        reject(new Error(`Cannot listen on ${host}:${port}: ${err.message}`));
      }
    };
    listener.once("error", onError);
    listener.listen({ host, port, backlog: server.config.getInt("tcp-backlog") }, () => {
      listener.off("error", onError);
      resolve(listener);
    });
  });
}
