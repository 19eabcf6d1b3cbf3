// The replica clients of this node (server.slaves): attaching one, putting it online after its
// snapshot, its ACKs, closing it, the per-replica half of replicationCron (keepalive newlines,
// timeouts) and client-output-buffer-limit for replicas. The peers themselves live in the
// stream, which feeds them.

import type { Client } from "../../core/client.js";
import type { RedisServer } from "../../core/redis-server.js";
import { parseOutputBufferLimits, type OutputBufferLimit } from "../../config/special-formats.js";
import type { GoodReplicas } from "./good-replicas.js";
import { ReplicaPeer, type PeerHost, type ReplicaState } from "./replica-peer.js";
import { replconfInfo } from "./replconf-info.js";
import type { ReplicationStream } from "./replication-stream.js";

const NEWLINE = Buffer.from("\n");

export class Replicas implements PeerHost {
  /** repl_no_slaves_since (unix seconds). */
  noReplicasSince: number;

  private readonly byClient = new Map<Client, ReplicaPeer>();
  private readonly pendingWrites = new Set<ReplicaPeer>();
  private writeScheduled = false;
  private limit: OutputBufferLimit;

  constructor(
    private readonly server: RedisServer,
    private readonly stream: ReplicationStream,
    private readonly good: GoodReplicas,
    /** A replica acknowledged an offset (WAIT may be done). */
    private readonly onAck: () => void,
  ) {
    this.noReplicasSince = this.unixtime();
    this.limit = this.parseLimit();
    server.config.onChange((name) => {
      if (name === "client-output-buffer-limit") this.limit = this.parseLimit();
    });
  }

  private unixtime(): number {
    return Math.floor(this.server.now() / 1000);
  }

  /** The connection becomes a replica in `state` (syncCommand). */
  add(client: Client, preSync: boolean, state: ReplicaState): ReplicaPeer {
    const peer = new ReplicaPeer(client, replconfInfo(client), preSync, this);
    peer.state = state;
    client.kind = "replica";
    this.byClient.set(client, peer);
    this.stream.peers.add(peer);
    return peer;
  }

  /** replicationGetSlaveName(): ip:listening-port. */
  name(client: Client): string {
    const info = replconfInfo(client);
    const ip = info.announcedIp ?? client.transport.remoteAddress;
    return info.listeningPort ? `${ip}:${info.listeningPort}` : client.address;
  }

  /** replicaPutOnline / replicaStartCommandStream after the last payload byte is written. */
  putOnline(peer: ReplicaPeer): void {
    if (peer.client.closed || peer.closing) return;
    peer.state = "online";
    peer.ackTime = this.unixtime();
    // 7.0 withholds the stream after a diskless transfer until the first REPLCONF ACK
    // (repl_start_cmd_stream_on_ack), so that the replica sees the EOF mark at the end of a read;
    // disk transfers stream at once.
    if (!peer.diskless || peer.acked || peer.preSync) peer.startStream();
    this.refreshGood();
    this.server.log.notice(`Synchronization with replica ${this.name(peer.client)} succeeded`);
  }

  /** The snapshot could not be made: the replica gets the error and is closed. */
  failFullSync(peer: ReplicaPeer, error: string): void {
    this.remove(peer);
    peer.client.kind = "normal";
    peer.client.reply.addError(error);
    peer.client.closeAfterReply = true;
    this.server.scheduleFlush(peer.client);
  }

  /** REPLCONF ACK <offset> from a replica. */
  ack(client: Client, offset: number): void {
    const peer = this.byClient.get(client);
    if (peer === undefined) return;
    if (offset > peer.ackOffset) peer.ackOffset = offset;
    peer.ackTime = this.unixtime();
    peer.acked = true;
    if (peer.state === "online" && !peer.isStreaming) peer.startStream();
    this.onAck();
  }

  /** replicationCountAcksByOffset() (WAIT-1). */
  countAcks(offset: number): number {
    let n = 0;
    for (const p of this.stream.peers) if (p.state === "online" && p.ackOffset >= offset) n++;
    return n;
  }

  refreshGood(): void {
    this.good.refresh(this.stream.peers, this.unixtime());
  }

  /** repl_no_slaves_since = now (promotion, a master's restart). */
  resetNoReplicasSince(): void {
    this.noReplicasSince = this.unixtime();
  }

  /** disconnectSlaves(). */
  disconnectAll(): void {
    for (const peer of [...this.stream.peers]) this.server.closeClient(peer.client, false);
  }

  /** Closes a replica asynchronously (freeClientAsync); it is fed nothing more. */
  closeAsync(peer: ReplicaPeer, reason: string): void {
    if (peer.closing) return;
    peer.closing = true;
    this.server.log.warning(`Client ${this.name(peer.client)} ${reason}`);
    setImmediate(() => {
      // like freeClient: what is still queued for it is dropped, not flushed first
      peer.client.transport.abort?.();
      this.server.closeClient(peer.client, false);
    });
  }

  /** A client is gone: if it was a replica, forget it. */
  clientClosed(client: Client): void {
    const peer = this.byClient.get(client);
    if (peer === undefined) return;
    this.server.log.notice(`Connection with replica ${this.name(client)} lost.`);
    this.remove(peer);
  }

  private remove(peer: ReplicaPeer): void {
    if (!this.stream.peers.delete(peer)) return;
    this.byClient.delete(peer.client);
    this.pendingWrites.delete(peer);
    peer.discard();
    if (this.stream.peers.size === 0) this.noReplicasSince = this.unixtime();
    this.refreshGood();
  }

  /**
   * The per-replica half of replicationCron: replicas waiting for their snapshot get a bare newline
   * (FULLSYNC-6, in no offset); replicas that stopped acking or reading are closed (LINK-4,
   * FULLSYNC-5); the soft output limit's seconds are checked (clientsCron).
   */
  cron(now: number): void {
    for (const peer of this.stream.peers) {
      if (peer.state === "wait_bgsave_start" && !peer.closing) peer.writeDirect([NEWLINE]);
    }
    const timeout = this.server.config.getInt("repl-timeout");
    for (const peer of this.stream.peers) {
      if (peer.closing) continue;
      if (peer.state === "online" && !peer.preSync && now - peer.ackTime > timeout) {
        this.closeAsync(peer, "timed out (streaming sync): disconnecting");
        continue;
      }
      if (peer.transferring) {
        const written = peer.client.transport.bytesWritten ?? 0;
        if (written !== peer.lastProgressBytes) {
          peer.lastProgressBytes = written;
          peer.lastProgressTime = now;
        } else if (now - peer.lastProgressTime > timeout) {
          this.closeAsync(peer, "timed out (full sync): disconnecting");
          continue;
        }
      }
      this.checkOutputLimit(peer);
    }
  }

  // ---- PeerHost ---------------------------------------------------------------------------------

  scheduleWrite(peer: ReplicaPeer): void {
    this.pendingWrites.add(peer);
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(() => this.writePending());
  }

  /** Writes what was queued for every replica since the last pass (once per event-loop iteration). */
  writePending(): void {
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
    const limit = this.limit;
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
    if (over) this.closeAsync(peer, "scheduled to be closed ASAP for overcoming of output buffer limits.");
  }

  private parseLimit(): OutputBufferLimit {
    const limits = parseOutputBufferLimits(this.server.config.getString("client-output-buffer-limit"));
    return limits?.slave ?? { hard: 0, soft: 0, softSeconds: 0 };
  }
}
