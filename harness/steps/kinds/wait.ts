// WAIT numreplicas timeout on the master a client writes to.

import fc from "fast-check";
import { type ClusterState, linkOf } from "../../../model/index.js";
import { flattenResult } from "../../client.js";
import type { ActionKind, StepGenerator } from "../kind.js";
import { writer } from "../model-queries.js";

export const waitAction: ActionKind<"wait"> = {
  schema: {
    type: "object",
    properties: {
      kind: { type: "string", const: "wait" },
      node: { type: "string" },
      numReplicas: { type: "integer", minimum: 0 },
      timeoutMs: { type: "integer", minimum: 0 },
    },
    required: ["kind", "node", "numReplicas", "timeoutMs"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: [],
  family: () => "wait",
  async apply(a, { cluster, timeoutMs, sending, before }) {
    const n = cluster.node(a.node);
    sending();
    // WAIT n 0 with fewer than n replicas that could ever ack blocks for good (WAIT-4): a reply
    // within a short wait already diverges, and a correct server never replies, however loaded the
    // machine is, so the full command timeout would only be waited out.
    const neverMet = a.timeoutMs === 0 && possibleAckers(before, a.node) < a.numReplicas;
    const wait = neverMet ? Math.min(BLOCKED_WAIT_MS, timeoutMs) : a.timeoutMs + timeoutMs;
    return flattenResult(await n.commands.send(["WAIT", String(a.numReplicas), String(a.timeoutMs)], wait));
  },
};

/** How long a WAIT that can never return is given to reply anyway. */
const BLOCKED_WAIT_MS = 1500;

/** Every replica that points at `node` (attached or not) and every replica client it still holds. */
function possibleAckers(state: ClusterState, node: string): number {
  const replicas = Object.values(state.nodes).filter((r) => r.master === node).length;
  return replicas + Object.values(state.ghosts).filter((g) => g.master === node).length;
}

export const waitGenerator: StepGenerator<"wait"> = {
  family: "wait",
  weight: 2,
  arbitrary: (node) =>
    fc.record({
      t: fc.constant("wait" as const),
      node,
      replicas: fc.nat(3),
      timeoutMs: fc.constantFrom(20, 50),
      aimed: fc.boolean(),
    }),
  resolve(raw, { state, names }) {
    const node = writer(state, names[raw.node]);
    // Aimed: as many replicas as are attached with a live link, a count the topology can meet.
    const attached = names.filter((n) => state.nodes[n].master === node && linkOf(state, state.nodes[n]) === "up");
    const numReplicas = raw.aimed ? attached.length : raw.replicas;
    return [{ action: { kind: "wait", node, numReplicas, timeoutMs: raw.timeoutMs } }];
  },
};
