// The PSYNC decision on the serving node (replication.c:masterTryPartialResynchronization).

import { backlogCovers, type Backlog } from "./backlog.js";
import type { ReplId } from "./replid.js";
import type { RuleClause } from "./clauses.js";
import type { RuleId } from "./rule-ids.js";

export interface PsyncRequest {
  /** The replication id asked for, or "?" for an explicit full sync. */
  replid: ReplId | "?";
  /** The first byte wanted (reploff + 1), or -1 with "?". */
  offset: number;
}

export type PsyncDecision = "continue" | "fullresync" | "either";

/**
 * `rule`: the rule whose clause decided (for a continue, the clause nearest its boundary), and
 * `clauseId` that clause in the catalogue (model/clauses.ts).
 */
export type PsyncVerdict = RuleClause & {
  decision: PsyncDecision;
  /** The clause decidePsync took, when the verdict is attributed to another (model/replication.ts attribute). */
  under?: RuleClause;
  /** The clause of that rule that was applied, in the rule's terms. */
  clause: string;
  /** Why, with the numbers, in words a report can show. */
  reason: string;
  /** Which id the request matched: replid, replid2 (PSYNC-1 case 2) or neither. */
  matched: "replid" | "replid2" | "none";
  /**
   * Other rules whose clause sits exactly at its boundary too, so that a server refusing the
   * continue may have broken either (e.g. right after a promotion, off == second_repl_offset ==
   * master_repl_offset + 1: PSYNC-1 and PSYNC-2 end at the same byte).
   */
  also?: RuleId[];
};

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

export const describeRequest = (req: PsyncRequest): string => `PSYNC ${req.replid} ${req.offset}`;

export function decidePsync(server: PsyncServer, req: PsyncRequest): PsyncVerdict {
  // PSYNC-3: "?" is an explicit request for a full sync.
  if (req.replid === "?") {
    return {
      decision: "fullresync",
      rule: "PSYNC-3",
      clauseId: "explicit-full-sync",
      clause: "PSYNC ? -1 asks for a full sync",
      reason: "the replica asked for a full sync (PSYNC ? -1)",
      matched: "none",
    };
  }
  // PSYNC-1: the id must be the current one, or the previous one up to second_repl_offset; this is
  // how a promoted node serves its former siblings and its old master (REPLID-7). The boundary is
  // inclusive: masterTryPartialResynchronization refuses replid2 only when
  // psync_offset > second_replid_offset, and shiftReplicationId sets second_replid_offset to
  // master_repl_offset + 1, the first byte a caught-up former sibling asks for.
  // (Ids compare case-insensitively in Redis; symbolic ids are already canonical.)
  let matched: "replid" | "replid2" = "replid";
  if (req.replid !== server.replid) {
    if (req.replid !== server.replid2) {
      return {
        decision: "fullresync",
        rule: "PSYNC-1",
        clauseId: "refused-unknown-id",
        clause: "id is neither replid nor replid2",
        reason: `replid ${req.replid} is neither replid ${server.replid} nor replid2 ${server.replid2}`,
        matched: "none",
      };
    }
    if (req.offset > server.secondReplOffset) {
      return {
        decision: "fullresync",
        rule: "PSYNC-1",
        clauseId: "refused-replid2-beyond-second-offset",
        clause: "id == replid2 but off > second_repl_offset",
        reason: `offset ${req.offset} is beyond second_repl_offset ${server.secondReplOffset} of replid2 ${server.replid2}`,
        matched: "replid2",
      };
    }
    matched = "replid2";
  }
  // PSYNC-2: the backlog must hold every byte from the requested offset on (ends inclusive).
  const covered = backlogCovers(server.backlog, server.offset, req.offset);
  if (covered === "yes") return continueVerdict(server, req, matched);
  if (covered === "maybe") {
    const b = server.backlog!;
    return {
      decision: "either",
      rule: "PSYNC-2",
      clauseId: "either-block-boundary",
      clause: "off between the lowest and highest possible first byte of a block backlog",
      reason: `offset ${req.offset} lies between the lowest (${b.firstLo}) and highest (${b.firstHi}) possible first byte of a block backlog`,
      matched,
    };
  }
  const [clauseId, clause, reason] =
    server.backlog === null
      ? (["refused-no-backlog", "no backlog", "there is no backlog"] as const)
      : req.offset > server.offset + 1
        ? ([
            "refused-above-window",
            "off > master_repl_offset + 1",
            `offset ${req.offset} is beyond master_repl_offset + 1 = ${server.offset + 1}`,
          ] as const)
        : ([
            "refused-below-window",
            "off < first byte",
            `offset ${req.offset} is before the backlog's first byte ${server.backlog.firstLo}`,
          ] as const);
  return { decision: "fullresync", rule: "PSYNC-2", clauseId, clause, reason, matched };
}

/**
 * A continue needs every clause to hold; the one a server most plausibly gets wrong is one that
 * holds with equality. Its rule is named, and any other clause at its boundary goes in `also`.
 */
function continueVerdict(server: PsyncServer, req: PsyncRequest, matched: "replid" | "replid2"): PsyncVerdict {
  const b = server.backlog!;
  const atSecond = matched === "replid2" && req.offset === server.secondReplOffset;
  const atTop = req.offset === server.offset + 1;
  const atFirst = b.firstLo === b.firstHi && req.offset === b.firstLo;
  const window = `offset ${req.offset} lies in the backlog (first byte ${b.firstLo === b.firstHi ? b.firstLo : `${b.firstLo}..${b.firstHi}`}, master_repl_offset + 1 = ${server.offset + 1})`;
  // PSYNC-2's clause for a continue: at the top of the window, at its first byte, or inside it.
  const backlog = atTop
    ? ({
        rule: "PSYNC-2",
        clauseId: "continue-at-top",
        clause: "off == master_repl_offset + 1 (caught up, 0 bytes to send)",
      } as const)
    : atFirst
      ? ({ rule: "PSYNC-2", clauseId: "continue-at-first-byte", clause: "off == first byte" } as const)
      : ({
          rule: "PSYNC-2",
          clauseId: "continue-inside-window",
          clause: "first byte <= off <= master_repl_offset + 1",
        } as const);
  if (matched === "replid2") {
    const reason = `replid2 ${server.replid2} is valid up to second_repl_offset ${server.secondReplOffset}; ${window}`;
    if (atSecond) {
      return {
        decision: "continue",
        rule: "PSYNC-1",
        clauseId: "continue-replid2-at-second-offset",
        clause: "id == replid2 and off == second_repl_offset (inclusive: refused only when off > second_repl_offset)",
        reason,
        matched,
        ...(atTop || atFirst ? { also: ["PSYNC-2"] } : {}),
      };
    }
    if (atTop || atFirst) return { decision: "continue", ...backlog, reason, matched };
    return {
      decision: "continue",
      rule: "PSYNC-1",
      clauseId: "continue-replid2-below-second-offset",
      clause: "id == replid2 and off < second_repl_offset",
      reason,
      matched,
    };
  }
  return { decision: "continue", ...backlog, reason: window, matched };
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
