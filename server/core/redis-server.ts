// The server core without sockets: config, keyspace, clients, stats, hooks, execution units and
// propagation. net/tcp-listener.ts feeds it bytes; what runs a client's requests (exec/ over a
// command table) is given to it by the entry point, so the core never knows the command set.

import { randomBytes } from "node:crypto";
import { ConfigRegistry } from "../config/config-registry.js";
import { Keyspace } from "../keyspace/keyspace.js";
import type { Database } from "../keyspace/database.js";
import type { BinaryString } from "../keyspace/types.js";
import { activeExpireCycle } from "../keyspace/active-expire.js";
import { ServerStats } from "./server-stats.js";
import { Client, type ClientTransport } from "./client.js";
import { defaultHooks, type PropagatedOp, type PropagationUnit, type ServerHooks } from "./hooks.js";
import { InfoRegistry } from "../info/info-registry.js";
import { ServerLog } from "./server-log.js";
import { collectGarbageSoon } from "../util/collect-garbage.js";

/** A closed client that held at least this much input makes the server ask for a collection. */
const RELEASE_COLLECT_BYTES = 32 * 1024 * 1024;
const DEL = Buffer.from("DEL");
const UNLINK = Buffer.from("UNLINK");
/** Active expiry and other units no command started. */
const SERVER_UNIT: PropagationUnit = { touchesArbitraryKeys: false };

/** Runs every complete request in a client's input buffer (networking.c processInputBuffer). */
export type InputProcessor = (server: RedisServer, client: Client) => void;

export interface RedisServerOptions {
  /** What runs the requests of a client (exec/process-input.ts over the command table). */
  processInput: InputProcessor;
  /** Config name -> value, like `--name value` on the command line. */
  config?: Record<string, string>;
  /** Injectable clock (unix ms). */
  now?: () => number;
  /** Version reported as replcheck_version. */
  replcheckVersion?: string;
}

export class RedisServer {
  readonly config: ConfigRegistry;
  readonly keyspace: Keyspace;
  readonly stats = new ServerStats();
  readonly info = new InfoRegistry();
  readonly hooks: ServerHooks = defaultHooks();
  readonly clients = new Map<number, Client>();
  readonly runId = randomBytes(20).toString("hex");
  readonly now: () => number;
  readonly startedAt: number;
  readonly replcheckVersion: string;
  /** server.dirty: changes to the dataset; a command that moves it is propagated. */
  dirty = 0;
  /** DEBUG SET-ACTIVE-EXPIRE. */
  activeExpireEnabled = true;
  /** TCP port actually listened on (set by the listener). */
  port = 0;
  /** Called by SHUTDOWN after replying; the host decides what "exit" means. */
  onShutdown: (() => void) | null = null;
  /** Redis-style log lines (the last LOG_KEEP are kept for INFO-less inspection by tests). */
  readonly log: ServerLog;
  /** Exceptions that escaped while serving a client: each is a replcheck bug (see internalError). */
  internalErrors = 0;

  private nextClientId = 1;
  private unitOps: PropagatedOp[] | null = null;
  private readonly pendingFlush = new Set<Client>();
  private flushScheduled = false;
  private requirePass = "";
  private protoMaxBulkLen: number;
  private readonly processInput: InputProcessor;

  constructor(options: RedisServerOptions) {
    this.processInput = options.processInput;
    this.config = new ConfigRegistry();
    this.config.applyStartupOptions(options.config ?? {});
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.replcheckVersion = options.replcheckVersion ?? "0.0.0";
    this.keyspace = new Keyspace(this.config.getInt("databases"), {
      now: this.now,
      onExpiredDelete: (db, key) => this.onExpiredDelete(db, key),
      replicaReadOnly: () => this.config.getBool("replica-read-only"),
    });
    this.log = new ServerLog(this.config, this.now);
    this.requirePass = this.config.getString("requirepass");
    this.protoMaxBulkLen = this.config.getInt("proto-max-bulk-len");
    this.config.onChange((name, value) => {
      if (name === "requirepass") this.requirePass = value as string;
      if (name === "proto-max-bulk-len") {
        this.protoMaxBulkLen = value as number;
        for (const c of this.clients.values()) c.parser.maxBulkLen = this.protoMaxBulkLen;
      }
    });
  }

  /** True when clients must AUTH before running commands. */
  get authRequired(): boolean {
    return this.requirePass !== "";
  }

  checkPassword(password: Buffer): boolean {
    return this.requirePass !== "" && password.toString("latin1", 0, password.length) === this.requirePass;
  }

  // ---- clients -------------------------------------------------------------------------

  createClient(transport: ClientTransport): Client {
    const client = new Client(this.nextClientId++, this.keyspace.dbs[0], transport, this.now());
    client.authenticated = !this.authRequired;
    client.parser.maxBulkLen = this.protoMaxBulkLen;
    // authRequired(c): the unauthenticated protocol limits (networking.c processMultibulkBuffer)
    client.parser.authRequired = () => !client.authenticated && this.authRequired;
    this.clients.set(client.id, client);
    this.stats.totalConnectionsReceived++;
    return client;
  }

