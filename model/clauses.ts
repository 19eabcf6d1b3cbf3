// The closed catalogue of clauses per rule: every decision the model records names one of them
// (`clauseId`), so that a run can count how often each clause was exercised and list the ones it
// never reached. The prose clause (`Why.clause`, with node names and numbers) stays for reports.
// A clause id is unique within its rule; `RuleClause` pairs them, so a clause of another rule, or
// a mistyped one, does not compile. test/model/clauses.test.ts checks that every clause listed
// here is decided somewhere in model/.

import type { Profile } from "./profile.js";
import type { RuleId } from "./rule-ids.js";

export const CLAUSES = {
  "PSYNC-1": {
    "refused-unknown-id": "the id is neither replid nor replid2: full sync",
    "refused-replid2-beyond-second-offset": "id == replid2 but off > second_repl_offset: full sync",
    "continue-replid2-below-second-offset": "id == replid2 and off < second_repl_offset: continue",
    "continue-replid2-at-second-offset":
      "id == replid2 and off == second_repl_offset (the inclusive boundary): continue",
  },
  "PSYNC-2": {
    "continue-inside-window": "first byte < off < master_repl_offset + 1: continue",
    "continue-at-top": "off == master_repl_offset + 1 (caught up, nothing to send): continue",
    "continue-at-first-byte": "off == the backlog's first byte: continue",
    "either-block-boundary": "off between the lowest and highest possible first byte of a block backlog",
    "refused-no-backlog": "no backlog: full sync",
    "refused-above-window": "off > master_repl_offset + 1: full sync",
    "refused-below-window": "off < the backlog's first byte: full sync",
  },
  "PSYNC-3": {
    "explicit-full-sync": "PSYNC ? -1 asks for a full sync",
  },
  "PSYNC-7": {
    "master-caches-itself": "a master turned replica caches itself (own replid, offset + 1)",
  },
  "BACKLOG-1": {
    "created-for-first-replica": "a master creates its backlog, empty, when its first replica attaches",
  },
  "BACKLOG-2": {
    "ring-fits": "a circular backlog is fed and still holds every byte since it was created",
    "ring-wraps": "a circular backlog is fed and overwrites its oldest bytes",
  },
  "BACKLOG-3": {
    "blocks-fit": "a block backlog is fed and has never held more than its size",
    "blocks-trim": "a block backlog is fed beyond its size and drops whole blocks",
  },
  "BACKLOG-4": {
    "config-set": "CONFIG SET repl-backlog-size takes the value as given",
    "config-set-clamped": "CONFIG SET repl-backlog-size clamps the value to 16384",
  },
  "BACKLOG-5": {
    "resize-drops-history": "a resize drops the history (6.2)",
    "resize-keeps-newest": "a resize keeps the newest min(histlen, size) bytes (builtin)",
    "resize-trims-blocks": "a resize keeps the history, trimmed in whole blocks (7.x)",
    "resize-without-history": "a resize of a backlog that holds no byte yet",
  },
  "BACKLOG-6": {
    "ttl-frees-backlog": "a master alone for repl-backlog-ttl frees its backlog",
  },
  "BACKLOG-7": {
    "created-after-continue": "a replica with no backlog creates one after +CONTINUE",
    "replaced-after-full-sync": "a replica replaces its backlog after a full sync",
  },
  "BACKLOG-8": {
    "promotion-keeps-backlog": "REPLICAOF NO ONE keeps the backlog",
  },
  "OFFSET-1": {
    "no-backlog-not-fed": "a master without backlog feeds nothing to the stream",
    "no-backlog-write-not-counted": "a write on a master without backlog moves no offset",
  },
  "OFFSET-2": {
    "verbatim-argv": "a command propagated as the client sent it costs its RESP size",
  },
  "OFFSET-3": {
    "select-after-reset": "SELECT before the first command after the stream db was reset",
    "select-db-change": "SELECT before a command in another db than the stream's",
    "no-select-same-db": "no SELECT: the stream already selected the command's db",
  },
  "OFFSET-4": {
    "cron-ping": "the replication cron's ping reaches the stream",
  },
  "OFFSET-5": {
    "blocking-wait-sends-getack": "a WAIT that blocks sends REPLCONF GETACK *",
    "immediate-wait-no-getack": "a WAIT that returns at once sends nothing",
  },
  "OFFSET-6": {
    "unchanged-not-propagated": "a write that changed nothing is not propagated",
    "empty-flushdb-propagated": "an empty FLUSHDB is propagated (7.0+)",
    "flushall-propagated": "FLUSHALL is always propagated",
  },
  "OFFSET-7": {
    wrapped: "MULTI/EXEC around the unit",
    "exec-closes-unit": "EXEC closes a wrapped unit",
    "not-wrapped": "a one-op transaction is not wrapped (7.0+)",
  },
  "OFFSET-8": {
    rewritten: "a command propagated in another form than the client sent",
  },
  "OFFSET-10": {
    "getack-without-backlog": "a GETACK on a master with no backlog and no replicas adds 1 (7.2+)",
    "getack-without-backlog-not-counted": "a GETACK on a master with no backlog counts nothing (before 7.2)",
  },
  "REPLID-2": {
    "new-history-first-replica": "a master takes a new replid when it creates its backlog",
  },
  "REPLID-3": {
    "full-sync-adopts-history": "a full sync gives the replica its master's replid and offset",
  },
  "REPLID-4": {
    "promotion-shifts-id": "a promotion moves replid to replid2 and takes a new replid",
    "promotion-drops-replicas": "a promoted node drops its replicas",
  },
  "REPLID-5": {
    "continue-with-new-id": "+CONTINUE with another id shifts the replica's ids",
    "continue-drops-sub-replicas": "+CONTINUE with another id drops the replica's sub-replicas",
  },
  "REPLID-6": {
    "ttl-new-id": "a master freeing its backlog after repl-backlog-ttl takes a new replid",
  },
  "RESTART-1": {
    "replica-with-repl-info": "a replica restarts from its RDB's repl info with a cached master",
    "replica-without-repl-info": "a replica restarts without repl info and will ask PSYNC ? -1",
    "psync-from-restored-cache": "a PSYNC whose request came from a restored cached master",
    "restart-drops-replicas": "a restarted replica's own replicas are dropped",
  },
  "RESTART-2": {
    "master-keeps-saved-history": "a master restarts with the saved id as replid2 (7.0+)",
    "master-ignores-saved-history": "a master restarts with a new history, ignoring its repl info (6.2)",
    "master-without-repl-info": "a master restarts without repl info: new history from offset 0",
    "continue-through-restored-replid2": "a continue through the replid2 a restart restored",
    "full-sync-after-master-restart": "a full sync because the master restarted with a new history",
    "restart-drops-replicas": "a restarted master's replicas are dropped",
  },
  "RESTART-4": {
    "restart-loads-rdb": "a restarted node loads its last saved dataset",
    "restart-empty": "a restarted node without RDB starts empty",
  },
  "INFO-2": {
    "restart-zeroes-stats": "a restart zeroes the INFO stats counters",
  },
  "FULLSYNC-1": {
    "disk-snapshot": "a disk-based full sync replaces the replica's dataset with the snapshot",
    "diskless-snapshot": "a diskless full sync replaces the replica's dataset with the snapshot",
  },
  "FULLSYNC-7": {
    "rdb-version-too-new": "the replica cannot load a newer RDB version and retries forever",
  },
  "CONV-3": {
    "promotion-keeps-dataset": "REPLICAOF NO ONE keeps the dataset",
  },
  "CONV-4": {
    "continue-applies-tail": "a partial resync keeps the data and applies the missing bytes",
  },
  "CHAIN-5": {
    "sub-replicas-dropped": "a replica drops its sub-replicas (full sync; REPLICAOF on 6.2)",
  },
  "LINK-3": {
    reconnected: "a PSYNC succeeded: the replica's link is up",
  },
  "LINK-4": {
    "link-lost": "the replica notices its connection closed",
    "blackhole-unnoticed": "a blackholed link stays up for the replica",
    "dropped-behind-blackhole": "a master drops a replica that does not notice behind a blackhole",
    "ghost-client-kept": "a master keeps the client of a replica that left behind a blackhole",
  },
  "LINK-7": {
    "replicaof-host-port": "REPLICAOF host port makes the node a replica of that master",
  },
  "LINK-9": {
    "paused-replica-keeps-link": "a paused replica keeps its link; what its master queued arrives after the pause",
  },
  "RO-3": {
    "replica-write-not-propagated": "a writable replica's own writes are not propagated",
  },
  "WAIT-3": {
    immediate: "enough acks are in: WAIT returns the count at once",
    "blocks-until-acks-or-timeout": "WAIT blocks until enough replicas ack or the timeout",
  },
  "WAIT-4": {
    "blocks-forever": "WAIT n 0 with fewer than n replicas able to ack never returns",
    "blocks-until-acks": "WAIT n 0 returns once the GETACK's answers are in",
  },
} as const satisfies Partial<Record<RuleId, Record<string, string>>>;

