// Full synchronization on the serving node (startBgsaveForReplication,
// replicationSetupSlaveForFullResync, sendBulkToSlave / rdbSaveToSlavesSockets, 7.0):
// one consistent snapshot for every replica waiting at that moment, sent with the disk framing
// `$<len>\r\n` (after writing <dir>/<dbfilename>) or the diskless `$EOF:<mark>\r\n ... <mark>`
// (FULLSYNC-3), then the stream that accumulated meanwhile (FULLSYNC-4).

import type { RedisServer } from "../../core/redis-server.js";
import { diskPreamble, eofMarkPreamble, newEofMark, type RdbReplInfo } from "../../rdb/index.js";
import type { ReplicationIds } from "../replication-ids.js";
import { rdbPath, takeSnapshot, writeFileAtomically, type Snapshot } from "../snapshot.js";
import type { ReplicaPeer } from "./replica-peer.js";
import type { Replicas } from "./replicas.js";
import type { ReplicationStream } from "./replication-stream.js";

export class FullSync {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly server: RedisServer,
    private readonly ids: ReplicationIds,
    private readonly stream: ReplicationStream,
    private readonly replicas: Replicas,
    /** rdbPopulateSaveInfo(): what the snapshot says about replication. */
    private readonly saveInfo: () => RdbReplInfo | undefined,
  ) {}

  private get config() {
    return this.server.config;
  }

  /** syncCommand, "no BGSAVE in progress": start now, unless a diskless delay applies. */
  requested(peer: ReplicaPeer): void {
    const diskless = this.config.getBool("repl-diskless-sync") && peer.info.capaEof;
    if (diskless && this.config.getInt("repl-diskless-sync-delay") > 0) {
      this.server.log.notice("Delay next BGSAVE for diskless SYNC");
      return;
    }
    this.start();
  }

  /** replicationStartPendingFork(): the delay is measured in whole seconds by the 1 Hz cron. */
  cron(unixNow: number): void {
    const waiting = this.waiting();
    if (waiting.length === 0) return;
    let maxIdle = 0;
    for (const p of waiting) maxIdle = Math.max(maxIdle, unixNow - p.waitingSince);
    const maxReplicas = this.config.getInt("repl-diskless-sync-max-replicas");
    if (
      !this.config.getBool("repl-diskless-sync") ||
      (maxReplicas > 0 && waiting.length >= maxReplicas) ||
      maxIdle >= this.config.getInt("repl-diskless-sync-delay")
    ) {
      this.start();
    }
  }

  private waiting(): ReplicaPeer[] {
    return [...this.stream.peers].filter((p) => p.state === "wait_bgsave_start" && !p.closing);
  }

  /** The "fork": snapshot now, +FULLRESYNC to every waiting replica, then the transfers. */
  start(): void {
    const waiting = this.waiting();
    if (waiting.length === 0) return;
    const server = this.server;
    const diskless = this.config.getBool("repl-diskless-sync") && waiting.every((p) => p.info.capaEof);
    const replInfo = this.saveInfo(); // before the fork
    let snapshot: Snapshot;
    try {
      if (replInfo === undefined)
        throw new Error("replication information not available, can't generate the RDB file right now. Try later.");
      snapshot = takeSnapshot(server, replInfo);
      if (!diskless) writeFileAtomically(rdbPath(server), snapshot.chunks); // a disk sync leaves the RDB behind, as with Redis
    } catch (err) {
      server.log.warning(`BGSAVE for replication failed: ${(err as Error).message}`);
      for (const p of waiting) this.replicas.failFullSync(p, "ERR BGSAVE failed, replication can't continue");
      return;
    }
    server.log.notice(`Starting BGSAVE for SYNC with target: ${diskless ? "replicas sockets" : "disk"}`);
    const offset = this.stream.offset;
    for (const peer of waiting) {
      // replicationSetupSlaveForFullResync (PSYNC-6, OFFSET-3)
      peer.psyncInitialOffset = offset;
      peer.state = "wait_bgsave_end";
      peer.diskless = diskless;
      this.stream.reselectDb();
      if (!peer.preSync) peer.writeDirect([Buffer.from(`+FULLRESYNC ${this.ids.replid} ${offset}\r\n`, "latin1")]);
    }
    for (const peer of waiting) this.transfer(peer, snapshot, diskless);
  }

  private transfer(peer: ReplicaPeer, snapshot: Snapshot, diskless: boolean): void {
    let payload: Buffer[];
    if (diskless) {
      const mark = newEofMark();
      payload = [eofMarkPreamble(mark), ...snapshot.chunks, Buffer.from(mark, "latin1")];
    } else {
      peer.state = "send_bulk";
      payload = [diskPreamble(snapshot.length), ...snapshot.chunks];
    }
    peer.lastProgressTime = Math.floor(this.server.now() / 1000);
    peer.lastProgressBytes = peer.client.transport.bytesWritten ?? 0;
    const done = () => this.replicas.putOnline(peer);
    // rdb-key-save-delay (µs per key, as rdbSaveRio sleeps per key) holds the transfer open: the
    // payload goes out in steps spread over keys × delay, so a sync stays "in progress" as with Redis.
    const delayUs = this.config.getInt("rdb-key-save-delay");
    const totalMs = delayUs > 0 ? (snapshot.keys * delayUs) / 1000 : 0;
    if (totalMs <= 0) {
      peer.writeDirect(payload, done);
      return;
    }
    const stepMs = totalMs / payload.length;
    let i = 0;
    const next = (): void => {
      if (peer.client.closed) return;
      const last = i === payload.length - 1;
      peer.writeDirect([payload[i++]], last ? done : undefined);
      if (!last) this.later(stepMs, next);
    };
    this.later(stepMs, next);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
