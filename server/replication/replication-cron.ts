// replicationCron() (7.0), once per second: the replica's timeouts, reconnects and ACKs; the
// master's PING, newline keepalives, replica timeouts and output limits, backlog ttl, delayed
// diskless syncs and the good-replicas count.

import type { Replication } from "./replication.js";
import { PING_BYTES } from "./stream-encoding.js";

const NEWLINE = Buffer.from("\n");

export function replicationCron(repl: Replication): void {
  const server = repl.server;
  const config = server.config;
  const now = repl.unixtime();
  const stream = repl.stream;

  repl.link.cron(now);

  // OFFSET-4: ping every repl-ping-replica-period loops while replicas exist in any state; loops
  // count from start-up. Replicas never inject it (CHAIN-2).
  if (!repl.isReplica && stream.peers.size > 0 && repl.cronLoops % config.getInt("repl-ping-replica-period") === 0) {
    stream.appendUnselected(PING_BYTES);
  }

  // FULLSYNC-6: replicas waiting for their snapshot get a bare newline (in no offset).
  for (const peer of stream.peers) {
    if (peer.state === "wait_bgsave_start" && !peer.closing) peer.writeDirect([NEWLINE]);
  }

  // LINK-4 (master side) and FULLSYNC-5: replicas that stopped acking or stopped reading.
  const timeout = config.getInt("repl-timeout");
  for (const peer of stream.peers) {
    if (peer.closing) continue;
    if (peer.state === "online" && !peer.preSync && now - peer.ackTime > timeout) {
      repl.closeReplicaAsync(peer, "timed out (streaming sync): disconnecting");
      continue;
    }
    if (peer.transferring) {
      const written = peer.client.transport.bytesWritten ?? 0;
      if (written !== peer.lastProgressBytes) {
        peer.lastProgressBytes = written;
        peer.lastProgressTime = now;
      } else if (now - peer.lastProgressTime > timeout) {
        repl.closeReplicaAsync(peer, "timed out (full sync): disconnecting");
        continue;
      }
    }
    repl.checkOutputLimit(peer); // the soft limit's seconds are checked here too (clientsCron)
  }

  // BACKLOG-6 / REPLID-6: a master alone for longer than repl-backlog-ttl frees its backlog.
  const ttl = config.getInt("repl-backlog-ttl");
  if (!repl.isReplica && stream.peers.size === 0 && ttl > 0 && stream.backlog !== null && now - repl.noReplicasSince > ttl) {
    repl.ids.newHistory();
    stream.freeBacklog();
    server.log.notice(`Replication backlog freed after ${ttl} seconds without connected replicas.`);
  }

  repl.fullSync.cron(now);
  repl.refreshGoodReplicas();
  repl.cronLoops++;
}
