// Looking ahead with the model while resolving a situation: the state after some of its steps, so
// that a later step can be aimed (a backlog size set exactly at a lagging replica's offset). Only
// aims: every step is still checked against the model when it runs.

import { type Action, type ClusterState, step } from "../../model/index.js";

/** The model's state after `actions` (the first outcome where a step has several). */
export function lookAhead(state: ClusterState, actions: readonly Action[]): ClusterState {
  let s = state;
  for (const a of actions) s = step(s, a)[0].state;
  return s;
}
