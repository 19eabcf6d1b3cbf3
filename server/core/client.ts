// Per-connection state. The transport is abstract so the replication layer can create a
// client for the master link over a socket it owns.

import { ReplyWriter } from "../resp/reply-writer.js";
import { RequestParser } from "../resp/request-parser.js";
import type { Database } from "../keyspace/database.js";
import type { CommandSpec } from "../commands/command-spec.js";
import { CommandContext } from "../commands/command-context.js";
import type { RedisServer } from "./redis-server.js";

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

export interface QueuedCommand {
  cmd: CommandSpec;
  argv: Buffer[];
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
  /** EXEC is running the queued commands. */
  inExec = false;
  closeAfterReply = false;
  closed = false;
  /** Set by SHUTDOWN, CLIENT KILL of itself etc.: stop processing further pipelined input. */
  stopProcessing = false;
  /** Blocked by a command (WAIT): pipelined input waits until RedisServer.unblockClient. */
  blocked = false;
  /** c->woff: master_repl_offset after this client's last executed command (WAIT target). */
  woff = 0;
  readonly reply = new ReplyWriter();
  readonly parser = new RequestParser();
  readonly ctx: CommandContext;
  readonly createdAt: number;
  lastInteraction: number;
  lastCommand = "NULL";
  /** Total bytes received; with parser.pendingBytes gives the applied offset of a master link. */
  bytesReceived = 0;
  /** Replication layer's own per-client state. */
  replicationState: unknown = undefined;

  constructor(
    readonly id: number,
    readonly server: RedisServer,
    public db: Database,
    readonly transport: ClientTransport,
    now: number,
  ) {
    this.authenticated = false;
    this.createdAt = now;
    this.lastInteraction = now;
    this.ctx = new CommandContext(server, this);
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
