// Replica side: the link to our master (replication.c syncWithMaster, readSyncBulkPayload,
// replicationCacheMaster, 7.0 semantics). States and ROLE names follow LINK-2:
// connect -> connecting -> handshake (PING, [AUTH], REPLCONF listening-port, [ip-address], capa,
// PSYNC) -> transfer (+FULLRESYNC) or connected (+CONTINUE) -> connected.

import net from "node:net";
import type { Client, ClientTransport } from "../core/client.js";
import { readRdb, SyncPayloadReceiver, type RdbContents } from "../rdb/index.js";
import type { Replication } from "./replication.js";
import { LineReader } from "./line-reader.js";
import { encodeStrings } from "./stream-encoding.js";
import { REPLID_LENGTH } from "./replication-ids.js";
import { AtomicFile, rdbPath } from "./snapshot.js";

export type LinkState = "none" | "connect" | "connecting" | "handshake" | "transfer" | "connected";

type HandshakeStep = "ping-reply" | "replies" | "psync-reply";
type PendingReply = "auth" | "listening-port" | "ip-address" | "capa";

/** The state a replica keeps of a master it lost (or of itself), to PSYNC later (PSYNC-7). */
export interface CachedMaster {
  replid: string;
  reploff: number;
  db: number;
}

/** The master client's transport: the link socket (replies are muted; ACKs are written directly). */
class LinkTransport implements ClientTransport {
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
    for (let i = 0; i < chunks.length; i++) this.socket.write(chunks[i], i === chunks.length - 1 ? onWritten : undefined);
  }

  close(): void {
    this.socket.destroy();
  }
}

export class MasterLink {
  /** masterhost / masterport; host null = this node is a master. */
  host: string | null = null;
  port = 0;
  state: LinkState = "none";
  /** repl_transfer_lastio (unix s): last I/O while connecting, in handshake or transfer. */
  lastIo = 0;
  /** repl_down_since (unix s), 0 = never connected since start or promotion. */
  downSince = 0;
  cached: CachedMaster | null = null;
  masterClient: Client | null = null;
  /** The master's replid (from +FULLRESYNC, or the cached master's on +CONTINUE). */
  masterReplid = "";
  /** reploff / read_reploff of the master client. */
  reploff = 0;
  readReploff = 0;
  /** The master client never acks (SYNC fallback: CLIENT_PRE_PSYNC). */
  preSync = false;
  /** repl_transfer_size (-1 with the EOF framing) and repl_transfer_read. */
  transferSize = -1;
  transferRead = 0;
  /** Set by stop(): never reconnect again. */
  private stopped = false;

  private socket: net.Socket | null = null;
  private step: HandshakeStep = "ping-reply";
  private lines = new LineReader();
  private pendingReplies: PendingReply[] = [];
  private initialOffset = -1;
  private receiver: SyncPayloadReceiver | null = null;
  private rdbParts: Buffer[] = [];
  /** The received payload goes to <dir>/<dbfilename> as it arrives (repl-diskless-load disabled). */
  private rdbFile: AtomicFile | null = null;
  // Stream bookkeeping: bytes received but not yet forwarded, and how much is applied.
  private pendingRaw: Buffer[] = [];
  private streamBase = 0;
  private appliedConsumed = 0;
  private forwardedConsumed = 0;

  constructor(private readonly repl: Replication) {}

  private get server() {
    return this.repl.server;
  }

