// What a node's replication history is — `replid`, `replid2`, `second_repl_offset` and the decision
// that set replid2 — and its value when a node starts (REPLID-1). Every later change is a named
// operation of history.ts. The record lives apart from those operations so that the node
// constructor (node.ts) starts one without importing them: they need the journal and the cluster,
// which need the node.

import type { ClausedWhy } from "./decision.js";
import { NO_REPLID, type ReplId } from "./replid.js";

/** The history fields of a node. */
export interface History {
  replid: ReplId;
  replid2: ReplId;
  secondReplOffset: number;
  /** The decision that set replid2 (promotion, +CONTINUE shift, restart), while it is set. */
  replid2From?: ClausedWhy;
}

// REPLID-1: a node starts with a new id, replid2 cleared and second_repl_offset -1 (INFO-5).
export function initialHistory(replid: ReplId): History {
  return { replid, replid2: NO_REPLID, secondReplOffset: -1 };
}
