// WAIT numreplicas timeout (replication.c waitCommand, 7.0; WAIT-1..WAIT-6). The target is the
// client's woff (set after every executed command, WAIT-2). A WAIT that blocks makes the master
// send one REPLCONF GETACK * per event-loop iteration, shared by every WAIT blocked in it (OFFSET-5).

import type { Client } from "../../core/client.js";
import type { RedisServer } from "../../core/redis-server.js";
import type { CommandContext } from "../../commands/command-context.js";
import { NOT_INTEGER } from "../../commands/command-context.js";
import { parseIntArg } from "../../util/integers.js";

/** What WAIT asks of the rest of replication. */
export interface WaitHost {
  readonly isReplica: boolean;
  /** replicationCountAcksByOffset(). */
  countAcks(offset: number): number;
  /** REPLCONF GETACK * into the stream (OFFSET-5). */
  sendGetack(): void;
}

export const WAIT_ON_REPLICA_ERROR =
  "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.";

const UNBLOCKED_ERROR = "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)";

interface Waiter {
  target: number;
  numReplicas: number;
  timer: NodeJS.Timeout | null;
}

export class WaitManager {
  private readonly waiters = new Map<Client, Waiter>();
  private getAckScheduled = false;

  constructor(
    private readonly server: RedisServer,
    private readonly repl: WaitHost,
  ) {}

  get blockedCount(): number {
    return this.waiters.size;
  }

  command(ctx: CommandContext): void {
    const repl = this.repl;
    if (repl.isReplica) return ctx.reply.addError(WAIT_ON_REPLICA_ERROR); // WAIT-5
    const numReplicas = parseIntArg(ctx.argv[1]);
    if (Number.isNaN(numReplicas)) return ctx.reply.addError(NOT_INTEGER);
    const timeout = parseIntArg(ctx.argv[2]);
    if (Number.isNaN(timeout)) return ctx.reply.addError("ERR timeout is not an integer or out of range");
    if (timeout < 0) return ctx.reply.addError("ERR timeout is negative");
    const client = ctx.client;
    const target = client.woff;
    const count = repl.countAcks(target);
    if (count >= numReplicas || client.inMulti) {
      ctx.reply.addInteger(count); // WAIT-3, WAIT-6: no GETACK
      return;
    }
    client.blocked = true;
    const timer = timeout > 0 ? setTimeout(() => this.finish(client), timeout) : null; // WAIT-4: 0 = forever
    this.waiters.set(client, { target, numReplicas, timer });
    this.requestAcks();
  }

  /** get_ack_from_slaves: one GETACK from "beforeSleep" of this event-loop iteration. */
  private requestAcks(): void {
    if (this.getAckScheduled) return;
    this.getAckScheduled = true;
    setImmediate(() => {
      this.getAckScheduled = false;
      this.repl.sendGetack();
    });
  }

  /** processClientsWaitingReplicas(): after an ACK, reply to every WAIT that has its count. */
  check(): void {
    for (const [client, w] of this.waiters) {
      if (this.repl.countAcks(w.target) >= w.numReplicas) this.finish(client);
    }
  }

  /** Replies the current count (reached, or at the timeout) and unblocks. */
  private finish(client: Client): void {
    const w = this.waiters.get(client);
    if (w === undefined) return;
    this.release(client, w);
    client.reply.addInteger(this.repl.countAcks(w.target));
    this.server.unblockClient(client);
  }

  private release(client: Client, w: Waiter): void {
    if (w.timer !== null) clearTimeout(w.timer);
    this.waiters.delete(client);
  }

  /** disconnectAllBlockedClients() when the node becomes a replica (replicationSetMaster, 7.0). */
  unblockAll(): void {
    for (const [client, w] of [...this.waiters]) {
      this.release(client, w);
      client.reply.addError(UNBLOCKED_ERROR);
      client.closeAfterReply = true;
      client.blocked = false;
      this.server.scheduleFlush(client);
    }
  }

  clientClosed(client: Client): void {
    const w = this.waiters.get(client);
    if (w !== undefined) this.release(client, w);
  }

  stop(): void {
    for (const [client, w] of [...this.waiters]) this.release(client, w);
  }
}