  private get log() {
    return this.repl.server.log;
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** ROLE's state names (roleCommand, LINK-2): the transfer shows as "sync". */
  get roleState(): string {
    return this.state === "transfer" ? "sync" : this.state;
  }

  // ---- connecting and handshake ----------------------------------------------------------------

  /** connectWithMaster(). */
  connect(): void {
    if (this.host === null || this.stopped) return;
    this.closeSocket();
    const socket = net.connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    this.socket = socket;
    this.state = "connecting";
    this.lastIo = this.repl.unixtime();
    this.log.notice("MASTER <-> REPLICA sync started");
    socket.on("connect", () => {
      if (this.socket !== socket) return;
      this.log.notice("Non blocking connect for SYNC fired the event.");
      this.state = "handshake";
      this.step = "ping-reply";
      this.lines = new LineReader();
      this.lastIo = this.repl.unixtime();
      socket.write(encodeStrings("PING"));
    });
    socket.on("data", (chunk: Buffer) => {
      if (this.socket === socket) this.onData(chunk);
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (this.socket !== socket) return;
      if (this.state === "connecting") this.log.warning(`Error condition on socket for SYNC: ${describeSocketError(err)}`);
      else if (this.state !== "connected") this.log.warning(`I/O error trying to sync with MASTER: ${describeSocketError(err)}`);
    });
    socket.on("close", () => {
      if (this.socket === socket) this.onSocketClosed();
    });
  }

  private onData(chunk: Buffer): void {
    switch (this.state) {
      case "handshake":
        this.lastIo = this.repl.unixtime();
        this.lines.push(chunk);
        this.processHandshake();
        return;
      case "transfer":
        this.lastIo = this.repl.unixtime();
        this.onTransferData(chunk);
        return;
      case "connected":
        this.onStreamData(chunk);
        return;
      default:
        return;
    }
  }

  private processHandshake(): void {
    for (;;) {
      if (this.state !== "handshake") {
        // the rest belongs to the payload or the stream
        const rest = this.lines.takeRest();
        if (rest.length > 0) this.onData(rest);
        return;
      }
      let line: string | null;
      try {
        line = this.lines.next();
      } catch (err) {
        this.log.warning(String((err as Error).message));
        this.abortAttempt();
        return;
      }
      if (line === null) return;
      if (this.step === "ping-reply") this.onPingReply(line);
      else if (this.step === "replies") this.onHandshakeReply(line);
      else this.onPsyncReply(line);
    }
  }

  private onPingReply(line: string): void {
    // LINK-1: +..., -NOAUTH, -NOPERM and the old "-ERR operation not permitted" are accepted.
    if (!line.startsWith("+") && !line.startsWith("-NOAUTH") && !line.startsWith("-NOPERM") && !line.startsWith("-ERR operation not permitted")) {
      this.log.warning(`Error reply to PING from master: '${line}'`);
      this.abortAttempt();
      return;
    }
    this.log.notice("Master replied to PING, replication can continue...");
    const cfg = this.server.config;
    const parts: Buffer[] = [];
    this.pendingReplies = [];
    const auth = cfg.getString("masterauth");
    if (auth !== "") {
      const user = cfg.getString("masteruser");
      parts.push(user !== "" ? encodeStrings("AUTH", user, auth) : encodeStrings("AUTH", auth));
      this.pendingReplies.push("auth");
    }
    const port = cfg.getInt("replica-announce-port") || this.server.port;
    parts.push(encodeStrings("REPLCONF", "listening-port", String(port)));
    this.pendingReplies.push("listening-port");
    const ip = cfg.getString("replica-announce-ip");
    if (ip !== "") {
      parts.push(encodeStrings("REPLCONF", "ip-address", ip));
      this.pendingReplies.push("ip-address");
    }
    parts.push(encodeStrings("REPLCONF", "capa", "eof", "capa", "psync2"));
    this.pendingReplies.push("capa");
    this.step = "replies";
    this.socket?.write(Buffer.concat(parts)); // pipelined (LINK-1 step 3)
  }

  private onHandshakeReply(line: string): void {
    const what = this.pendingReplies.shift();
    if (what === "auth" && line.startsWith("-")) {
      this.log.warning(`Unable to AUTH to MASTER: ${line}`);
      this.abortAttempt();
      return;
    }
    if (line.startsWith("-") && what !== "auth") {
      this.log.notice(`(Non critical) Master does not understand REPLCONF ${what}: ${line}`);
    }
    if (this.pendingReplies.length === 0) this.sendPsync();
  }

  /** slaveTryPartialResynchronization(), write half (PSYNC-7). */
  private sendPsync(): void {
    this.initialOffset = -1;
    let id = "?";
    let off = "-1";
    if (this.cached !== null) {
      id = this.cached.replid;
      off = String(this.cached.reploff + 1);
      this.log.notice(`Trying a partial resynchronization (request ${id}:${off}).`);
    } else {
      this.log.notice("Partial resynchronization not possible (no cached master)");
    }
    this.step = "psync-reply";
    this.socket?.write(encodeStrings("PSYNC", id, off));
  }

  /** slaveTryPartialResynchronization(), read half. */
  private onPsyncReply(line: string): void {
    if (line === "") return; // keepalive newline while the master prepares the snapshot (FULLSYNC-6)
    if (line.startsWith("+FULLRESYNC")) {
      const parts = line.split(" ");
      const replid = parts[1];
      const offset = parts[2];
      if (replid === undefined || offset === undefined || replid.length !== REPLID_LENGTH) {
        this.log.warning("Master replied with wrong +FULLRESYNC syntax.");
        this.masterReplid = "";
      } else {
        this.masterReplid = replid;
        this.initialOffset = leadingInteger(offset);
        this.log.notice(`Full resync from master: ${replid}:${this.initialOffset}`);
      }
      this.preSync = false;
      this.beginTransfer();
      return;
    }
    if (line.startsWith("+CONTINUE")) {
      this.continuePartially(line);
      return;
    }
    if (line.startsWith("-NOMASTERLINK") || line.startsWith("-LOADING")) {
      this.log.notice(`Master is currently unable to PSYNC but should be in the future: ${line}`);
      this.abortAttempt();
      return;
    }
    if (line.startsWith("-ERR")) this.log.notice(`Master does not support PSYNC or is in error state (reply: ${line})`);
    else this.log.warning(`Unexpected reply to PSYNC from master: ${line}`);
    // PSYNC not supported: fall back to SYNC (no +FULLRESYNC line, no ACKs).
    this.log.notice("Retrying with SYNC...");
    this.socket?.write(encodeStrings("SYNC"));
    this.preSync = true;
    this.beginTransfer();
  }

  /** +CONTINUE [<newid>] (REPLID-5, BACKLOG-7). */
  private continuePartially(line: string): void {
    const cached = this.cached;
    if (cached === null) {
      this.log.warning("Unexpected +CONTINUE without a cached master");
      this.abortAttempt();
      return;
    }
    this.log.notice("Successful partial resynchronization with master.");
    const newId = line.length > 10 ? line.slice(10) : "";
    const ids = this.repl.ids;
    if (newId.length === REPLID_LENGTH && newId !== cached.replid) {
      this.log.warning(`Master replication ID changed to ${newId}`);
      ids.continueWithNewId(cached.replid, newId, this.repl.stream.offset);
      cached.replid = newId;
      this.repl.disconnectReplicas(); // they continue with us through replid2
    }
    this.cached = null;
    this.preSync = false;
    this.becomeConnected(cached.replid, cached.reploff, cached.db);
    if (this.repl.stream.backlog === null) this.repl.createBacklog();
    this.log.notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
    const rest = this.lines.takeRest();
    if (rest.length > 0) this.onStreamData(rest);
  }

  // ---- full sync transfer ----------------------------------------------------------------------

  private beginTransfer(): void {
    this.state = "transfer";
    this.receiver = new SyncPayloadReceiver();
    this.rdbParts = [];
    this.rdbFile?.discard();
    try {
      this.rdbFile = new AtomicFile(rdbPath(this.server));
    } catch (err) {
      this.log.warning(`Opening the temp file needed for MASTER <-> REPLICA synchronization: ${(err as Error).message}`);
      this.rdbFile = null;
      this.abortAttempt();
      return;
    }
    this.transferSize = -1;
    this.transferRead = 0;
    this.lastIo = this.repl.unixtime();
    this.log.notice(`MASTER <-> REPLICA sync: receiving streamed RDB from master`);
  }

  private onTransferData(chunk: Buffer): void {
    const receiver = this.receiver as SyncPayloadReceiver;
    let progress;
    try {
      progress = receiver.push(chunk);
    } catch (err) {
      this.log.warning(String((err as Error).message));
      this.cancelAndReconnect();
      return;
    }
    try {
      for (const d of progress.data) {
        this.rdbParts.push(d);
        this.transferRead += d.length;
        this.rdbFile?.write(d);
      }
    } catch (err) {
      this.log.warning(`Write error writing to the DB file on disk during MASTER <-> REPLICA synchronization: ${(err as Error).message}`);
      this.cancelAndReconnect();
      return;
    }
    if (receiver.mode === "length") this.transferSize = receiver.expectedLength ?? -1;
    if (progress.done) this.finishTransfer(receiver.mode === "eof-mark", progress.rest ?? Buffer.alloc(0));
  }

  /**
   * readSyncBulkPayload() with repl-diskless-load disabled: the payload becomes <dir>/<dbfilename>,
   * then (7.0) the cached master is dropped, sub-replicas are disconnected and the backlog freed
   * right before the load (CHAIN-5), the old data is flushed and the new one loaded; the replica
   * takes the master's replid and offset (REPLID-3) and an empty backlog (BACKLOG-7).
   */
  private finishTransfer(eofMark: boolean, rest: Buffer): void {
    const rdb = this.rdbParts.length === 1 ? this.rdbParts[0] : Buffer.concat(this.rdbParts, this.transferRead);
    this.rdbParts = [];
    this.receiver = null;
    this.log.notice(`MASTER <-> REPLICA sync: Transfer finished (${rdb.length} bytes)`);
    try {
      (this.rdbFile as AtomicFile).commit();
      this.rdbFile = null;
    } catch (err) {
      this.log.warning(`Failed trying to rename the temp DB into ${rdbPath(this.server)} in MASTER <-> REPLICA synchronization: ${(err as Error).message}`);
      this.cancelAndReconnect();
      return;
    }
    this.repl.attachToNewMaster();
    this.log.notice("MASTER <-> REPLICA sync: Flushing old data");
    for (const db of this.server.keyspace.dbs) db.clear();
    this.log.notice("MASTER <-> REPLICA sync: Loading DB in memory");
    let contents: RdbContents;
    try {
      contents = readRdb(rdb);
      this.repl.persistence.adoptDatabases(contents);
    } catch (err) {
      this.log.warning(`Failed trying to load the MASTER synchronization DB from disk: ${(err as Error).message}`);
      this.cancelAndReconnect();
      return;
    }
    const streamDb = contents.replInfo !== undefined && contents.replInfo.streamDb >= 0 ? contents.replInfo.streamDb : 0;
    this.becomeConnected(this.masterReplid, this.initialOffset, streamDb);
    const ids = this.repl.ids;
    ids.adoptMaster(this.masterReplid);
    this.repl.stream.adoptOffset(this.initialOffset);
    if (this.repl.stream.backlog === null) this.repl.createBacklog();
    this.log.notice("MASTER <-> REPLICA sync: Finished with success");
    if (eofMark) this.sendAck(); // LINK-5: the first ACK right after a diskless load
    if (rest.length > 0) this.onStreamData(rest);
  }

  // ---- the connected link ----------------------------------------------------------------------

  /** replicationCreateMasterClient() / replicationResurrectCachedMaster(). */
  private becomeConnected(replid: string, reploff: number, db: number): void {
    const socket = this.socket as net.Socket;
    const client = this.server.createClient(new LinkTransport(socket));
    client.kind = "master";
    client.reply.muted = true; // RO-5: a replica sends its master no replies (only ACKs)
    client.parser.exemptFromBulkLimit = true;
    client.authenticated = true;
    if (db >= 0 && db < this.server.keyspace.dbs.length) client.db = this.server.database(db);
    this.masterClient = client;
    this.masterReplid = replid;
    this.reploff = reploff;
    this.readReploff = reploff;
    this.streamBase = reploff;
    this.appliedConsumed = 0;
    this.forwardedConsumed = 0;
    this.pendingRaw = [];
    this.state = "connected";
    this.downSince = 0;
    this.repl.onLinkUp();
  }

  private onStreamData(chunk: Buffer): void {
    const client = this.masterClient;
    if (client === null) return;
    client.lastInteraction = this.server.now();
    this.readReploff += chunk.length;
    this.pendingRaw.push(chunk);
    this.server.feed(client, chunk);
    this.forwardApplied();
  }

  /**
   * After every command of the master client (OFFSET-9): reploff moves only at complete commands,
   * and not while a transaction is open (the whole transaction counts at its EXEC).
   */
  onMasterCommand(client: Client): void {
    if (client !== this.masterClient || client.inMulti) return;
    this.appliedConsumed = client.consumedBytes;
    this.reploff = this.streamBase + this.appliedConsumed;
  }

  /** Feeds the applied bytes, unchanged, to our backlog and sub-replicas (CHAIN-2). */
  private forwardApplied(): void {
    let n = this.appliedConsumed - this.forwardedConsumed;
    if (n <= 0) return;
    this.forwardedConsumed = this.appliedConsumed;
    while (n > 0 && this.pendingRaw.length > 0) {
      const head = this.pendingRaw[0];
      if (head.length <= n) {
        this.pendingRaw.shift();
        this.repl.stream.append(head);
        n -= head.length;
      } else {
        this.repl.stream.append(head.subarray(0, n));
        this.pendingRaw[0] = head.subarray(n);
        n = 0;
      }
    }
  }

  /** REPLCONF ACK <reploff> (LINK-5). During a GETACK, reploff does not include its bytes yet. */
  sendAck(): void {
    if (this.state !== "connected" || this.socket === null) return;
    this.socket.write(encodeStrings("REPLCONF", "ACK", String(this.reploff)));
  }

  /** The master client is gone (link dropped, CLIENT KILL, timeout): cache it, reconnect. */
  onMasterClientClosed(client: Client): void {
    if (client !== this.masterClient) return;
    this.forwardApplied();
    this.log.notice("Connection with master lost.");
    this.log.notice("Caching the disconnected master state.");
    this.cached = { replid: this.masterReplid, reploff: this.reploff, db: client.db.id };
    this.masterClient = null;
    this.pendingRaw = [];
    this.closeSocket();
    this.state = "connect";
    this.downSince = this.repl.unixtime();
    this.repl.onLinkDown();
    if (this.host !== null && !this.stopped) {
      // replicationHandleMasterDisconnection(): reconnect at once (LINK-3)
      this.log.notice(`Reconnecting to MASTER ${this.address}`);
      this.connect();
    }
  }

  private onSocketClosed(): void {
    if (this.state === "connected" && this.masterClient !== null) {
      this.server.clientDisconnected(this.masterClient);
      return;
    }
    if (this.state === "transfer") {
      this.log.warning("I/O error trying to sync with MASTER: connection lost");
      this.cancelAndReconnect();
      return;
    }
    if (this.state === "connecting" || this.state === "handshake") this.abortAttempt();
  }

  // ---- failure handling ------------------------------------------------------------------------

  /** undoConnectWithMaster(): the next attempt comes from the 1 Hz cron (LINK-3). */
  private abortAttempt(): void {
    this.closeSocket();
    if (this.host !== null) this.state = "connect";
  }

  /** cancelReplicationHandshake(1): abort a transfer or handshake and reconnect at once. */
  cancelAndReconnect(): void {
    this.cancelHandshake();
    if (this.host === null || this.stopped) return;
    this.state = "connect";
    this.log.notice(`Reconnecting to MASTER ${this.address} after failure`);
    this.connect();
  }

  /** cancelReplicationHandshake(0): drops a connection attempt or transfer in progress. */
  cancelHandshake(): void {
    if (this.state === "connecting" || this.state === "handshake" || this.state === "transfer") {
      this.closeSocket();
      this.receiver = null;
      this.rdbParts = [];
      this.rdbFile?.discard();
      this.rdbFile = null;
      this.state = this.host === null ? "none" : "connect";
    }
  }

  private closeSocket(): void {
    const s = this.socket;
    this.socket = null;
    if (s !== null) s.destroy();
  }

  /** The replica half of replicationCron (LINK-3, LINK-4, LINK-5). */
  cron(unixNow: number): void {
    if (this.host === null || this.stopped) return;
    const timeout = this.server.config.getInt("repl-timeout");
    if ((this.state === "connecting" || this.state === "handshake") && unixNow - this.lastIo > timeout) {
      this.log.warning("Timeout connecting to the MASTER...");
      this.cancelAndReconnect();
    }
    if (this.state === "transfer" && unixNow - this.lastIo > timeout) {
      this.log.warning("Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.");
      this.cancelAndReconnect();
    }
    const master = this.masterClient;
    if (this.state === "connected" && master !== null && unixNow - Math.floor(master.lastInteraction / 1000) > timeout) {
      this.log.warning("MASTER timeout: no data nor PING received...");
      this.server.closeClient(master, false);
    }
    if (this.state === "connect") {
      this.log.notice(`Connecting to MASTER ${this.address}`);
      this.connect();
    }
    if (this.state === "connected" && !this.preSync) this.sendAck();
  }

  /** The instance is closing: no more reconnects. */
  stop(): void {
    this.stopped = true;
    this.closeSocket();
    this.rdbFile?.discard();
    this.rdbFile = null;
  }
}

function leadingInteger(s: string): number {
  const m = /^\s*[+-]?\d+/.exec(s);
  return m ? Number(m[0]) : 0;
}

function describeSocketError(err: NodeJS.ErrnoException): string {
  if (err.code === "ECONNREFUSED") return "Connection refused";
  if (err.code === "ECONNRESET") return "Connection reset by peer";
  if (err.code === "ETIMEDOUT") return "Connection timed out";
  if (err.code === "EHOSTUNREACH") return "No route to host";
  return err.message;
}
