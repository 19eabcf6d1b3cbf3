// Client-facing actions: commands, transactions and WAIT, with the replication gates Redis applies
// before a command runs (processCommand) and the propagation after it.

import { goodReplicaRange, replicaClients, type ClusterState } from "./cluster.js";
import type { CommandContext, PropagatedOp } from "./commands/context.js";
import { ModelUnsupported } from "./commands/context.js";
import { EXECABORT, MASTERDOWN, NOREPLICAS, READONLY } from "./commands/errors.js";
import { lookupCommand, precheckCommand, runCommand } from "./commands/table.js";
import type { NodeState } from "./node.js";
import { decide, type ReplicationContext } from "./journal.js";
import { feedMaster } from "./replication.js";
import { err, type ExpectedReply } from "./reply.js";
import { GETACK_BYTES } from "./resp-size.js";
import { emitUnit, GETACK_ITEM, unitBytes } from "./stream.js";

/** The error processCommand gives before running `argv` on `n`, or null (DATA-8, MINREP-2, RO-1, RO-2). */
function gate(rc: ReplicationContext, n: NodeState, argv: readonly string[]): string | null {
  const pre = precheckCommand(n.profile, argv);
  if (pre !== null) return pre;
  const spec = lookupCommand(argv[0])!;
  const cfg = n.config;
  // MINREP-2 (MINREP-3: replicas ignore the setting).
  if (n.master === null && spec.write && cfg.minReplicasToWrite > 0 && cfg.minReplicasMaxLag > 0) {
    // MINREP-1: good replicas are attached and acking within max-lag.
    const good = goodReplicaRange(rc.cluster, n);
    const refused =
      good.hi < cfg.minReplicasToWrite ||
      (good.lo < cfg.minReplicasToWrite &&
        rc.chooser.choose(`${n.name} has enough good replicas`, [true, false]) === false);
    if (refused) return NOREPLICAS;
  }
  // RO-1: writes from normal clients on a read-only replica.
  if (n.master !== null && cfg.replicaReadOnly && spec.write) return READONLY;
  // RO-2: commands without the stale flag on a replica whose link is not connected.
  if (n.master !== null && !n.linkConnected && !cfg.replicaServeStaleData && !spec.stale(n.profile)) return MASTERDOWN;
  return null;
}

function commandContext(rc: ReplicationContext, n: NodeState, db: number, ops: PropagatedOp[]): CommandContext {
  return {
    profile: n.profile,
    lazyfree: n.config.lazyfree,
    dataset: n.dataset,
    db,
    now: rc.cluster.now,
    chooser: rc.chooser,
    isReplica: n.master !== null,
    ops,
  };
}

/** After an execution unit: propagate its ops (masters only, RO-3) and move the client's write offset. */
function finishUnit(
  rc: ReplicationContext,
  n: NodeState,
  ops: readonly PropagatedOp[],
  isTransaction: boolean,
  offsetBefore: number,
): void {
  // RO-3 / OFFSET-11: a writable replica's writes stay local. OFFSET-1: no backlog, no stream.
  if (n.master === null && n.backlog !== null) {
    const unit = emitUnit(n.profile, n.streamDb, ops, isTransaction);
    n.streamDb = unit.streamDb;
    feedMaster(rc, n, unit.items);
  } else if (ops.length > 0) {
    // Name the rule that kept these bytes out of the offset, should a server count them.
    const diff = unitBytes(emitUnit(n.profile, n.streamDb, ops, isTransaction).items);
    const why =
      n.master !== null
        ? {
            rule: "RO-3" as const,
            clauseId: "replica-write-not-propagated" as const,
            clause: `${n.name} is a replica: its own writes are not propagated`,
            alternative: { form: "propagated", diff },
          }
        : {
            rule: "OFFSET-1" as const,
            clauseId: "no-backlog-write-not-counted" as const,
            clause: `${n.name} has no backlog: its writes move no offset`,
            alternative: { form: "counted", diff },
          };
    decide(rc, n.name, "offset", why, false);
  }
  // WAIT-2: 6.2/7.0 set the write offset after every command, 7.2+ only when the offset moved.
  if (n.profile.waitTarget === "every-command" || n.offset !== offsetBefore) n.clientWoff = n.offset;
}

/**
 * WAIT-2: the client switches db with SELECT, itself an executed command: 6.2/7.0 set the write
 * offset after it (a refused command sets nothing, verified on 7.0.15).
 */
function selectDb(n: NodeState, db: number): void {
  if (n.clientDb === db) return;
  n.clientDb = db;
  if (n.profile.waitTarget === "every-command") n.clientWoff = n.offset;
}

export function clientCommand(
  rc: ReplicationContext,
  n: NodeState,
  db: number,
  argv: readonly string[],
): ExpectedReply {
  selectDb(n, db);
  const refused = gate(rc, n, argv);
  if (refused !== null) return err(refused);
  const ops: PropagatedOp[] = [];
  const offsetBefore = n.offset;
  const reply = runCommand(commandContext(rc, n, db, ops), argv);
  finishUnit(rc, n, ops, false, offsetBefore);
  return reply;
}

