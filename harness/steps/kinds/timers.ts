// Timer-driven events the model knows: the replication cron's PING (OFFSET-4), repl-backlog-ttl on a
// master alone (BACKLOG-6, REPLID-6) and repl-timeout on a replica (LINK-4). A target with the
// `clock` capability makes them happen when the step says (NodeHandle.elapse): the built-in server
// runs its own cron code paths at once; redis-server, binary:PATH and image targets have it only
// with `--timers`, and then wait for the server's real timers (targets/real-time-timers.ts).
// Without the capability they are not generated, and a scenario file holding one is refused by a
// live replay with the reason.

import fc from "fast-check";
import { linkOf } from "../../../model/index.js";
import type { LiveCluster } from "../../live/cluster.js";
import type { ElapseContext, TimerEvent } from "../../targets/target.js";
import { type ActionKind, type StepGenerator, UnsupportedLiveAction } from "../kind.js";
import { writer } from "../model-queries.js";

async function elapse(
  cluster: LiveCluster,
  node: string,
  event: TimerEvent,
  kind: string,
  context: ElapseContext = {},
): Promise<undefined> {
  const handle = cluster.node(node).handle;
  if (handle.elapse === undefined || !cluster.target.capabilities.clock)
    throw new UnsupportedLiveAction(
      `${kind} depends on the server's timers, and ${cluster.target.description} cannot make them elapse on demand`,
    );
  await handle.elapse(event, context);
  return undefined;
}

export const pingTickAction: ActionKind<"ping-tick"> = {
  schema: {
    type: "object",
    properties: { kind: { type: "string", const: "ping-tick" }, node: { type: "string" } },
    required: ["kind", "node"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: ["clock"],
  family: () => "timers",
  apply: (a, { cluster }) => elapse(cluster, a.node, "ping", a.kind),
};

export const backlogTtlExpiredAction: ActionKind<"backlog-ttl-expired"> = {
  schema: {
    type: "object",
    properties: { kind: { type: "string", const: "backlog-ttl-expired" }, node: { type: "string" } },
    required: ["kind", "node"],
    additionalProperties: false,
  },
  nodeFields: ["node"],
  needs: ["clock"],
  family: () => "timers",
  apply: (a, { cluster }) => elapse(cluster, a.node, "backlog-ttl", a.kind),
};

export const replTimeoutAction: ActionKind<"repl-timeout"> = {
  schema: {
    type: "object",
    properties: { kind: { type: "string", const: "repl-timeout" }, replica: { type: "string" } },
    required: ["kind", "replica"],
    additionalProperties: false,
  },
  nodeFields: ["replica"],
  needs: ["clock"],
  family: () => "timers",
  apply: (a, { cluster, before }) => {
    // A real-time clock counts the master's resyncs to know the replica timed out exactly once.
    const master = before.nodes[a.replica]?.master;
    const context = master === null || master === undefined ? {} : { master: cluster.node(master).handle };
    return elapse(cluster, a.replica, "repl-timeout", a.kind, context);
  },
};

const EVENTS = ["ping", "backlog-ttl", "repl-timeout"] as const;

export const timerGenerator: StepGenerator<"timer"> = {
  family: "timers",
  weight: 1,
  needs: ["clock"],
  arbitrary: (node) => fc.record({ t: fc.constant("timer" as const), node, event: fc.constantFrom(...EVENTS) }),
  resolve(raw, { state, names }) {
    const name = names[raw.node];
    switch (raw.event) {
      case "ping":
        return [{ action: { kind: "ping-tick", node: writer(state, name) } }];
      case "repl-timeout": {
        // A replica whose link is up: it drops its master, which sees the close, and reconnects.
        const n = state.nodes[name];
        if (n.master === null || !n.linkConnected || linkOf(state, n) !== "up") return [];
        return [{ action: { kind: "repl-timeout", replica: name } }];
      }
      case "backlog-ttl": {
        // Only a master no replica points at, and no replica client it still holds (BACKLOG-6).
        const n = state.nodes[name];
        const alone =
          n.master === null &&
          n.backlog !== null &&
          names.every((r) => state.nodes[r].master !== name) &&
          Object.values(state.ghosts).every((g) => g.master !== name);
        if (!alone) return [];
        return [
          { action: { kind: "config-set", node: name, name: "repl-backlog-ttl", value: "3600" } },
          { action: { kind: "backlog-ttl-expired", node: name } },
        ];
      }
    }
  },
};
