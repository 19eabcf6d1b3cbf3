// INFO replication (server.c genRedisInfoString, 7.0 field order; INFO-1, INFO-3, INFO-4,
// MINREP-4, BACKLOG-9).

import type { RedisServer } from "../core/redis-server.js";
import type { GoodReplicas } from "./master/good-replicas.js";
import type { ReplicationStream } from "./master/replication-stream.js";
import type { MasterLink } from "./replica/master-link.js";
import type { ReplicationIds } from "./replication-ids.js";

/** What INFO replication shows. */
export interface ReplicationInfoSource {
  readonly server: RedisServer;
  readonly isReplica: boolean;
  readonly ids: ReplicationIds;
  readonly stream: ReplicationStream;
  readonly good: GoodReplicas;
  readonly link: MasterLink;
}

const STATE_TEXT = {
  wait_bgsave_start: "wait_bgsave",
  wait_bgsave_end: "wait_bgsave",
  send_bulk: "send_bulk",
  online: "online",
} as const;

export function replicationInfo(repl: ReplicationInfoSource): string[] {
  const lines: string[] = [];
  const link = repl.link;
  const server = repl.server;
  const now = Math.floor(server.now() / 1000);
  if (!repl.isReplica) {
    lines.push("role:master");
  } else {
    let replOffset = 1;
    let readOffset = 1;
    if (link.master !== null) {
      replOffset = link.master.reploff;
      readOffset = link.master.readReploff;
    } else if (link.cached !== null) {
      replOffset = link.cached.reploff;
      readOffset = link.cached.reploff;
    }
    const master = link.masterClient;
    lines.push(
      "role:slave",
      `master_host:${link.host}`,
      `master_port:${link.port}`,
      `master_link_status:${link.state === "connected" ? "up" : "down"}`,
      `master_last_io_seconds_ago:${master !== null ? now - Math.floor(master.lastInteraction / 1000) : -1}`,
      `master_sync_in_progress:${link.state === "transfer" ? 1 : 0}`,
      `slave_read_repl_offset:${readOffset}`,
      `slave_repl_offset:${replOffset}`,
    );
    const transfer = link.state === "transfer" ? link.transfer : null;
    if (transfer !== null) {
      const perc = transfer.size > 0 ? (transfer.read / transfer.size) * 100 : 0;
      lines.push(
        `master_sync_total_bytes:${transfer.size}`,
        `master_sync_read_bytes:${transfer.read}`,
        `master_sync_left_bytes:${transfer.size - transfer.read}`,
        `master_sync_perc:${perc.toFixed(2)}`,
        `master_sync_last_io_seconds_ago:${now - link.lastIo}`,
      );
    }
    if (link.state !== "connected") {
      lines.push(`master_link_down_since_seconds:${link.downSince !== 0 ? now - link.downSince : -1}`);
    }
    lines.push(
      `slave_priority:${server.config.getInt("replica-priority")}`,
      `slave_read_only:${server.config.getBool("replica-read-only") ? 1 : 0}`,
      `replica_announced:${server.config.getBool("replica-announced") ? 1 : 0}`,
    );
  }
  const stream = repl.stream;
  lines.push(`connected_slaves:${stream.peers.size}`);
  if (repl.good.active) lines.push(`min_slaves_good_slaves:${repl.good.count}`);
  let i = 0;
  for (const p of stream.peers) {
    const ip = p.info.announcedIp ?? p.client.transport.remoteAddress;
    const lag = p.state === "online" ? now - p.ackTime : 0;
    lines.push(
      `slave${i++}:ip=${ip},port=${p.info.listeningPort},state=${STATE_TEXT[p.state]},offset=${p.ackOffset},lag=${lag}`,
    );
  }
  const ids = repl.ids;
  const backlog = stream.backlog;
  lines.push(
    "master_failover_state:no-failover",
    `master_replid:${ids.replid}`,
    `master_replid2:${ids.replid2}`,
    `master_repl_offset:${stream.offset}`,
    `second_repl_offset:${ids.secondOffset}`,
    `repl_backlog_active:${backlog !== null ? 1 : 0}`,
    `repl_backlog_size:${server.config.getInt("repl-backlog-size")}`,
    `repl_backlog_first_byte_offset:${stream.firstByteOffset}`,
    `repl_backlog_histlen:${backlog !== null ? backlog.histlen : 0}`,
  );
  return lines;
}
