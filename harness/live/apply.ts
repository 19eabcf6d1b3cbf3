// Carry out one scenario step on the live cluster, and report the reply its client got.

import type { ClusterState } from "../../model/index.js";
import { flattenResult } from "../client.js";
import type { ObservedReply } from "../check/reply.js";
import type { Step } from "../scenario/resolve.js";
import type { LiveCluster, LiveNode } from "./cluster.js";

export class UnsupportedLiveAction extends Error {}

async function select(n: LiveNode, db: number, timeoutMs: number): Promise<void> {
  if (n.db === db) return;
  const r = await n.commands.send(["SELECT", String(db)], timeoutMs);
  if (r.kind !== "reply") throw new Error(`SELECT ${db} on ${n.name} failed: ${JSON.stringify(r)}`);
  n.db = db;
}

async function admin(n: LiveNode, argv: readonly string[]): Promise<ObservedReply> {
  try {
    const value = await n.admin.call(argv[0], ...argv.slice(1));
    return typeof value === "string" ? { kind: "status", value } : { kind: "bulk", value: String(value) };
  } catch (e) {
    const message = (e as Error).message;
    if (/timed out/i.test(message)) return { kind: "timeout" };
    return { kind: "error", value: message };
  }
}

export interface Applied {
  /** The reply the step's client got, for steps that send a checked command. */
  reply?: ObservedReply;
  /** From sending the step's checked command to its reply (WAIT-3 judges a WAIT with it). */
  elapsedMs: number;
}

/** Apply a step and time its checked command with a monotonic clock. */
export async function applyTimed(
  cluster: LiveCluster,
  step: Step,
  before: ClusterState,
  timeoutMs: number,
): Promise<Applied> {
  let sentAt = performance.now();
  const reply = await applyStep(cluster, step, before, timeoutMs, () => (sentAt = performance.now()));
  return { reply, elapsedMs: performance.now() - sentAt };
}

/**
 * `before` is the model's state before the step: it tells which edge a link action applies to and
 * whether a restarted node comes back as a replica.
 */
export async function applyStep(
  cluster: LiveCluster,
  step: Step,
  before: ClusterState,
  timeoutMs: number,
  sending: () => void = () => {},
): Promise<ObservedReply | undefined> {
  const a = step.action;
  switch (a.kind) {
    case "command": {
      const n = cluster.node(a.node);
      await select(n, a.db, timeoutMs);
      sending();
      return flattenResult(await n.commands.send(a.argv, timeoutMs));
    }
    case "transaction": {
      const n = cluster.node(a.node);
      await select(n, a.db, timeoutMs);
      // MULTI, the queued commands and EXEC go out pipelined; the EXEC reply is what the model predicts.
      sending();
      const sent = [
        n.commands.send(["MULTI"], timeoutMs),
        ...a.commands.map((c) => n.commands.send(c, timeoutMs)),
        n.commands.send(["EXEC"], timeoutMs),
      ];
      const results = await Promise.all(sent);
      return flattenResult(results[results.length - 1]);
    }
    case "wait": {
      const n = cluster.node(a.node);
      sending();
      return flattenResult(
        await n.commands.send(["WAIT", String(a.numReplicas), String(a.timeoutMs)], a.timeoutMs + timeoutMs),
      );
    }
    case "link": {
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
    }
    case "replicaof": {
      const [host, port] = await cluster.replicaofArgs(a.node, a.master);
      return admin(cluster.node(a.node), ["REPLICAOF", host, port]);
    }
    case "replicaof-no-one":
      return admin(cluster.node(a.node), ["REPLICAOF", "NO", "ONE"]);
    case "config-set":
      return admin(cluster.node(a.node), ["CONFIG", "SET", a.name, a.value]);
    case "save":
      return admin(cluster.node(a.node), ["SAVE"]);
    case "restart": {
      if (a.save) {
        const saved = await admin(cluster.node(a.node), ["SAVE"]);
        if (saved.kind !== "status")
          throw new Error(`SAVE before restarting ${a.node} failed: ${JSON.stringify(saved)}`);
      }
      // RESTART-4: the node comes back with its start-up config, as a replica of the same edge if it was one.
      const master = before.nodes[a.node].master;
      await cluster.restart(a.node, master === null ? {} : { replicaof: await cluster.replicaofArgs(a.node, master) });
      return undefined;
    }
    case "ping-tick":
    case "backlog-ttl-expired":
    case "repl-timeout":
      throw new UnsupportedLiveAction(`${a.kind} depends on the server's timers; live scenarios do not generate it`);
  }
}
