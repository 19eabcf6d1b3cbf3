// The replication layer of one server instance: it owns the ids, the stream and backlog, the
// replica clients (master side) and the link to our master (replica side), and plugs them into
// the core through its hooks, commands, configs and INFO sections.

import type { Client } from "../core/client.js";
import type { RedisServer } from "../core/redis-server.js";
import type { CommandCheckInfo, PropagatedOp, PropagationUnit } from "../core/hooks.js";
import { parseOutputBufferLimits, type OutputBufferLimit } from "../config/special-formats.js";
import { ReplicationIds } from "./replication-ids.js";
import { ReplicationStream } from "./replication-stream.js";
import { ReplicaPeer, replconfInfo, type PeerHost, type ReplicaState } from "./replica-peer.js";
import { MasterLink } from "./master-link.js";
import { FullSync } from "./full-sync.js";
import { WaitManager } from "./wait-command.js";
import { GoodReplicas, NOREPLICAS_ERROR } from "./good-replicas.js";
import { Persistence } from "./persistence.js";
import { replicationInfo } from "./info-replication.js";
import { replicationCron } from "./replication-cron.js";
import { GETACK_BYTES } from "./stream-encoding.js";

const READONLY_ERROR = "READONLY You can't write against a read only replica.";
const MASTERDOWN_ERROR = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

export class Replication implements PeerHost {
  readonly ids = new ReplicationIds();
  readonly stream = new ReplicationStream();
  readonly link: MasterLink;
  readonly fullSync: FullSync;
  readonly waits: WaitManager;
  readonly good: GoodReplicas;
  readonly persistence: Persistence;
  /** repl_no_slaves_since (unix seconds). */
  noReplicasSince: number;
  /** replication_cron_loops: counts from start-up (OFFSET-4). */
  cronLoops = 0;

  private readonly peersByClient = new Map<Client, ReplicaPeer>();
  private readonly pendingWrites = new Set<ReplicaPeer>();
  private writeScheduled = false;
  private replicaLimit: OutputBufferLimit;
  private cronTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readOnly: boolean;
  private serveStale: boolean;

