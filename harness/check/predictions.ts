// A node's prediction, computed once per model state: a step's outcomes are checked on every settle
// poll, and predictNode (a dataset digest among others) would otherwise run again each time. The
// model never changes a state it has returned (step() clones its input), so the cache is exact.

import { predictNode, type ClusterState, type NodePrediction } from "../../model/index.js";

const cache = new WeakMap<ClusterState, Map<string, NodePrediction>>();

/** predictNode(state, state.nodes[name]), remembered for as long as the state lives. */
export function predictionOf(state: ClusterState, name: string): NodePrediction {
  let byNode = cache.get(state);
  if (byNode === undefined) {
    byNode = new Map();
    cache.set(state, byNode);
  }
  let p = byNode.get(name);
  if (p === undefined) {
    p = predictNode(state, state.nodes[name]);
    byNode.set(name, p);
  }
  return p;
}
