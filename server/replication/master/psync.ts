// PSYNC / SYNC on the serving node (replication.c syncCommand and
// masterTryPartialResynchronization, 7.0): refusals (PSYNC-8), the decision (PSYNC-1, PSYNC-2),
// the counters (PSYNC-3, PSYNC-4), the +CONTINUE reply with the backlog tail (PSYNC-5), and the
// setup of a full sync (BACKLOG-1, REPLID-2; the snapshot itself is full-sync.ts).

import type { CommandContext } from "../../commands/command-context.js";
import { NOT_INTEGER } from "../../commands/command-context.js";
import type { RedisServer } from "../../core/redis-server.js";
import { parseIntArg } from "../../util/integers.js";
import type { ReplicationIds } from "../replication-ids.js";
import type { FullSync } from "./full-sync.js";
import { replconfInfo } from "./replconf-info.js";
import type { Replicas } from "./replicas.js";
import type { ReplicationStream } from "./replication-stream.js";

const latin1 = (b: Buffer): string => b.toString("latin1", 0, b.length);

/** What serving a PSYNC or SYNC reads and changes. */
export interface SyncParts {
  readonly server: RedisServer;
  readonly ids: ReplicationIds;
  readonly stream: ReplicationStream;
  readonly replicas: Replicas;
  readonly fullSync: FullSync;
  readonly isReplica: boolean;
  /** CHAIN-3: a replica serves syncs only while its own link is up. */
  readonly masterLinkUp: boolean;
  /** PSYNC ... FAILOVER: replicationUnsetMaster(). */
  unsetMaster(): void;
  createBacklog(): void;
}

export function syncCommand(repl: SyncParts, ctx: CommandContext, isPsync: boolean): void {
  const client = ctx.client;
  const argv = ctx.argv;
  const server = repl.server;
  if (client.kind === "replica") return; // already a replica: ignored silently

  if (isPsync && argv.length > 3 && latin1(argv[3]).toLowerCase() === "failover") {
    if (!repl.isReplica) return ctx.reply.addError("ERR PSYNC FAILOVER can't be sent to a master.");
    if (latin1(argv[1]).toLowerCase() !== repl.ids.replid.toLowerCase()) {
      return ctx.reply.addError("ERR PSYNC FAILOVER replid must match my replid.");
    }
    repl.unsetMaster();
    server.log.notice(`MASTER MODE enabled (failover request from '${client.address}')`);
  }
  // CHAIN-3 / PSYNC-8
  if (repl.isReplica && !repl.masterLinkUp) {
    return ctx.reply.addError("NOMASTERLINK Can't SYNC while not connected with my master");
  }
  if (client.reply.hasPending) return ctx.reply.addError("ERR SYNC and PSYNC are invalid with pending output");

  const name = repl.replicas.name(client);
  server.log.notice(`Replica ${name} asks for synchronization`);
  let preSync = false;
  if (isPsync) {
    const offset = parseIntArg(argv[2]);
    if (Number.isNaN(offset)) {
      server.log.warning(`Replica ${name} asks for synchronization but with a wrong offset`);
      return ctx.reply.addError(NOT_INTEGER);
    }
    const id = latin1(argv[1]);
    if (tryPartialResync(repl, ctx, id, offset)) {
      server.stats.syncPartialOk++;
      return;
    }
    if (!id.startsWith("?")) server.stats.syncPartialErr++; // PSYNC-3: "?" asks for a full sync
  } else {
    preSync = true; // legacy SYNC: no +FULLRESYNC line, no ACKs expected
  }

  server.stats.syncFull++;
  const peer = repl.replicas.add(client, preSync, "wait_bgsave_start");
  peer.waitingSince = Math.floor(server.now() / 1000);
  // BACKLOG-1, REPLID-2: the first replica of a master without a backlog creates it with new ids.
  if (repl.stream.peers.size === 1 && repl.stream.backlog === null) {
    repl.ids.newHistory();
    repl.createBacklog();
    server.log.notice(
      `Replication backlog created, my new replication IDs are '${repl.ids.replid}' and '${repl.ids.replid2}'`,
    );
  }
  repl.fullSync.requested(peer);
}

/** masterTryPartialResynchronization(): +CONTINUE and the backlog from `offset`, or false. */
function tryPartialResync(repl: SyncParts, ctx: CommandContext, id: string, offset: number): boolean {
  const server = repl.server;
  const ids = repl.ids;
  const stream = repl.stream;
  if (!ids.accepts(id, offset)) {
    if (id.toLowerCase() !== ids.replid.toLowerCase() && id.toLowerCase() !== ids.replid2.toLowerCase()) {
      if (!id.startsWith("?")) {
        server.log.notice(
          `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${id}', my replication IDs are '${ids.replid}' and '${ids.replid2}')`,
        );
      } else {
        server.log.notice(`Full resync requested by replica ${repl.replicas.name(ctx.client)}`);
      }
    } else {
      server.log.notice(
        `Partial resynchronization not accepted: Requested offset for second ID was ${offset}, but I can reply up to ${ids.secondOffset}`,
      );
    }
    return false;
  }
  if (!stream.covers(offset)) {
    server.log.notice(
      `Unable to partial resync with replica ${repl.replicas.name(ctx.client)} for lack of backlog (Replica request was: ${offset}).`,
    );
    if (offset > stream.offset)
      server.log.warning(
        `Warning: replica ${repl.replicas.name(ctx.client)} tried to PSYNC with an offset that is greater than the master replication offset.`,
      );
    return false;
  }
  const info = replconfInfo(ctx.client);
  const peer = repl.replicas.add(ctx.client, false, "online");
  peer.ackTime = Math.floor(server.now() / 1000);
  const line = info.capaPsync2 ? `+CONTINUE ${ids.replid}\r\n` : "+CONTINUE\r\n";
  const tail = stream.tailFrom(offset);
  peer.writeDirect(tail.length > 0 ? [Buffer.from(line, "latin1"), tail] : [Buffer.from(line, "latin1")]);
  peer.startStream();
  server.log.notice(
    `Partial resynchronization request from ${repl.replicas.name(ctx.client)} accepted. Sending ${tail.length} bytes of backlog starting from offset ${offset}.`,
  );
  repl.replicas.refreshGood();
  return true;
}
