// The replication layer of one server instance. It builds the parts — the ids, the stream and
// its replicas (master side, master/), the link to our master (replica side, replica/), WAIT and
// persistence — hands each the narrow host it needs, and plugs them into the core through its
// hooks, config events, INFO sections and the 1 Hz cron. Role changes (replicaof, promotion)
// and the history operations that span several parts live here.

import type { Client } from "../core/client.js";
import type { CommandCheckInfo, PropagatedOp, PropagationUnit } from "../core/hooks.js";
import type { RedisServer } from "../core/redis-server.js";
import { readRdb, type RdbContents } from "../rdb/index.js";
import { FullSync } from "./master/full-sync.js";
import { GoodReplicas, NOREPLICAS_ERROR } from "./master/good-replicas.js";
import { Replicas } from "./master/replicas.js";
import { ReplicationStream } from "./master/replication-stream.js";
import { WaitManager } from "./master/wait-command.js";
import { replicationInfo } from "./info-replication.js";
import { Persistence } from "./persistence.js";
import { MasterLink, type ReplicaLinkHost } from "./replica/master-link.js";
import { ReplicationIds } from "./replication-ids.js";
import { populateSaveInfo } from "./save-info.js";
import { loadDataFromDisk } from "./startup-load.js";
import { GETACK_BYTES, PING_BYTES } from "./stream-encoding.js";

const READONLY_ERROR = "READONLY You can't write against a read only replica.";
const MASTERDOWN_ERROR = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

/** Timer-driven events the harness can make happen at once on the built-in server. */
export type TimerEvent = "ping" | "backlog-ttl" | "repl-timeout";

export class Replication {
  readonly ids = new ReplicationIds();
  readonly stream = new ReplicationStream();
  readonly good: GoodReplicas;
  readonly replicas: Replicas;
  readonly fullSync: FullSync;
  readonly link: MasterLink;
  readonly waits: WaitManager;
  readonly persistence: Persistence;
  /** replication_cron_loops: counts from start-up (OFFSET-4). */
  cronLoops = 0;

  private cronTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readOnly: boolean;
  private serveStale: boolean;

