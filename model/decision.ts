// Decisions: every place where the model decides a node's state records the rule and the clause it
// applied, so that the checker names the rule of the decision that set a predicted value instead
// of guessing it from what differs.

import type { RuleClause } from "./clauses.js";
import type { RuleId } from "./rule-ids.js";

/** The predicted field (group) a decision set. */
export type DecisionAbout =
  | "role"
  | "link"
  | "offset"
  | "replid"
  | "backlog"
  | "config"
  | "replicas"
  | "syncs"
  | "dataset"
  /** The client's reply (WAIT): counted for coverage, never compared as a field. */
  | "reply";

/** A rule and the clause of it that was applied, in words. */
export interface Why {
  rule: RuleId;
  clause: string;
}

/**
 * A Why that also names its clause in the catalogue (model/clauses.ts), so that it can be counted.
 * `under`: the clause the decision was taken by before it was attributed to this one (a PSYNC ? -1
 * decided by PSYNC-3 and named RESTART-1's because a restart caused it): taken too, for coverage.
 */
export type ClausedWhy = Why & RuleClause & { under?: RuleClause };

/**
 * Why a stream item has its form and size. `alternative`: the form a wrong implementation would
 * plausibly give it (no SELECT, not wrapped, not rewritten, propagated though nothing changed) and
 * how much that would move the offset: an offset off by exactly `diff` is that item's rule broken.
 */
export type ItemWhy = ClausedWhy & {
  alternative?: { form: string; diff: number };
};

/** What `decide` is given: the decision without its node and field. */
export type DecisionWhy = ItemWhy & {
  /** The decision assigned the field (a restart, a full sync) rather than adding to it (stream bytes). */
  sets?: boolean;
  /**
   * The PSYNC of the step (index into its syncs) this decision follows from: a replica's ids, link,
   * backlog and data after a +CONTINUE or a full sync are what they are because of that outcome.
   */
  sync?: number;
};

export type Decision = DecisionWhy & DecisionPlace;

/** Which node's field a decision set. */
export interface DecisionPlace {
  node: string;
  about: DecisionAbout;
}

/** The decisions of one step for `node` about `about`, in the order they were made. */
export const decisionsFor = (decisions: readonly Decision[], node: string, about: DecisionAbout): Decision[] =>
  decisions.filter((d) => d.node === node && d.about === about);
