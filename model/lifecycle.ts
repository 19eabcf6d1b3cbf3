// Configuration, persistence, restarts and timer-driven events.

import type { ConfigName } from "./actions.js";
import { clampBacklogSize, createBacklog, resizeBacklog } from "./backlog.js";
import { replicaClients } from "./cluster.js";
import { ModelUnsupported } from "./commands/context.js";
import { Dataset } from "./keyspace.js";
import { zeroStats, type NodeState, type Snapshot } from "./node.js";
import { freeHistory, restoreHistory } from "./history.js";
import { decide, type ReplicationContext } from "./journal.js";
import { disconnectReplicas, leaveMaster, linkLost } from "./master-link.js";
import { feedMaster } from "./replication.js";
import { clientCommand } from "./client.js";
import { err, ok, type ExpectedReply } from "./reply.js";
import { PING_ITEM, pruneLog } from "./stream.js";

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };

/** A redis.conf memory value: "16384", "1mb", "64kb" … */
export function parseMemory(v: string): number | null {
  const m = /^(\d+)([a-z]*)$/i.exec(v.trim());
  if (m === null || UNITS[m[2].toLowerCase()] === undefined) return null;
  return Number(m[1]) * UNITS[m[2].toLowerCase()];
}

function parseYesNo(v: string): boolean | null {
  const s = v.toLowerCase();
  return s === "yes" ? true : s === "no" ? false : null;
}

export function configSet(rc: ReplicationContext, n: NodeState, name: ConfigName, value: string): ExpectedReply {
  const bad = (): ExpectedReply =>
    err(`ERR CONFIG SET failed (possibly related to argument '${name}') - argument couldn't be parsed into an integer`);
  const cfg = { ...n.config };
  switch (name) {
    case "repl-backlog-size": {
      const v = parseMemory(value);
      if (v === null || v < 1) return bad();
      // BACKLOG-4 / BACKLOG-5.
      cfg.replBacklogSize = clampBacklogSize(v);
      const clamped = cfg.replBacklogSize !== v ? ` (${v} clamped to ${cfg.replBacklogSize})` : "";
      decide(
        rc,
        n.name,
        "config",
        {
          rule: "BACKLOG-4",
          clauseId: clamped === "" ? "config-set" : "config-set-clamped",
          clause: `CONFIG SET repl-backlog-size ${cfg.replBacklogSize}${clamped}`,
          sets: true,
        },
        clamped !== "",
      );
      if (n.backlog !== null) {
        const before = n.backlog;
        n.backlog = resizeBacklog(n.profile, n.backlog, cfg.replBacklogSize, n.offset);
        n.log = pruneLog(n.log, n.backlog.firstLo);
        if (n.backlog !== before) {
          const how = {
            "drop-history": "drops its history",
            "keep-newest": "keeps the newest bytes",
            "trim-blocks": "keeps its history, trimmed in blocks",
          }[n.profile.backlogResize];
          const clauseId =
            before.firstLo > n.offset
              ? "resize-without-history"
              : (
                  {
                    "drop-history": "resize-drops-history",
                    "keep-newest": "resize-keeps-newest",
                    "trim-blocks": "resize-trims-blocks",
                  } as const
                )[n.profile.backlogResize];
          decide(rc, n.name, "backlog", {
            rule: "BACKLOG-5",
            clauseId,
            clause: `${n.name} resizes its backlog to ${cfg.replBacklogSize} and ${how}`,
            sets: true,
          });
        }
      }
      break;
    }
    case "repl-backlog-ttl":
    case "min-replicas-to-write":
    case "min-replicas-max-lag": {
      if (!/^\d+$/.test(value)) return bad();
      const v = Number(value);
      if (name === "repl-backlog-ttl") cfg.replBacklogTtl = v;
      else if (name === "min-replicas-to-write") cfg.minReplicasToWrite = v;
      else cfg.minReplicasMaxLag = v;
      break;
    }
    case "replica-read-only":
    case "replica-serve-stale-data":
    case "repl-diskless-sync": {
      const v = parseYesNo(value);
      if (v === null)
        return err(`ERR CONFIG SET failed (possibly related to argument '${name}') - argument must be 'yes' or 'no'`);
      if (name === "replica-read-only") cfg.replicaReadOnly = v;
      else if (name === "replica-serve-stale-data") cfg.replicaServeStaleData = v;
      else cfg.replDisklessSync = v;
      break;
    }
  }
  n.config = cfg;
  return ok;
}