  constructor(readonly server: RedisServer) {
    const config = server.config;
    const saveInfo = () => populateSaveInfo(this);
    this.good = new GoodReplicas(config);
    this.replicas = new Replicas(server, this.stream, this.good, () => this.waits.check());
    this.fullSync = new FullSync(server, this.ids, this.stream, this.replicas, saveInfo);
    this.link = new MasterLink(server, this.replicaLinkHost());
    this.waits = new WaitManager(server, this);
    this.persistence = new Persistence(server, saveInfo);
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
      this.link.configure(host, port);
      server.keyspace.mode = "replica";
    }
  }

  get isReplica(): boolean {
    return this.link.host !== null;
  }

  /** Our own link is up (CHAIN-3: a replica serves syncs only then; RO-2). */
  get masterLinkUp(): boolean {
    return this.link.state === "connected";
  }

  private unixtime(): number {
    return Math.floor(this.server.now() / 1000);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Loads <dir>/<dbfilename> (before the listener accepts clients). */
  loadData(): void {
    loadDataFromDisk(this);
  }

  /** Starts the 1 Hz cron (loop 0 now, at start-up) and the link to a configured master. */
  start(): void {
    this.replicationCron();
    this.cronTimer = setInterval(() => this.replicationCron(), 1000);
    this.cronTimer.unref();
    this.link.start();
  }

  /** The 1 Hz cron stops (a frozen instance: nothing runs). */
  pauseCron(): void {
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
  }

  /** The 1 Hz cron runs again after pauseCron. */
  resumeCron(): void {
    if (this.stopped || this.cronTimer !== null) return;
    this.cronTimer = setInterval(() => this.replicationCron(), 1000);
    this.cronTimer.unref();
  }

  /** The instance closes: timers off, no reconnects, queued stream bytes written. */
  stop(): void {
    this.stopped = true;
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
    this.link.stop();
    this.fullSync.stop();
    this.waits.stop();
    this.replicas.writePending();
  }

  /**
   * replicationCron() (7.0), once per second: the replica's timeouts, reconnects and ACKs; the
   * master's PING, replica keepalives, timeouts and output limits, backlog ttl, delayed diskless
   * syncs and the good-replicas count.
   */
  private replicationCron(): void {
    const now = this.unixtime();
    this.link.cron(now);
    // OFFSET-4: ping every repl-ping-replica-period loops while replicas exist in any state; loops
    // count from start-up. Replicas never inject it (CHAIN-2).
    const period = this.server.config.getInt("repl-ping-replica-period");
    if (!this.isReplica && this.stream.peers.size > 0 && this.cronLoops % period === 0)
      this.stream.appendUnselected(PING_BYTES);
    this.replicas.cron(now);
    this.freeBacklogWhenAlone(now);
    this.fullSync.cron(now);
    this.replicas.refreshGood();
    this.cronLoops++;
  }

  /**
   * A timer-driven event now, as if its time had passed (the harness's clock capability on the
   * built-in target): the cron's PING (OFFSET-4), repl-backlog-ttl elapsing on a master alone
   * (BACKLOG-6), or repl-timeout elapsing on a replica (LINK-4). The same code paths as the cron.
   */
  elapse(event: TimerEvent): void {
    if (this.stopped) return;
    switch (event) {
      case "ping":
        if (!this.isReplica && this.stream.peers.size > 0) this.stream.appendUnselected(PING_BYTES);
        return;
      case "backlog-ttl":
        this.freeBacklogWhenAlone(Number.MAX_SAFE_INTEGER);
        return;
      case "repl-timeout":
        this.link.cron(this.unixtime() + this.server.config.getInt("repl-timeout") + 1);
        return;
    }
  }

  /** BACKLOG-6 / REPLID-6: a master alone for longer than repl-backlog-ttl frees its backlog and starts a new history. */
  private freeBacklogWhenAlone(now: number): void {
    const ttl = this.server.config.getInt("repl-backlog-ttl");
    const stream = this.stream;
    if (
      this.isReplica ||
      stream.peers.size > 0 ||
      ttl <= 0 ||
      stream.backlog === null ||
      now - this.replicas.noReplicasSince <= ttl
    )
      return;
    this.ids.newHistory();
    stream.freeBacklog();
    this.server.log.notice(`Replication backlog freed after ${ttl} seconds without connected replicas.`);
  }

  // ---- master side -----------------------------------------------------------------------------

  /** hooks.propagate: a master's execution unit joins the stream (OFFSET-*, 7.0 wrapping). */
  private propagate(ops: PropagatedOp[], unit: PropagationUnit): void {
    if (this.isReplica) return; // RO-3, CHAIN-2: replicas forward, never originate
    if (this.stream.backlog === null) return; // OFFSET-1
    const wrap = ops.length > 1 && !unit.touchesArbitraryKeys;
    this.stream.appendUnit(ops, wrap);
  }

  /** sendGetackToReplicas() (OFFSET-5). */
  sendGetack(): void {
    if (this.isReplica || this.stopped) return;
    this.stream.appendUnselected(GETACK_BYTES);
  }

  /** replicationCountAcksByOffset() (WAIT-1). */
  countAcks(offset: number): number {
    return this.replicas.countAcks(offset);
  }

  /** createReplicationBacklog() (BACKLOG-1, BACKLOG-7). */
  createBacklog(): void {
    this.stream.createBacklog(this.server.config.getInt("repl-backlog-size"));
  }

  // ---- role changes ----------------------------------------------------------------------------

  /** replicationSetMaster() (7.0): sub-replicas are kept (CHAIN-5); a master caches itself (PSYNC-7). */
  setMaster(host: string, port: number): void {
    const wasMaster = !this.isReplica;
    this.waits.unblockAll();
    this.server.keyspace.mode = "replica";
    // replicationCacheMasterUsingMyself(): the new master's stream starts with a SELECT
    const self = wasMaster ? { replid: this.ids.replid, reploff: this.stream.offset, db: 0 } : null;
    this.link.setMaster(host, port, self);
  }

  /** replicationUnsetMaster(): promotion (REPLID-4, BACKLOG-8, CONV-3). */
  unsetMaster(): void {
    if (!this.isReplica) return;
    this.link.unsetMaster();
    this.ids.shift(this.stream.offset);
    this.replicas.disconnectAll();
    this.stream.reselectDb();
    this.server.keyspace.mode = "master";
    this.replicas.resetNoReplicasSince();
  }

  /** What the link to our master does to the rest of the node. */
  private replicaLinkHost(): ReplicaLinkHost {
    return {
      attachToNewMaster: () => {
        this.replicas.disconnectAll();
        this.stream.freeBacklog();
      },
      loadRdb: (rdb: Buffer): RdbContents => {
        const contents = readRdb(rdb);
        this.persistence.adoptDatabases(contents);
        return contents;
      },
      adoptMasterHistory: (replid, offset) => {
        this.ids.adoptMaster(replid);
        this.stream.adoptOffset(offset);
        if (this.stream.backlog === null) this.createBacklog();
      },
      continueWithNewId: (previousReplid, newReplid) => {
        this.ids.continueWithNewId(previousReplid, newReplid, this.stream.offset);
        this.replicas.disconnectAll(); // they continue with us through replid2
      },
      ensureBacklog: () => {
        if (this.stream.backlog === null) this.createBacklog();
      },
      forward: (bytes) => this.stream.append(bytes),
    };
  }

  // ---- hooks ----------------------------------------------------------------------------------

  /** NOREPLICAS (MINREP-2), READONLY (RO-1), MASTERDOWN (RO-2); the master link is exempt (RO-5). */
  private beforeCommand(client: Client, info: CommandCheckInfo): string | null {
    if (!this.isReplica) {
      if (info.isWrite && !this.good.enough) return NOREPLICAS_ERROR;
      return null;
    }
    if (client.kind === "master") return null;
    if (info.isWrite && this.readOnly) return READONLY_ERROR;
    if (info.denyStale && !this.serveStale && !this.masterLinkUp) return MASTERDOWN_ERROR;
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
    if (client.kind === "replica") this.replicas.clientClosed(client);
    else if (client.kind === "master") this.link.onMasterClientClosed(client);
    this.waits.clientClosed(client);
  }

  private onConfigChange(name: string, value: unknown): void {
    switch (name) {
      case "repl-backlog-size":
        this.stream.backlog?.resize(value as number); // BACKLOG-5 (builtin)
        break;
      case "min-replicas-to-write":
      case "min-replicas-max-lag":
        this.replicas.refreshGood();
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