/** A rule that has clauses in the catalogue. */
export type ClauseRule = keyof typeof CLAUSES;
/** The clause ids of one rule. */
export type ClauseOf<R extends ClauseRule> = keyof (typeof CLAUSES)[R] & string;
/** A rule with one of its own clauses. */
export type RuleClause = { [R in ClauseRule]: { rule: R; clauseId: ClauseOf<R> } }[ClauseRule];
/** Any clause id of the catalogue. */
export type ClauseId = RuleClause["clauseId"];

/** The rule and clause of `w`, without its other fields. */
export const ruleClauseOf = (w: RuleClause): RuleClause => ({ rule: w.rule, clauseId: w.clauseId }) as RuleClause;

/** Every (rule, clause) of the catalogue, in catalogue order, with its description. */
export const allClauses = (): { rule: ClauseRule; clauseId: string; description: string }[] =>
  Object.entries(CLAUSES).flatMap(([rule, clauses]) =>
    Object.entries(clauses as Record<string, string>).map(([clauseId, description]) => ({
      rule: rule as ClauseRule,
      clauseId,
      description,
    })),
  );

/**
 * The distinct (rule, clause) pairs of `whys` (a step's decisions), in first-seen order; a decision
 * attributed to another rule's clause counts the clause it was taken by (`under`) too.
 */
