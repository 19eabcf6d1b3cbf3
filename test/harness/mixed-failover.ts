// A fixed scenario for mixed targets: replicas of the first master take writes of several types,
// then a node of the other kind is promoted and the old master and the other replica follow it.

import type { Step } from "../../harness/steps/step.js";

/** Setup, writes, a promotion across kinds, the others re-pointed, a write on the new master. */
export const failover: Step[] = [
  { action: { kind: "replicaof", node: "n1", master: "n0" } },
  { action: { kind: "replicaof", node: "n2", master: "n0" } },
  { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "k1", "a"], now: 0 } },
  { action: { kind: "command", node: "n0", db: 0, argv: ["RPUSH", "l:k1", "a", "12"], now: 0 } },
  // Promote a node of the other kind; the old master and the other replica follow it.
  { action: { kind: "replicaof-no-one", node: "n1" } },
  { action: { kind: "replicaof", node: "n0", master: "n1" } },
  { action: { kind: "replicaof", node: "n2", master: "n1" } },
  { action: { kind: "command", node: "n1", db: 0, argv: ["HSET", "h:k1", "m1", "7"], now: 0 } },
];