// RESTART-3: the RDB carries repl info when saved by a replica (with a master or cached master) or
// by a master that has a backlog.
function snapshotOf(n: NodeState): Snapshot {
  const hasInfo = n.master !== null ? n.linkConnected || n.cachedMaster : n.backlog !== null;
  return { dataset: n.dataset.clone(), replInfo: hasInfo ? { replid: n.replid, offset: n.offset } : null };
}

export function save(n: NodeState): ExpectedReply {
  n.saved = snapshotOf(n);
  return ok;
}

// RESTART-1 / RESTART-2 / RESTART-4.
export function restart(rc: ReplicationContext, n: NodeState, withSave: boolean): void {
  if (withSave) save(n);
  disconnectReplicas(
    rc,
    n,
    n.master === null
      ? { rule: "RESTART-2", clauseId: "restart-drops-replicas" }
      : { rule: "RESTART-1", clauseId: "restart-drops-replicas" },
  );
  leaveMaster(rc, n);
  const saved = n.saved;
  n.config = n.startConfig;
  n.stats = zeroStats();
  n.dataset = saved?.dataset.clone() ?? Dataset.empty();
  n.syncFailing = false;
  n.ackLo = 0;
  n.clientWoff = 0;
  n.clientDb = 0;
  n.log = [];
  n.streamDb = -1;
  n.staleBacklogInfo = { first: 0, histlen: 0 };
  n.backlog = null;
  const loaded = saved === null ? "starts empty (no RDB)" : `loads its last saved dataset`;
  decide(
    rc,
    n.name,
    ["dataset", "config"],
    {
      rule: "RESTART-4",
      clauseId: saved === null ? "restart-empty" : "restart-loads-rdb",
      clause: `${n.name} restarts: ${loaded}, start-up configuration`,
      sets: true,
    },
    false,
  );
  decide(
    rc,
    n.name,
    "syncs",
    {
      rule: "INFO-2",
      clauseId: "restart-zeroes-stats",
      clause: `${n.name} restarts with its INFO stats counters at 0`,
      sets: true,
    },
    false,
  );
  // RESTART-1 / RESTART-2: ids and offset from the RDB's repl info; a 7.0+ master that keeps them
  // restarts its backlog at the saved offset.
  if (restoreHistory(rc, n, saved?.replInfo ?? null))
    n.backlog = createBacklog(n.profile, n.config.replBacklogSize, n.offset);
}

// OFFSET-4: the cron PING reaches the stream while the master has replicas; replicas never send it.
export function pingTick(rc: ReplicationContext, n: NodeState): void {
  if (n.master !== null || replicaClients(rc.cluster, n).length === 0) return;
  feedMaster(rc, n, [PING_ITEM]);
}

// BACKLOG-6 / REPLID-6.
export function backlogTtlExpired(rc: ReplicationContext, n: NodeState): void {
  if (n.master !== null || n.backlog === null || n.config.replBacklogTtl === 0) return;
  if (replicaClients(rc.cluster, n).length > 0)
    throw new ModelUnsupported("repl-backlog-ttl cannot elapse while replicas are attached");
  n.staleBacklogInfo = { first: n.backlog.firstLo, histlen: n.offset - n.backlog.firstLo + 1 };
  n.backlog = null;
  n.log = [];
  decide(rc, n.name, "backlog", {
    rule: "BACKLOG-6",
    clauseId: "ttl-frees-backlog",
    clause: `${n.name} frees its backlog after repl-backlog-ttl`,
    sets: true,
  });
  freeHistory(rc, n);
}

// LINK-4: a replica that heard nothing for repl-timeout drops its master (which drops it too).
export function replTimeout(rc: ReplicationContext, replica: NodeState): void {
  if (replica.master === null || !replica.linkConnected) return;
  linkLost(rc, replica, `${replica.name} times out its master ${replica.master}`);
}

// LINK-9: a paused node keeps its connections. While it is frozen its master runs the writes (their
// stream waits in the replica's output buffer); after it resumes, settle delivers them as usual.
export function pauseWhile(
  rc: ReplicationContext,
  paused: NodeState,
  writer: NodeState,
  db: number,
  writes: readonly (readonly string[])[],
): void {
  if (paused.name === writer.name) throw new ModelUnsupported("a paused node cannot run the writes of its own pause");
  if (paused.master !== null && paused.linkConnected)
    decide(rc, paused.name, "link", {
      rule: "LINK-9",
      clauseId: "paused-replica-keeps-link",
      clause: `${paused.name} is paused and keeps its link to ${paused.master}`,
    });
  for (const argv of writes) clientCommand(rc, writer, db, argv);
}
