// The PSYNC decision on the serving node (replication.c:masterTryPartialResynchronization).

import { backlogCovers, type Backlog } from "./backlog.js";
import type { ReplId } from "./replid.js";

export interface PsyncRequest {
  /** The replication id asked for, or "?" for an explicit full sync. */
  replid: ReplId | "?";
  /** The first byte wanted (reploff + 1), or -1 with "?". */
  offset: number;
}

export type PsyncDecision = "continue" | "fullresync" | "either";

export interface PsyncVerdict {
  decision: PsyncDecision;
  /** Which rule decided, and why, in words a report can show. */
  rule: string;
  reason: string;
}

export interface PsyncServer {
  replid: ReplId;
  replid2: ReplId;
  secondReplOffset: number;
  offset: number;
  backlog: Backlog | null;
}

// PSYNC-7: a replica asks for its cached master's id and the byte after its offset, or `? -1`.
export function psyncRequest(replica: { cachedMaster: boolean; replid: ReplId; offset: number }): PsyncRequest {
  return replica.cachedMaster ? { replid: replica.replid, offset: replica.offset + 1 } : { replid: "?", offset: -1 };
}

export function decidePsync(server: PsyncServer, req: PsyncRequest): PsyncVerdict {
  // PSYNC-3: "?" is an explicit request for a full sync.
  if (req.replid === "?") {
    return { decision: "fullresync", rule: "PSYNC-3", reason: "the replica asked for a full sync (PSYNC ? -1)" };
  }
  // PSYNC-1: the id must be the current one, or the previous one up to second_repl_offset; this is
  // how a promoted node serves its former siblings and its old master (REPLID-7).
  // (Ids compare case-insensitively in Redis; symbolic ids are already canonical.)
  if (req.replid !== server.replid) {
    if (req.replid !== server.replid2) {
      return { decision: "fullresync", rule: "PSYNC-1", reason: `replid ${req.replid} is neither replid ${server.replid} nor replid2 ${server.replid2}` };
    }
    if (req.offset > server.secondReplOffset) {
      return {
        decision: "fullresync",
        rule: "PSYNC-1",
        reason: `offset ${req.offset} is beyond second_repl_offset ${server.secondReplOffset} of replid2 ${server.replid2}`,
      };
    }
  }
  // PSYNC-2: the backlog must hold every byte from the requested offset on (ends inclusive).
  const covered = backlogCovers(server.backlog, server.offset, req.offset);
  if (covered === "yes") {
    return { decision: "continue", rule: "PSYNC-2", reason: `offset ${req.offset} lies in the backlog` };
  }
  if (covered === "maybe") {
    const b = server.backlog!;
    return {
      decision: "either",
      rule: "PSYNC-2",
      reason: `offset ${req.offset} lies between the lowest (${b.firstLo}) and highest (${b.firstHi}) possible first byte of a block backlog`,
    };
  }
  const reason =
    server.backlog === null
      ? "there is no backlog"
      : req.offset > server.offset + 1
        ? `offset ${req.offset} is beyond master_repl_offset + 1 = ${server.offset + 1}`
        : `offset ${req.offset} is before the backlog's first byte ${server.backlog.firstLo}`;
  return { decision: "fullresync", rule: "PSYNC-2", reason };
}

export interface SyncCounterDelta {
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
}

// PSYNC-4: counters of the serving node for one PSYNC outcome.
export function psyncCounters(req: PsyncRequest, outcome: "continue" | "fullresync"): SyncCounterDelta {
  if (outcome === "continue") return { syncFull: 0, syncPartialOk: 1, syncPartialErr: 0 };
  return { syncFull: 1, syncPartialOk: 0, syncPartialErr: req.replid === "?" ? 0 : 1 };
}
