// What a command sees while it runs in the model, and what it leaves behind.

import type { Chooser } from "../choice.js";
import type { ItemWhy } from "../decision.js";
import type { Dataset } from "../keyspace.js";
import type { Profile } from "../profile.js";
import type { ExpectedReply } from "../reply.js";

/** One command as it goes into the replication stream: the final argv and the db it ran in. */
export interface PropagatedOp {
  db: number;
  argv: readonly string[];
  /** Why it has this form (OFFSET-8 rewrite, OFFSET-6 forced, OFFSET-2 verbatim); runCommand fills it in. */
  why?: ItemWhy;
  /** OFFSET-6: a write that changed nothing and propagates nothing; kept only for its `why`. */
  dropped?: true;
}

export interface LazyfreeConfig {
  /** lazyfree-lazy-expire: expiry deletions go out as UNLINK. */
  expire: boolean;
  /** lazyfree-lazy-server-del: server-side deletions (SPOP of a whole set, 7.2+) go out as UNLINK. */
  serverDel: boolean;
  /** lazyfree-lazy-user-del: GETDEL goes out as UNLINK. */
  userDel: boolean;
}

export interface CommandContext {
  profile: Profile;
  lazyfree: LazyfreeConfig;
  dataset: Dataset;
  db: number;
  /** Wall-clock ms of the step, supplied by the caller (the model reads no clock). */
  now: number;
  chooser: Chooser;
  /** true on a replica: expiry in the past is kept (hidden) instead of deleting the key (RO-4). */
  isReplica: boolean;
  /** Ops this execution unit propagates, in order (OFFSET-8 rewrites already applied). */
  ops: PropagatedOp[];
}

export interface CommandSpec {
  /** Lowercase canonical name (as Redis prints it in arity errors). */
  name: string;
  /** Redis arity: n = exactly n args including the name, -n = at least n. */
  arity: number;
  /** CMD_WRITE: refused on read-only replicas (RO-1) and under min-replicas (MINREP-2). */
  write: boolean;
  /** CMD_STALE: allowed on a replica with a broken link and serve-stale-data no (RO-2). */
  stale(profile: Profile): boolean;
  run(ctx: CommandContext, argv: readonly string[]): ExpectedReply;
}

/**
 * The model does not cover this input (it would make offsets or values depend on things it does
 * not model, e.g. long double rounding or expiry in the past on a replica). Generators must avoid
 * it; the error names what to change.
 */
export class ModelUnsupported extends Error {}

export const propagate = (ctx: CommandContext, argv: readonly string[], why?: ItemWhy): void => {
  ctx.ops.push(why === undefined ? { db: ctx.db, argv } : { db: ctx.db, argv, why });
};

/** DEL or UNLINK, per a lazyfree switch (OFFSET-8's rewrites). */
export const delCommand = (lazy: boolean): string => (lazy ? "UNLINK" : "DEL");