  /** Bytes arrived from a client: parse and run what is complete, then schedule the replies. */
  feed(client: Client, chunk: Buffer): void {
    if (client.closed) return;
    client.bytesReceived += chunk.length;
    this.stats.totalNetInputBytes += chunk.length;
    if (client.kind === "master") this.stats.totalNetReplInputBytes += chunk.length;
    client.parser.feed(chunk);
    this.runInput(client);
    // readQueryFromClient: client-query-buffer-limit, closed without a reply. Besides the unread
    // bytes it counts the arguments of an unfinished command (Redis 7.0 does not bound those).
    const limit = this.config.getInt("client-query-buffer-limit");
    if (!client.closed && client.kind !== "master" && client.parser.heldBytes > limit) {
      this.log.warning(
        `Closing client that reached max query buffer length: id=${client.id} addr=${client.address} qbuf=${client.parser.heldBytes}`,
      );
      this.closeClient(client, false);
      return;
    }
    this.scheduleFlush(client);
  }

  /** Ends a block (WAIT): the client's pipelined input runs again and its replies go out. */
  unblockClient(client: Client): void {
    if (!client.blocked) return;
    client.blocked = false;
    if (client.closed) return;
    this.runInput(client);
    this.scheduleFlush(client);
  }

  /** processInputBuffer, where an exception (a bug of ours) costs the client, not the process. */
  private runInput(client: Client): void {
    try {
      this.processInput(this, client);
    } catch (err) {
      this.internalError(client, err);
    }
  }

  /**
   * An exception escaped while serving `client`: logged loudly (the fuzzers count these lines as
   * crashes), the client closed like one with a protocol error, the other clients served on.
   */
  internalError(client: Client, err: unknown): void {
    this.internalErrors++;
    const what = err instanceof Error ? (err.stack ?? err.message) : String(err);
    this.log.warning(
      `Internal error serving client id=${client.id} addr=${client.address}, closing it (a replcheck bug): ${what}`,
    );
    client.protocolError = true;
    this.closeClient(client, false);
  }

  scheduleFlush(client: Client): void {
    if (client.closed) return;
    this.pendingFlush.add(client);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushAll());
    }
  }

  /** Writes every client's pending replies: one socket write per client per loop tick. */
  flushAll(): void {
    this.flushScheduled = false;
    for (const client of this.pendingFlush) this.flushClient(client);
    this.pendingFlush.clear();
  }

  private flushClient(client: Client): void {
    if (client.closed) return;
    if (client.reply.hasPending) {
      const chunks = client.reply.flush();
      for (const c of chunks) this.stats.totalNetOutputBytes += c.length;
      if (client.kind === "replica") for (const c of chunks) this.stats.totalNetReplOutputBytes += c.length;
      client.transport.write(chunks);
    }
    if (client.closeAfterReply) this.closeClient(client, false);
  }

  /** Closes a client; with flushFirst its pending replies are written before the close. */
  closeClient(client: Client, flushFirst = true): void {
    if (client.closed) return;
    if (flushFirst && client.reply.hasPending) client.transport.write(client.reply.flush());
    client.closed = true;
    client.stopProcessing = true;
    this.releaseInput(client); // its query buffer goes at once, like freeClient()
    this.clients.delete(client.id);
    this.pendingFlush.delete(client);
    client.transport.close();
    this.hooks.clientClosed(client);
  }

  /** Drops what a closing client's parser holds; a lot of it is collected at once. */
  private releaseInput(client: Client): void {
    const held = client.parser.heldBytes;
    client.parser.release();
    if (held >= RELEASE_COLLECT_BYTES) collectGarbageSoon();
  }

  /** The transport reports that the peer went away. */
  clientDisconnected(client: Client): void {
    if (client.closed) return;
    client.closed = true;
    client.stopProcessing = true;
    this.releaseInput(client);
    this.clients.delete(client.id);
    this.pendingFlush.delete(client);
    this.hooks.clientClosed(client);
  }

  // ---- execution units and propagation ---------------------------------------------------

  /** Runs fn as one execution unit and hands the collected ops to hooks.propagate. */
  runUnit(unit: PropagationUnit, fn: () => void): void {
    if (this.unitOps !== null) {
      fn(); // already inside a unit (e.g. a command run by EXEC)
      return;
    }
    const ops: PropagatedOp[] = [];
    this.unitOps = ops;
    try {
      fn();
    } finally {
      this.unitOps = null;
      if (ops.length > 0) this.hooks.propagate(ops, unit);
    }
  }

  addPropagatedOp(db: number, argv: Buffer[]): void {
    const op = { db, argv };
    if (this.unitOps !== null) this.unitOps.push(op);
    else this.hooks.propagate([op], SERVER_UNIT);
  }

  private onExpiredDelete(db: Database, key: BinaryString): void {
    this.stats.expiredKeys++;
    const verb = this.config.getBool("lazyfree-lazy-expire") ? UNLINK : DEL;
    this.addPropagatedOp(db.id, [verb, Buffer.from(key, "latin1")]);
  }

  /** One active expiry cycle now (the cron calls this hz times per second). */
  activeExpireCycle(): { sampled: number; expired: number } {
    const start = performance.now();
    return activeExpireCycle(
      this.keyspace,
      this.now(),
      this.config.getInt("hz"),
      this.config.getInt("active-expire-effort"),
      () => performance.now() - start,
    );
  }

  /** The db a client sees, by index. */
  database(index: number): Database {
    return this.keyspace.dbs[index];
  }
}
