// Replica side: the link to our master and its state, server.repl_state (replication.c
// connectWithMaster, syncWithMaster, readSyncBulkPayload, replicationCacheMaster,
// replicationCron's replica half; 7.0). CONNECT -> CONNECTING -> the handshake (handshake.ts) ->
// TRANSFER (sync-transfer.ts, then the load) on +FULLRESYNC, or straight to CONNECTED on
// +CONTINUE -> CONNECTED (master-stream.ts). What the rest of the node does about it goes through
// ReplicaLinkHost.

import net from "node:net";
import type { Client } from "../../core/client.js";
import type { RedisServer } from "../../core/redis-server.js";
import type { RdbContents } from "../../rdb/index.js";
import { REPLID_LENGTH } from "../replication-ids.js";
import { rdbPath } from "../snapshot.js";
import type { CachedMaster } from "./cached-master.js";
import { Handshake, type HandshakeEnd } from "./handshake.js";
import { MasterStream } from "./master-stream.js";
import { inHandshake, roleStateName, type ReplState } from "./repl-state.js";
import { SyncTransfer, TransferError } from "./sync-transfer.js";

/** What the link asks of the rest of the node. */
export interface ReplicaLinkHost {
  /** replicationAttachToNewMaster(), right before a full-sync load: sub-replicas go, the backlog is freed (CHAIN-5, BACKLOG-7). */
  attachToNewMaster(): void;
  /** Loads a received RDB into the (flushed) keyspace; throws when it cannot be loaded. */
  loadRdb(rdb: Buffer): RdbContents;
  /** After a full sync the master's history is ours: its replid and offset, an empty backlog (REPLID-3, BACKLOG-7). */
  adoptMasterHistory(replid: string, offset: number): void;
  /** +CONTINUE with a new id (REPLID-5): our history continues under it; sub-replicas must resync. */
  continueWithNewId(previousReplid: string, newReplid: string): void;
  /** After a partial resync a replica has a backlog (BACKLOG-7). */
  ensureBacklog(): void;
  /** Applied bytes of the master's stream join ours unchanged (CHAIN-2). */
  forward(bytes: Buffer): void;
}

export class MasterLink {
  /** masterhost / masterport; host null = this node is a master. */
  host: string | null = null;
  port = 0;
  state: ReplState = "none";
  /** repl_transfer_lastio (unix s): last I/O while connecting, in handshake or transfer. */
  lastIo = 0;
  /** repl_down_since (unix s), 0 = never connected since start or promotion. */
  downSince = 0;
  cached: CachedMaster | null = null;
  /** The connected master's stream (REPL_STATE_CONNECTED), else null. */
  master: MasterStream | null = null;
  /** The payload being received (REPL_STATE_TRANSFER), else null. */
  transfer: SyncTransfer | null = null;
  /** The master client never acks (SYNC fallback: CLIENT_PRE_PSYNC). */
  preSync = false;

  private socket: net.Socket | null = null;
  private handshake: Handshake | null = null;
  /** server.master_replid / master_initial_offset: what +FULLRESYNC announced (kept across attempts, as Redis does). */
  private masterReplid = "";
  private initialOffset = -1;
  /** Set by stop(): never reconnect again. */
  private stopped = false;

  constructor(
    private readonly server: RedisServer,
    /** The rest of the node. */
    private readonly node: ReplicaLinkHost,
  ) {}

  private get log() {
    return this.server.log;
  }