  constructor(readonly server: RedisServer) {
    const config = server.config;
    this.link = new MasterLink(this);
    this.fullSync = new FullSync(this);
    this.waits = new WaitManager(this);
    this.good = new GoodReplicas(config);
    this.persistence = new Persistence(this);
    this.noReplicasSince = this.unixtime();
    this.replicaLimit = this.parseReplicaLimit();
    this.readOnly = config.getBool("replica-read-only");
    this.serveStale = config.getBool("replica-serve-stale-data");
    config.onChange((name, value) => this.onConfigChange(name, value));
    config.setGetter("replicaof", () => (this.link.host === null ? "" : `${this.link.host} ${this.link.port}`));

    const hooks = server.hooks;
    hooks.propagate = (ops, unit) => this.propagate(ops, unit);
    hooks.beforeCommand = (client, info) => this.beforeCommand(client, info);
    hooks.afterCommand = (client, executed) => this.afterCommand(client, executed);
    hooks.clientClosed = (client) => this.clientClosed(client);
    server.info.define("persistence", "Persistence", () => this.persistence.info());
    server.info.define("replication", "Replication", () => replicationInfo(this));
    server.log.role = () => (this.isReplica ? "S" : "M");

    // replicaof in the start-up config: a replica from the start, without a cached master
    // (unless the RDB provides one, RESTART-1).
    const replicaof = config.getString("replicaof").trim();
    if (replicaof !== "") {
      const [host, portText] = replicaof.split(/\s+/);
      const port = Number(portText);
      if (host === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`Bad server option 'replicaof' = '${replicaof}': expected "<host> <port>"`);
      }
      this.link.host = host;
      this.link.port = port;
      this.link.state = "connect";
      server.keyspace.mode = "replica";
    }
  }

  get isReplica(): boolean {
    return this.link.host !== null;
  }

  /** server.unixtime, from the injectable clock. */
  unixtime(): number {
    return Math.floor(this.server.now() / 1000);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Loads <dir>/<dbfilename> (before the listener accepts clients). */
  loadData(): void {
    this.persistence.loadAtStartup();
  }

  /** Starts the 1 Hz cron (loop 0 now, at start-up) and the link to a configured master. */
  start(): void {
    replicationCron(this);
    this.cronTimer = setInterval(() => replicationCron(this), 1000);
    this.cronTimer.unref();
    if (this.link.state === "connect") {
      this.server.log.notice(`Connecting to MASTER ${this.link.address}`);
      this.link.connect();
    }
  }

  /** The instance closes: timers off, no reconnects, queued stream bytes written. */
  stop(): void {
    this.stopped = true;
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
    this.link.stop();
    this.fullSync.stop();
    this.waits.stop();
    this.writePeers();
  }

  // ---- master side: stream and replicas --------------------------------------------------------

  /** hooks.propagate: a master's execution unit joins the stream (OFFSET-*, 7.0 wrapping). */
  private propagate(ops: PropagatedOp[], unit: PropagationUnit): void {
    if (this.link.host !== null) return; // RO-3, CHAIN-2: replicas forward, never originate
    if (this.stream.backlog === null) return; // OFFSET-1
    const wrap = ops.length > 1 && !unit.touchesArbitraryKeys;
    this.stream.appendUnit(ops, wrap);
  }

  /** sendGetackToReplicas() (OFFSET-5). */
  sendGetack(): void {
    if (this.isReplica || this.stopped) return;
    this.stream.appendUnselected(GETACK_BYTES);
  }

  createBacklog(): void {
    this.stream.createBacklog(this.server.config.getInt("repl-backlog-size"));
  }

  addReplica(client: Client, preSync: boolean, state: ReplicaState): ReplicaPeer {
    const peer = new ReplicaPeer(client, replconfInfo(client), preSync, this);
    peer.state = state;
    client.kind = "replica";
    this.peersByClient.set(client, peer);
    this.stream.peers.add(peer);
    return peer;
  }

  /** replicationGetSlaveName(): ip:listening-port. */
  replicaName(client: Client): string {
    const info = replconfInfo(client);
    const ip = info.announcedIp ?? client.transport.remoteAddress;
    return info.listeningPort ? `${ip}:${info.listeningPort}` : client.address;
  }

  /** replicaPutOnline / replicaStartCommandStream after the last payload byte is written. */
  putOnline(peer: ReplicaPeer): void {
    if (peer.client.closed || peer.closing) return;
    peer.state = "online";
    peer.ackTime = this.unixtime();
    // 7.0 withholds the stream after a diskless transfer until the first REPLCONF ACK, so that
    // the replica sees the EOF mark at the end of a read (facts §8.1); disk transfers stream at once.
    if (!peer.diskless || peer.acked || peer.preSync) peer.startStream();
    this.refreshGoodReplicas();
    this.server.log.notice(`Synchronization with replica ${this.replicaName(peer.client)} succeeded`);
  }

  failFullSync(peer: ReplicaPeer, error: string): void {
    this.removePeer(peer);
    peer.client.kind = "normal";
    peer.client.reply.addError(error);
    peer.client.closeAfterReply = true;
    this.server.scheduleFlush(peer.client);
  }

  onReplicaAck(client: Client, offset: number): void {
    const peer = this.peersByClient.get(client);
    if (peer === undefined) return;
    if (offset > peer.ackOffset) peer.ackOffset = offset;
    peer.ackTime = this.unixtime();
    peer.acked = true;
    if (peer.state === "online" && !peer.isStreaming) peer.startStream();
    this.waits.check();
  }

  /** replicationCountAcksByOffset() (WAIT-1). */
  countAcks(offset: number): number {
    let n = 0;
    for (const p of this.stream.peers) if (p.state === "online" && p.ackOffset >= offset) n++;
    return n;
  }

  refreshGoodReplicas(): void {
    this.good.refresh(this.stream.peers, this.unixtime());
  }

  /** disconnectSlaves(). */
  disconnectReplicas(): void {
    for (const peer of [...this.stream.peers]) this.server.closeClient(peer.client, false);
  }

  /** Closes a replica asynchronously (freeClientAsync); it is fed nothing more. */
  closeReplicaAsync(peer: ReplicaPeer, reason: string): void {
    if (peer.closing) return;
    peer.closing = true;
    this.server.log.warning(`Client ${this.replicaName(peer.client)} ${reason}`);
    setImmediate(() => {
      // like freeClient: what is still queued for it is dropped, not flushed first
      peer.client.transport.abort?.();
      this.server.closeClient(peer.client, false);
    });
  }

  private removePeer(peer: ReplicaPeer): void {
    if (!this.stream.peers.delete(peer)) return;
    this.peersByClient.delete(peer.client);
    this.pendingWrites.delete(peer);
    peer.discard();
    if (this.stream.peers.size === 0) this.noReplicasSince = this.unixtime();
    this.refreshGoodReplicas();
  }

  // PeerHost
  scheduleWrite(peer: ReplicaPeer): void {
    this.pendingWrites.add(peer);
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(() => this.writePeers());
  }

  private writePeers(): void {
    this.writeScheduled = false;
    for (const peer of this.pendingWrites) peer.writeQueued();
    this.pendingWrites.clear();
  }

  countOutput(bytes: number): void {
    this.server.stats.totalNetReplOutputBytes += bytes;
    this.server.stats.totalNetOutputBytes += bytes;
  }

  /**
   * client-output-buffer-limit for replicas (checkClientOutputBufferLimits, 7.0; FULLSYNC-5): the
   * hard limit is raised to at least repl-backlog-size; the soft one must hold for its seconds.
   */
  checkOutputLimit(peer: ReplicaPeer): void {
    const limit = this.replicaLimit;
    if (limit.hard === 0 && limit.soft === 0) return;
    const used = peer.bufferedBytes;
    let hard = limit.hard;
    if (hard > 0) hard = Math.max(hard, this.server.config.getInt("repl-backlog-size"));
    let over = hard > 0 && used >= hard;
    if (!over && limit.soft > 0) {
      if (used >= limit.soft) {
        const now = this.unixtime();
        if (peer.softLimitSince === 0) peer.softLimitSince = now;
        else if (now - peer.softLimitSince > limit.softSeconds) over = true;
      } else {
        peer.softLimitSince = 0;
      }
    }
    if (over) this.closeReplicaAsync(peer, "scheduled to be closed ASAP for overcoming of output buffer limits.");
  }

  private parseReplicaLimit(): OutputBufferLimit {
    const limits = parseOutputBufferLimits(this.server.config.getString("client-output-buffer-limit"));
    return limits?.slave ?? { hard: 0, soft: 0, softSeconds: 0 };
  }

  // ---- replica side ---------------------------------------------------------------------------

  /** replicationSetMaster() (7.0): sub-replicas are kept (CHAIN-5); a master caches itself (PSYNC-7). */
  setMaster(host: string, port: number): void {
    const link = this.link;
    const wasMaster = link.host === null;
    link.host = null; // freeing the master client must not reconnect to the old master
    if (link.masterClient !== null) this.server.closeClient(link.masterClient, false);
    this.waits.unblockAll();
    link.host = host;
    link.port = port;
    this.server.keyspace.mode = "replica";
    link.cancelHandshake();
    if (wasMaster) {
      // replicationCacheMasterUsingMyself(): db -1, the new master's stream starts with SELECT
      link.cached = { replid: this.ids.replid, reploff: this.stream.offset, db: 0 };
    }
    link.state = "connect";
    this.server.log.notice(`Connecting to MASTER ${link.address}`);
    link.connect();
  }

  /** replicationUnsetMaster(): promotion (REPLID-4, BACKLOG-8, CONV-3). */
  unsetMaster(): void {
    const link = this.link;
    if (link.host === null) return;
    link.host = null;
    if (link.masterClient !== null) this.server.closeClient(link.masterClient, false);
    link.cached = null;
    link.cancelHandshake();
    this.ids.shift(this.stream.offset);
    this.disconnectReplicas();
    link.state = "none";
    this.stream.streamDb = -1;
    this.server.keyspace.mode = "master";
    this.noReplicasSince = this.unixtime();
    link.downSince = 0;
  }

  /** replicationAttachToNewMaster(): right before a full-sync load (7.0, CHAIN-5, BACKLOG-7). */
  attachToNewMaster(): void {
    this.link.cached = null;
    this.disconnectReplicas();
    this.stream.freeBacklog();
  }

  onLinkUp(): void {
    // nothing to do yet: the master client exists, sub-replicas may PSYNC (CHAIN-3)
  }

  onLinkDown(): void {
    // CHAIN-4: sub-replicas stay connected
  }

  // ---- hooks ----------------------------------------------------------------------------------

  /** NOREPLICAS (MINREP-2), READONLY (RO-1), MASTERDOWN (RO-2); the master link is exempt (RO-5). */
  private beforeCommand(client: Client, info: CommandCheckInfo): string | null {
    if (this.link.host === null) {
      if (info.isWrite && !this.good.enough) return NOREPLICAS_ERROR;
      return null;
    }
    if (client.kind === "master") return null;
    if (info.isWrite && this.readOnly) return READONLY_ERROR;
    if (info.denyStale && !this.serveStale && this.link.state !== "connected") return MASTERDOWN_ERROR;
    return null;
  }

  private afterCommand(client: Client, executed: boolean): void {
    if (client.kind === "master") {
      this.link.onMasterCommand(client);
      return;
    }
    if (executed) client.woff = this.stream.offset; // WAIT-2 (7.0: after every command)
  }

  private clientClosed(client: Client): void {
    if (client.kind === "replica") {
      const peer = this.peersByClient.get(client);
      if (peer !== undefined) {
        this.server.log.notice(`Connection with replica ${this.replicaName(client)} lost.`);
        this.removePeer(peer);
      }
    } else if (client.kind === "master") {
      this.link.onMasterClientClosed(client);
    }
    this.waits.clientClosed(client);
  }

  private onConfigChange(name: string, value: unknown): void {
    switch (name) {
      case "repl-backlog-size":
        this.stream.backlog?.resize(value as number); // BACKLOG-5 (builtin)
        break;
      case "min-replicas-to-write":
      case "min-replicas-max-lag":
        this.refreshGoodReplicas();
        break;
      case "client-output-buffer-limit":
        this.replicaLimit = this.parseReplicaLimit();
        break;
      case "replica-read-only":
        this.readOnly = value as boolean;
        break;
      case "replica-serve-stale-data":
        this.serveStale = value as boolean;
        break;
    }
  }
}
