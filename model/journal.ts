// The journal of a step: what the checker and the report get besides the new state, and `decide`,
// the one way the model records which rule's clause set a node's field.

import type { Chooser } from "./choice.js";
import type { ClusterState } from "./cluster.js";
import type { Decision, DecisionAbout, DecisionWhy } from "./decision.js";
import type { PsyncRequest, PsyncVerdict } from "./psync.js";

/** One PSYNC attempt resolved during a step: the request, the rule's verdict and what happened. */
export interface SyncEvent {
  replica: string;
  master: string;
  request: PsyncRequest;
  verdict: PsyncVerdict;
  outcome: "continue" | "fullresync";
  /** Why the replica could not load the master's RDB (it keeps retrying). */
  failed?: string;
}

/** What a step leaves for the checker and the report besides the new state. */
export interface StepJournal {
  syncs: SyncEvent[];
  /** Every decision of the step, per node and predicted field, with the rule and clause applied. */
  decisions: Decision[];
  /** Rule-tagged sentences explaining what the model did ("<rule>: <clause>"). */
  notes: string[];
}

export const emptyJournal = (): StepJournal => ({ syncs: [], decisions: [], notes: [] });

/** What every step function works on: the cluster (a copy it may change), the chooser, the journal. */
export interface ReplicationContext {
  cluster: ClusterState;
  chooser: Chooser;
  journal: StepJournal;
}

/**
 * Record that `rule`'s clause (`clauseId` in model/clauses.ts, `clause` in words) decided the fields `about` of `node`, and say so in the step's
 * notes (`note: false` for per-item decisions, which would only repeat the step's command).
 */
export function decide(
  rc: ReplicationContext,
  node: string,
  about: DecisionAbout | readonly DecisionAbout[],
  why: DecisionWhy,
  note = true,
): void {
  for (const a of typeof about === "string" ? [about] : about) rc.journal.decisions.push({ ...why, node, about: a });
  const line = `${why.rule}: ${why.clause}`;
  if (note && !rc.journal.notes.includes(line)) rc.journal.notes.push(line);
}