  private unixtime(): number {
    return Math.floor(this.server.now() / 1000);
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** The master client while connected. */
  get masterClient(): Client | null {
    return this.master?.client ?? null;
  }

  /** ROLE's name of the state (LINK-2). */
  get roleState(): string {
    return roleStateName(this.state);
  }

  // ---- becoming and stopping being a replica ---------------------------------------------------

  /** replicaof in the start-up config: a replica from the start, connecting once started. */
  configure(host: string, port: number): void {
    this.host = host;
    this.port = port;
    this.state = "connect";
  }

  /** Connects to a master configured at start-up. */
  start(): void {
    if (this.state !== "connect") return;
    this.log.notice(`Connecting to MASTER ${this.address}`);
    this.connect();
  }

  /**
   * replicationSetMaster(), the link's part: the current master is dropped (and cached), the new
   * one connected. `self` is set when a master becomes a replica (replicationCacheMasterUsingMyself).
   */
  setMaster(host: string, port: number, self: CachedMaster | null): void {
    this.host = null; // freeing the master client must not reconnect to the old master
    if (this.master !== null) this.server.closeClient(this.master.client, false);
    this.host = host;
    this.port = port;
    this.cancelHandshake();
    if (self !== null) this.cached = self;
    this.state = "connect";
    this.log.notice(`Connecting to MASTER ${this.address}`);
    this.connect();
  }

  /** replicationUnsetMaster(), the link's part: no master, nothing cached. */
  unsetMaster(): void {
    this.host = null;
    if (this.master !== null) this.server.closeClient(this.master.client, false);
    this.cached = null;
    this.cancelHandshake();
    this.state = "none";
    this.downSince = 0;
  }

  /** A replica restarting from its RDB caches itself as its master (RESTART-1). */
  cacheMasterUsingMyself(self: CachedMaster): void {
    this.cached = self;
  }

  /** The instance is closing: no more reconnects. */
  stop(): void {
    this.stopped = true;
    this.closeSocket();
    this.transfer?.discard();
    this.transfer = null;
  }

  /** The connection to the master, while there is one (a frozen instance pauses it too). */
  get connection(): net.Socket | null {
    return this.socket;
  }

  // ---- connecting and handshake ----------------------------------------------------------------

  /** connectWithMaster(). */
  private connect(): void {
    if (this.host === null || this.stopped) return;
    this.closeSocket();
    const socket = net.connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    this.socket = socket;
    this.state = "connecting";
    this.lastIo = this.unixtime();
    this.log.notice("MASTER <-> REPLICA sync started");
    socket.on("connect", () => {
      if (this.socket !== socket) return;
      this.log.notice("Non blocking connect for SYNC fired the event.");
      this.lastIo = this.unixtime();
      this.handshake = new Handshake({
        config: this.server.config,
        log: this.log,
        port: this.server.port,
        cachedMaster: () => this.cached,
        send: (data) => socket.write(data),
      });
      this.state = this.handshake.start();
    });
    socket.on("data", (chunk: Buffer) => {
      if (this.socket === socket) this.onData(chunk);
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (this.socket !== socket) return;
      if (this.state === "connecting")
        this.log.warning(`Error condition on socket for SYNC: ${describeSocketError(err)}`);
      else if (this.state !== "connected")
        this.log.warning(`I/O error trying to sync with MASTER: ${describeSocketError(err)}`);
    });
    socket.on("close", () => {
      if (this.socket === socket) this.onSocketClosed();
    });
  }

  /** Bytes from the master. Whatever they are, the worst they do is break the link. */
  private onData(chunk: Buffer): void {
    try {
      this.dispatch(chunk);
    } catch (err) {
      this.server.internalErrors++;
      this.log.warning(
        `Internal error on the link with MASTER ${this.address}, dropping it (a replcheck bug): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      this.breakLink();
    }
  }

  /** The link is unusable: a master client is freed without being cached, an attempt is cancelled; then reconnect. */
  private breakLink(): void {
    const master = this.master;
    if (this.state === "connected" && master !== null) {
      master.client.protocolError = true;
      this.server.closeClient(master.client, false);
    } else {
      this.cancelAndReconnect();
    }
  }

  private dispatch(chunk: Buffer): void {
    if (inHandshake(this.state)) {
      this.lastIo = this.unixtime();
      this.onHandshakeData(chunk);
    } else if (this.state === "transfer") {
      this.lastIo = this.unixtime();
      this.onTransferData(chunk);
    } else if (this.state === "connected") {
      this.master?.receive(chunk);
    }
  }

  /** Reply lines move the handshake on; what follows its end belongs to the payload or the stream. */
  private onHandshakeData(chunk: Buffer): void {
    const handshake = this.handshake as Handshake;
    handshake.push(chunk);
    while (inHandshake(this.state)) {
      let line: string | null;
      try {
        line = handshake.nextLine();
      } catch (err) {
        this.log.warning(String((err as Error).message));
        this.abortAttempt();
        return;
      }
      if (line === null) return;
      const step = handshake.receive(this.state, line);
      if (typeof step !== "string") {
        this.endHandshake(step);
        continue;
      }
      this.state = step;
      if (step === "send_handshake" || step === "send_psync") this.state = handshake.send(step);
    }
    const rest = handshake.takeRest();
    if (rest.length > 0) this.onData(rest);
  }

  private endHandshake(end: HandshakeEnd): void {
    switch (end.end) {
      case "fullresync":
        this.masterReplid = end.replid;
        this.initialOffset = end.offset;
        this.preSync = false;
        this.beginTransfer();
        return;
      case "continue":
        this.continuePartially(end.newReplid);
        return;
      case "sync":
        this.initialOffset = -1;
        this.preSync = true;
        this.beginTransfer();
        return;
      case "abort":
        this.abortAttempt();
        return;
    }
  }

  /** +CONTINUE [<newid>]: replicationResurrectCachedMaster() (REPLID-5, BACKLOG-7). */
  private continuePartially(newReplid: string): void {
    const cached = this.cached;
    if (cached === null) {
      this.log.warning("Unexpected +CONTINUE without a cached master");
      this.abortAttempt();
      return;
    }
    this.log.notice("Successful partial resynchronization with master.");
    if (newReplid.length === REPLID_LENGTH && newReplid !== cached.replid) {
      this.log.warning(`Master replication ID changed to ${newReplid}`);
      this.node.continueWithNewId(cached.replid, newReplid);
      cached.replid = newReplid;
    }
    this.cached = null;
    this.preSync = false;
    this.becomeConnected(cached.replid, cached.reploff, cached.db);
    this.node.ensureBacklog();
    this.log.notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
  }

  // ---- full sync transfer ----------------------------------------------------------------------

  private beginTransfer(): void {
    this.state = "transfer";
    this.transfer?.discard();
    this.transfer = null;
    try {
      this.transfer = new SyncTransfer(rdbPath(this.server));
    } catch (err) {
      this.log.warning((err as Error).message);
      this.abortAttempt();
      return;
    }
    this.lastIo = this.unixtime();
    this.log.notice(`MASTER <-> REPLICA sync: receiving streamed RDB from master`);
  }

  private onTransferData(chunk: Buffer): void {
    const transfer = this.transfer as SyncTransfer;
    try {
      const end = transfer.push(chunk);
      if (end !== null) this.finishTransfer(transfer, end.eofMark, end.rest);
    } catch (err) {
      if (!(err instanceof TransferError)) throw err;
      this.log.warning(err.message);
      this.cancelAndReconnect();
    }
  }

  /**
   * readSyncBulkPayload() with repl-diskless-load disabled: the payload becomes <dir>/<dbfilename>,
   * then (7.0) the cached master is dropped and the node attaches to the new master right before
   * the load (CHAIN-5), the old data is flushed and the new one loaded; the replica takes the
   * master's history (REPLID-3, BACKLOG-7). Throws a TransferError when it cannot.
   */
  private finishTransfer(transfer: SyncTransfer, eofMark: boolean, rest: Buffer): void {
    const rdb = transfer.payload();
    this.log.notice(`MASTER <-> REPLICA sync: Transfer finished (${rdb.length} bytes)`);
    transfer.commit();
    this.cached = null;
    this.node.attachToNewMaster();
    this.log.notice("MASTER <-> REPLICA sync: Flushing old data");
    for (const db of this.server.keyspace.dbs) db.clear();
    this.log.notice("MASTER <-> REPLICA sync: Loading DB in memory");
    let contents: RdbContents;
    try {
      contents = this.node.loadRdb(rdb);
    } catch (err) {
      throw new TransferError(
        `Failed trying to load the MASTER synchronization DB from disk: ${(err as Error).message}`,
      );
    }
    this.transfer = null;
    const streamDb =
      contents.replInfo !== undefined && contents.replInfo.streamDb >= 0 ? contents.replInfo.streamDb : 0;
    this.becomeConnected(this.masterReplid, this.initialOffset, streamDb);
    this.node.adoptMasterHistory(this.masterReplid, this.initialOffset);
    this.log.notice("MASTER <-> REPLICA sync: Finished with success");
    if (eofMark) this.sendAck(); // LINK-5: the first ACK right after a diskless load
    if (rest.length > 0) this.master?.receive(rest);
  }

  // ---- the connected link ----------------------------------------------------------------------

  /** replicationCreateMasterClient() / replicationResurrectCachedMaster(). */
  private becomeConnected(replid: string, reploff: number, db: number): void {
    this.handshake = null;
    this.masterReplid = replid;
    this.master = new MasterStream(this.server, this.socket as net.Socket, replid, reploff, db, (bytes) =>
      this.node.forward(bytes),
    );
    this.state = "connected";
    this.downSince = 0;
  }

  /** After every command of a master client (OFFSET-9). */
  onMasterCommand(client: Client): void {
    if (client === this.master?.client) this.master.commandDone();
  }

  /** REPLCONF ACK <reploff> (LINK-5). */
  sendAck(): void {
    if (this.state !== "connected" || this.socket === null) return;
    this.master?.sendAck();
  }

  /** The master client is gone (link dropped, CLIENT KILL, timeout): cache it, reconnect. */
  onMasterClientClosed(client: Client): void {
    const master = this.master;
    if (master === null || client !== master.client) return;
    master.forwardApplied();
    this.log.notice("Connection with master lost.");
    if (client.protocolError) {
      // freeClient(): a master closed for a protocol error is not cached; the next sync is full.
      this.cached = null;
    } else {
      this.log.notice("Caching the disconnected master state.");
      this.cached = master.cache();
    }
    this.master = null;
    this.closeSocket();
    this.state = "connect";
    this.downSince = this.unixtime();
    if (this.host !== null && !this.stopped) {
      // replicationHandleMasterDisconnection(): reconnect at once (LINK-3)
      this.log.notice(`Reconnecting to MASTER ${this.address}`);
      this.connect();
    }
  }

  private onSocketClosed(): void {
    if (this.state === "connected" && this.master !== null) {
      this.server.clientDisconnected(this.master.client);
      return;
    }
    if (this.state === "transfer") {
      this.log.warning("I/O error trying to sync with MASTER: connection lost");
      this.cancelAndReconnect();
      return;
    }
    if (this.state === "connecting" || inHandshake(this.state)) this.abortAttempt();
  }

  // ---- failure handling ------------------------------------------------------------------------

  /** undoConnectWithMaster(): the next attempt comes from the 1 Hz cron (LINK-3). */
  private abortAttempt(): void {
    this.closeSocket();
    if (this.host !== null) this.state = "connect";
  }

  /** cancelReplicationHandshake(1): abort a transfer or handshake and reconnect at once. */
  private cancelAndReconnect(): void {
    this.cancelHandshake();
    if (this.host === null || this.stopped) return;
    this.state = "connect";
    this.log.notice(`Reconnecting to MASTER ${this.address} after failure`);
    this.connect();
  }

  /** cancelReplicationHandshake(0): drops a connection attempt or transfer in progress. */
  private cancelHandshake(): void {
    if (this.state === "connecting" || inHandshake(this.state) || this.state === "transfer") {
      this.closeSocket();
      this.transfer?.discard();
      this.transfer = null;
      this.state = this.host === null ? "none" : "connect";
    }
  }

  private closeSocket(): void {
    const s = this.socket;
    this.socket = null;
    this.handshake = null;
    if (s !== null) s.destroy();
  }

  /** The replica half of replicationCron (LINK-3, LINK-4, LINK-5). */
  cron(unixNow: number): void {
    if (this.host === null || this.stopped) return;
    const timeout = this.server.config.getInt("repl-timeout");
    if ((this.state === "connecting" || inHandshake(this.state)) && unixNow - this.lastIo > timeout) {
      this.log.warning("Timeout connecting to the MASTER...");
      this.cancelAndReconnect();
    }
    if (this.state === "transfer" && unixNow - this.lastIo > timeout) {
      this.log.warning(
        "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
      );
      this.cancelAndReconnect();
    }
    const master = this.master;
    if (
      this.state === "connected" &&
      master !== null &&
      unixNow - Math.floor(master.client.lastInteraction / 1000) > timeout
    ) {
      this.log.warning("MASTER timeout: no data nor PING received...");
      this.server.closeClient(master.client, false);
    }
    if (this.state === "connect") {
      this.log.notice(`Connecting to MASTER ${this.address}`);
      this.connect();
    }
    if (this.state === "connected" && !this.preSync) this.sendAck();
  }
}

function describeSocketError(err: NodeJS.ErrnoException): string {
  if (err.code === "ECONNREFUSED") return "Connection refused";
  if (err.code === "ECONNRESET") return "Connection reset by peer";
  if (err.code === "ETIMEDOUT") return "Connection timed out";
  if (err.code === "EHOSTUNREACH") return "No route to host";
  return err.message;
}