export function distinctClauses(whys: readonly (RuleClause & { under?: RuleClause })[]): RuleClause[] {
  const seen = new Set<string>();
  const out: RuleClause[] = [];
  for (const w of whys.flatMap((d) => (d.under === undefined ? [d] : [d, d.under]))) {
    const key = `${w.rule} ${w.clauseId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ruleClauseOf(w));
  }
  return out;
}

/**
 * Clauses the model keeps for a server in a state that no sequence of its steps reaches, with why:
 * a coverage report lists them apart instead of as misses. The decisions stay in the model, so a
 * server that gets there anyway is still judged.
 */
const UNREACHABLE: Readonly<Record<string, string>> = {
  "OFFSET-1 no-backlog-not-fed":
    "a master gets its backlog with its first replica (BACKLOG-1) and frees it only with none left (BACKLOG-6, RESTART-2): it never feeds replicas without one",
  "PSYNC-2 refused-no-backlog":
    "an id a master accepts comes with a backlog: a new history starts one, and a replica serves sub-replicas only once connected, after a sync gave it one (BACKLOG-7)",
};

/** Why no step sequence reaches the clause, or undefined when one can. */
export function clauseUnreachable(rule: ClauseRule, clauseId: string): string | undefined {
  return UNREACHABLE[`${rule} ${clauseId}`];
}

/**
 * Whether a campaign whose nodes run `profiles` (a mixed target's several) can take the clause: one
 * of them can, and FULLSYNC-7 when their RDB versions differ.
 */
export function clauseAppliesToCluster(profiles: readonly Profile[], rule: ClauseRule, clauseId: string): boolean {
  // FULLSYNC-7: a master whose RDB version its replica cannot load needs two versions in one cluster.
  if (`${rule} ${clauseId}` === "FULLSYNC-7 rdb-version-too-new")
    return new Set(profiles.map((p) => p.rdbVersion)).size > 1;
  return profiles.some((p) => clauseApplies(p, rule, clauseId));
}

/**
 * Whether a campaign against one server of `profile` can take the clause at all: some clauses are
 * one version's behaviour (BACKLOG-5's resize, block backlogs, OFFSET-10), and FULLSYNC-7 needs
 * nodes of two versions. Coverage reports list those apart from the clauses a run missed.
 */
export function clauseApplies(profile: Profile, rule: ClauseRule, clauseId: string): boolean {
  const key = `${rule} ${clauseId}`;
  if (rule === "BACKLOG-2") return profile.backlogKind === "ring";
  if (rule === "BACKLOG-3" || key === "PSYNC-2 either-block-boundary") return profile.backlogKind === "blocks";
  switch (key) {
    case "BACKLOG-5 resize-drops-history":
      return profile.backlogResize === "drop-history";
    case "BACKLOG-5 resize-keeps-newest":
      return profile.backlogResize === "keep-newest";
    case "BACKLOG-5 resize-trims-blocks":
      return profile.backlogResize === "trim-blocks";
    case "OFFSET-6 empty-flushdb-propagated":
      return profile.emptyFlushdbPropagated;
    case "OFFSET-7 not-wrapped":
      return profile.wrapping === "multiple-ops";
    case "OFFSET-10 getack-without-backlog":
      return profile.noBacklogGetackPlusOne;
    case "OFFSET-10 getack-without-backlog-not-counted":
      return !profile.noBacklogGetackPlusOne;
    case "RESTART-2 master-keeps-saved-history":
    case "RESTART-2 continue-through-restored-replid2":
      return profile.masterRestartKeepsHistory;
    case "RESTART-2 master-ignores-saved-history":
      return !profile.masterRestartKeepsHistory;
    case "FULLSYNC-7 rdb-version-too-new":
      return false;
    default:
      return true;
  }
}