// DATA-6: MULTI/EXEC. A command refused at queue time aborts the EXEC; runtime errors do not.
export function clientTransaction(
  rc: ReplicationContext,
  n: NodeState,
  db: number,
  commands: readonly (readonly string[])[],
): ExpectedReply {
  selectDb(n, db);
  const queued = commands.map((argv) => (isWait(argv) ? null : gate(rc, n, argv)));
  if (queued.some((e) => e !== null)) return err(EXECABORT);
  const ops: PropagatedOp[] = [];
  const offsetBefore = n.offset;
  const ctx = commandContext(rc, n, db, ops);
  const replies: ExpectedReply[] = commands.map((argv) =>
    isWait(argv) ? waitInMulti(rc, n, argv) : runCommand(ctx, argv),
  );
  finishUnit(rc, n, ops, true, offsetBefore);
  return { kind: "array", value: replies };
}

const isWait = (argv: readonly string[]): boolean => argv[0].toLowerCase() === "wait";

interface AckCounts {
  /** Replicas whose ack surely reached the target. */
  certain: number;
  /** Replicas whose ack may have reached it (their processed offset has). */
  possible: number;
}

// WAIT-1: attached replicas whose acked offset >= the target (the client's write offset, WAIT-2).
function ackCounts(c: ClusterState, n: NodeState, target: number): AckCounts {
  const clients = replicaClients(c, n);
  return {
    certain: clients.filter((r) => r.ack.min >= target).length,
    possible: clients.filter((r) => r.ack.max >= target).length,
  };
}

// WAIT-6: inside MULTI, WAIT answers the current count at once.
function waitInMulti(rc: ReplicationContext, n: NodeState, argv: readonly string[]): ExpectedReply {
  if (n.master !== null) return err(n.profile.errors.waitOnReplica);
  if (argv.length !== 3) return err("ERR wrong number of arguments for 'wait' command");
  const { certain, possible } = ackCounts(rc.cluster, n, n.clientWoff);
  return { kind: "int-range", min: certain, max: possible };
}

/**
 * WAIT-3 / WAIT-4 / WAIT-5 / OFFSET-5. The reply is judged with how long the WAIT took (WAIT-3),
 * never by assuming the replicas acked in time: the model gives the acks the master certainly had
 * and the replicas that could ack, both counted against one target, the write offset the client's
 * earlier commands left (WAIT-2).
 */
export function clientWait(
  rc: ReplicationContext,
  n: NodeState,
  numReplicas: number,
  timeoutMs: number,
): ExpectedReply {
  if (n.master !== null) return err(n.profile.errors.waitOnReplica);
  if (timeoutMs < 0) return err("ERR timeout is negative");
  const target = n.clientWoff;
  const before = ackCounts(rc.cluster, n, target);
  const offsetBefore = n.offset;
  const blocks =
    before.certain >= numReplicas
      ? false
      : before.possible < numReplicas
        ? true
        : rc.chooser.choose(`${n.name} WAIT blocks (acks not yet in)`, [false, true]);
  // OFFSET-5: a WAIT that blocks sends REPLCONF GETACK * (37 bytes) to every replica.
  if (blocks) feedMaster(rc, n, [GETACK_ITEM]);
  else {
    // WAIT-3: enough acks are in, the count comes back at once.
    decide(
      rc,
      n.name,
      "reply",
      {
        rule: "WAIT-3",
        clauseId: "immediate",
        clause: `${before.certain} replicas acked offset ${target}: WAIT ${numReplicas} returns at once`,
      },
      false,
    );
    decide(
      rc,
      n.name,
      "offset",
      {
        rule: "OFFSET-5",
        clauseId: "immediate-wait-no-getack",
        clause: "a WAIT that returns at once sends no GETACK",
        alternative: { form: "GETACK sent", diff: GETACK_BYTES },
      },
      false,
    );
  }
  // WAIT-2: WAIT is itself a command; 6.2/7.0 then set woff to the offset before the GETACK
  // (beforeSleep feeds it after the command ran).
  if (n.profile.waitTarget === "every-command") n.clientWoff = offsetBefore;
  if (blocks && timeoutMs === 0) {
    // WAIT-4: with no timeout it returns only once numreplicas replicas acked.
    if (before.possible < numReplicas) {
      decide(
        rc,
        n.name,
        "reply",
        {
          rule: "WAIT-4",
          clauseId: "blocks-forever",
          clause: `only ${before.possible} replicas can ack offset ${target}: WAIT ${numReplicas} 0 blocks`,
        },
        false,
      );
      return { kind: "blocked", until: `${numReplicas} replicas ack offset ${target}` };
    }
    // It returns once the GETACK's answers are in, unless they come from a blackholed link.
    if (ackCounts(rc.cluster, n, target).certain < numReplicas)
      throw new ModelUnsupported("WAIT 0 whose return depends on acks of blackholed replicas");
    decide(
      rc,
      n.name,
      "reply",
      {
        rule: "WAIT-4",
        clauseId: "blocks-until-acks",
        clause: `WAIT ${numReplicas} 0 returns once the GETACK's answers for offset ${target} are in`,
      },
      false,
    );
  } else if (blocks) {
    decide(
      rc,
      n.name,
      "reply",
      {
        rule: "WAIT-3",
        clauseId: "blocks-until-acks-or-timeout",
        clause: `WAIT ${numReplicas} ${timeoutMs} blocks until ${numReplicas} replicas ack offset ${target} or the timeout`,
      },
      false,
    );
  }
  return { kind: "wait-count", numReplicas, timeoutMs, certain: before.certain, possible: before.possible };
}
