// Per-connection state. The transport is abstract so the replication layer can create a
// client for the master link over a socket it owns. A client knows nothing of the command table:
// what MULTI queues carries its own way to run.

import { ReplyWriter } from "../resp/reply-writer.js";
import { RequestParser } from "../resp/request-parser.js";
import type { Database } from "../keyspace/database.js";

/** getClientType(): "master" = the replication link from our master, "replica" = a replica of ours. */
export type ClientKind = "normal" | "master" | "replica";

export interface ClientTransport {
  /** Writes the chunks in order; onWritten runs once the last one has left for the kernel. */
  write(chunks: Buffer[], onWritten?: () => void): void;
  /** Closes the connection (after pending writes). */
  close(): void;
  /** Closes the connection at once, dropping pending writes (a replica over its output limit). */
  abort?(): void;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** Bytes accepted by write() but not yet handed to the kernel (output-buffer accounting). */
  readonly pendingBytes?: number;
  /** Bytes handed to the kernel so far (progress of a long transfer). */
  readonly bytesWritten?: number;
}

/** A command queued by MULTI (multi.c queueMultiCommand): the flags EXEC is checked with, and how EXEC runs it. */
export interface QueuedCommand {
  readonly isWrite: boolean;
  /** The command has the `stale` flag (MASTERDOWN does not refuse it). */
  readonly allowsStale: boolean;
  run(): void;
}

export class Client {
  name: string | null = null;
  kind: ClientKind = "normal";
  pubsub = false;
  authenticated: boolean;
  inMulti = false;
  /** CLIENT_DIRTY_EXEC: a command was rejected while queuing. */
  multiDirty = false;
  multiQueue: QueuedCommand[] = [];
  closeAfterReply = false;
  /** CLIENT_PROTOCOL_ERROR: closed for bad input (a master client is then not cached). */
  protocolError = false;
  closed = false;
  /** Set by SHUTDOWN, CLIENT KILL of itself etc.: stop processing further pipelined input. */
  stopProcessing = false;
  /** Blocked by a command (WAIT): pipelined input waits until RedisServer.unblockClient. */
  blocked = false;
  /** c->woff: master_repl_offset after this client's last executed command (WAIT target). */
  woff = 0;
  readonly reply = new ReplyWriter();
  readonly parser = new RequestParser();
  readonly createdAt: number;
  lastInteraction: number;
  lastCommand = "NULL";
  /** Total bytes received; with parser.pendingBytes gives the applied offset of a master link. */
  bytesReceived = 0;

  constructor(
    readonly id: number,
    public db: Database,
    readonly transport: ClientTransport,
    now: number,
  ) {
    this.authenticated = false;
    this.createdAt = now;
    this.lastInteraction = now;
  }

  /** Bytes of complete commands consumed so far (what a replica's reploff counts). */
  get consumedBytes(): number {
    return this.bytesReceived - this.parser.pendingBytes;
  }

  get address(): string {
    return `${this.transport.remoteAddress}:${this.transport.remotePort}`;
  }

  get localAddress(): string {
    return `${this.transport.localAddress}:${this.transport.localPort}`;
  }

  resetMulti(): void {
    this.inMulti = false;
    this.multiDirty = false;
    this.multiQueue = [];
  }
}
