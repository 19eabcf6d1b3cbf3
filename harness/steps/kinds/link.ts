// Link faults between a replica and its master, carried out by the edge's link proxy: cut, heal,
// blackhole, and a throttled heal.

import fc from "fast-check";
import { linkOf } from "../../../model/index.js";
import type { ActionKind, StepGenerator } from "../kind.js";
import { firstFrom } from "../model-queries.js";

export const linkAction: ActionKind<"link"> = {
  schema: {
    type: "object",
    properties: {
      kind: { type: "string", const: "link" },
      replica: { type: "string" },
      state: { type: "string", enum: ["up", "down", "blackhole"] },
      master: { type: "string", nullable: true },
    },
    required: ["kind", "replica", "state"],
    additionalProperties: false,
  },
  nodeFields: ["replica", "master"],
  needs: [],
  family: () => "link-faults",
  async apply(a, { cluster, step, before }) {
    const master = a.master ?? before.nodes[a.replica].master;
    if (master === null) throw new Error(`link step on ${a.replica}, which has no master`);
    const proxy = await cluster.proxy(a.replica, master);
    await proxy.setState(
      a.state === "down"
        ? "cut"
        : a.state === "blackhole"
          ? "blackhole"
          : step.throttle !== undefined
            ? { throttle: step.throttle }
            : "up",
    );
    return undefined;
  },
};

const MODEL_STATE = { cut: "down", heal: "up", blackhole: "blackhole" } as const;

export const linkFaultGenerator: StepGenerator<"link"> = {
  family: "link-faults",
  weight: 4,
  arbitrary: (node) =>
    fc.record({ t: fc.constant("link" as const), node, fault: fc.constantFrom("cut", "heal", "blackhole") }),
  resolve(raw, { state, names }) {
    let replica = names[raw.node];
    // A heal aims at an edge that is cut or blackholed (the next one from the chosen node), if any.
    if (
      raw.fault === "heal" &&
      (state.nodes[replica].master === null || linkOf(state, state.nodes[replica]) === "up")
    ) {
      replica =
        firstFrom(names, raw.node, (n) => state.nodes[n].master !== null && linkOf(state, state.nodes[n]) !== "up") ??
        replica;
    }
    if (state.nodes[replica].master === null) return [];
    return [{ action: { kind: "link", replica, state: MODEL_STATE[raw.fault] } }];
  },
};

export const throttleGenerator: StepGenerator<"throttle"> = {
  family: "link-faults",
  weight: 1,
  arbitrary: (node) =>
    fc.record({ t: fc.constant("throttle" as const), node, bytesPerSecond: fc.constantFrom(250_000, 1_000_000) }),
  resolve(raw, { state, names }) {
    const replica = names[raw.node];
    if (state.nodes[replica].master === null) return [];
    return [{ action: { kind: "link", replica, state: "up" }, throttle: raw.bytesPerSecond }];
  },
};
