// Turn a raw scenario choice into concrete steps for the model's current state.

import { rootOf, type Action, type ClusterState } from "../../model/index.js";
import type { RawStep } from "./raw.js";

export interface Step {
  action: Action;
  /** A throttled heal: the model sees an up link; the link proxy limits it to this rate. */
  throttle?: number;
}

/** Would `node REPLICAOF master` close a replication cycle? */
export function wouldCycle(s: ClusterState, node: string, master: string): boolean {
  const seen = new Set<string>();
  let cur: string | null = master;
  while (cur !== null && !seen.has(cur)) {
    if (cur === node) return true;
    seen.add(cur);
    cur = s.nodes[cur].master;
  }
  return cur !== null;
}

/** Where a write goes: the root master of the chosen node's tree (so most writes succeed). */
function writer(s: ClusterState, name: string): string {
  return rootOf(s, s.nodes[name])?.name ?? name;
}

export function resolve(raw: RawStep, s: ClusterState, names: readonly string[], now: number): Step[] {
  const name = names[raw.node];
  const n = s.nodes[name];
  const command = (node: string, db: number, argv: readonly string[]): Step[] => [
    { action: { kind: "command", node, db, argv, now } },
  ];
  switch (raw.t) {
    case "write":
      // One write in six goes to the chosen node itself, which may be a read-only replica (RO-1).
      return command(raw.db === 9 ? name : writer(s, name), raw.db, raw.argv);
    case "read":
      return command(name, raw.db, raw.argv);
    case "multi":
      return [{ action: { kind: "transaction", node: writer(s, name), db: 0, commands: raw.commands, now } }];
    case "big":
      return command(writer(s, name), 0, ["SET", raw.key, "x".repeat(raw.size)]);
    case "wait":
      return [{ action: { kind: "wait", node: writer(s, name), numReplicas: raw.replicas, timeoutMs: raw.timeoutMs } }];
    case "cut":
    case "heal":
    case "blackhole":
      if (n.master === null) return [];
      return [
        {
          action: {
            kind: "link",
            replica: name,
            state: raw.t === "cut" ? "down" : raw.t === "heal" ? "up" : "blackhole",
          },
        },
      ];
    case "throttle":
      if (n.master === null) return [];
      return [{ action: { kind: "link", replica: name, state: "up" }, throttle: raw.bytesPerSecond }];
    case "failover": {
      // Promote a replica and re-point its former siblings (and optionally the old master) to it.
      if (n.master === null) return [];
      const old = n.master;
      const steps: Step[] = [{ action: { kind: "replicaof-no-one", node: name } }];
      for (const sib of names) {
        if (sib !== name && s.nodes[sib].master === old)
          steps.push({ action: { kind: "replicaof", node: sib, master: name } });
      }
      if (raw.demoteOldMaster && s.nodes[old].master === null)
        steps.push({ action: { kind: "replicaof", node: old, master: name } });
      return steps;
    }
    case "replicaof": {
      const master = names[raw.master];
      if (master === name || wouldCycle(s, name, master)) return [];
      return [{ action: { kind: "replicaof", node: name, master } }];
    }
    case "backlog-size":
      return [{ action: { kind: "config-set", node: name, name: "repl-backlog-size", value: raw.size } }];
    case "min-replicas":
      return [
        {
          action: {
            kind: "config-set",
            node: writer(s, name),
            name: "min-replicas-to-write",
            value: String(raw.count),
          },
        },
      ];
    case "restart":
      return [{ action: { kind: "restart", node: name, save: true } }];
  }
}
