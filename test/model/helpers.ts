// Small builders for model tests: clusters, actions and single-outcome steps.

import { expect } from "vitest";
import type { Action } from "../../model/actions.js";
import { createCluster, type ClusterState } from "../../model/cluster.js";
import type { NodeConfig } from "../../model/node.js";
import { predictNode, type NodePrediction } from "../../model/predict.js";
import type { ProfileId } from "../../model/profile.js";
import { step, type StepOutcome } from "../../model/step.js";

export const NOW = 1_800_000_000_000;

export function cluster(profile: ProfileId, names: string[], config: Partial<NodeConfig> = {}): ClusterState {
  return createCluster(names.map((name) => ({ name, profile, config })));
}

/** The single outcome of a deterministic step (fails the test if the model branches). */
export function only(outcomes: StepOutcome[]): StepOutcome {
  expect(outcomes.map((o) => o.path)).toHaveLength(1);
  return outcomes[0];
}

/** Apply deterministic actions in order; returns the final state and the last outcome. */
export function run(state: ClusterState, ...actions: Action[]): { state: ClusterState; last: StepOutcome } {
  let last: StepOutcome | undefined;
  for (const a of actions) {
    last = only(step(state, a));
    state = last.state;
  }
  return { state, last: last! };
}

export const cmd = (node: string, ...argv: string[]): Action => ({ kind: "command", node, db: 0, argv, now: NOW });
export const cmdDb = (node: string, db: number, ...argv: string[]): Action => ({
  kind: "command",
  node,
  db,
  argv,
  now: NOW,
});
export const multi = (node: string, ...commands: string[][]): Action => ({
  kind: "transaction",
  node,
  db: 0,
  commands,
  now: NOW,
});
export const replicaof = (node: string, master: string): Action => ({ kind: "replicaof", node, master });
export const promote = (node: string): Action => ({ kind: "replicaof-no-one", node });
export const cut = (replica: string): Action => ({ kind: "link", replica, state: "down" });
export const heal = (replica: string): Action => ({ kind: "link", replica, state: "up" });
export const blackhole = (replica: string): Action => ({ kind: "link", replica, state: "blackhole" });
export const configSet = (
  node: string,
  name: Extract<Action, { kind: "config-set" }>["name"],
  value: string,
): Action => ({
  kind: "config-set",
  node,
  name,
  value,
});

export const info = (state: ClusterState, name: string): NodePrediction => predictNode(state, state.nodes[name]);
export const offsetOf = (state: ClusterState, name: string): number => state.nodes[name].offset;

/** Bytes the master's offset moved by running one action. */
export function bytesOf(state: ClusterState, master: string, action: Action): number {
  const { state: after } = run(state, action);
  return offsetOf(after, master) - offsetOf(state, master);
}

/** A master `m` with replicas attached (fresh nodes, REPLICAOF at runtime). */
export function replicated(
  profile: ProfileId,
  replicas: string[] = ["r1"],
  config: Partial<NodeConfig> = {},
): ClusterState {
  const state = cluster(profile, ["m", ...replicas], config);
  return run(state, ...replicas.map((r) => replicaof(r, "m"))).state;
}
