// Behaviours that a step-by-step comparison cannot show, checked on live nodes directly:
// a WAIT that must not return while partitioned (WAIT-4), and a master that replicas cannot
// reach at all (LINK-6). A check that assumes more of the target than starting and stopping nodes
// (a loopback alias, a log file it can read) asks for the capability (targets/target.ts) and is
// skipped, with the reason, on a target without it.

import { readFileSync } from "node:fs";
import { infoField } from "../observe/index.js";
import { waitFor } from "../util/wait-for.js";
import { LiveCluster } from "../live/cluster.js";
import {
  CAPABILITY_MEANING,
  type Capability,
  type ServerConfig,
  type Target,
  type TargetCapabilities,
} from "../targets/target.js";

export interface SpecialResult {
  ok: boolean;
  /** What was seen, for the failure message. */
  details: string[];
  /** Not checked: the target lacks a capability the check needs (the reason). `ok` is then true. */
  skipped?: string;
}

export interface SpecialCheck {
  /** The test's title, starting with the rule it checks. */
  title: string;
  /** Capabilities the check cannot run without. */
  needs: readonly Capability[];
  /** Runs the check on a fresh target, which it stops. */
  run(target: Target, config: ServerConfig): Promise<SpecialResult>;
}

/** Why a target with `capabilities` cannot run `check` ("needs loopback aliases ..."), or undefined when it can. */
export function missingCapabilities(
  check: Pick<SpecialCheck, "needs">,
  capabilities: TargetCapabilities,
): string | undefined {
  const missing = check.needs.filter((c) => !capabilities[c]);
  return missing.length === 0
    ? undefined
    : `the target does not support ${missing.map((c) => `${CAPABILITY_MEANING[c]} (${c})`).join(", ")}`;
}

/** A result for a check the target cannot run; the target (made for it) is stopped. */
async function skippedOn(target: Target, reason: string): Promise<SpecialResult> {
  await target.stopAll();
  return { ok: true, skipped: reason, details: [`not checked: ${reason}`] };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function replicationField(cluster: LiveCluster, node: string, field: string): Promise<string | undefined> {
  return infoField(String(await cluster.node(node).admin.call("INFO", "replication")), field);
}

async function linkUp(cluster: LiveCluster, node: string): Promise<boolean> {
  return (await replicationField(cluster, node, "master_link_status")) === "up";
}

/**
 * WAIT-4: `WAIT 1 0` while the only replica is cut must not return (we give it `holdMs`), and must
 * return 1 once the link heals and the replica acks.
 */
export async function waitBlocksUnderPartition(
  target: Target,
  config: ServerConfig,
  holdMs = 1500,
): Promise<SpecialResult> {
  const missing = missingCapabilities(WAIT_BLOCKS_UNDER_PARTITION, target.capabilities);
  if (missing !== undefined) return skippedOn(target, missing);
  const cluster = await LiveCluster.start(target, ["n0", "n1"], config);
  const details: string[] = [];
  try {
    const [host, port] = await cluster.replicaofArgs("n1", "n0");
    await cluster.node("n1").admin.call("REPLICAOF", host, port);
    await waitFor(() => linkUp(cluster, "n1"), { deadlineMs: 10_000, what: "n1 link up" });
    const proxy = await cluster.proxy("n1", "n0");
    await proxy.setState("cut");
    await waitFor(async () => (await replicationField(cluster, "n0", "connected_slaves")) === "0", {
      deadlineMs: 10_000,
      what: "n0 sees no replica",
    });
    const n0 = cluster.node("n0");
    const set = await n0.commands.send(["SET", "k", "v"], 5000);
    details.push(`SET during the partition: ${JSON.stringify(set)}`);
    let returned: string | undefined;
    const wait = n0.commands.send(["WAIT", "1", "0"], holdMs + 30_000).then((r) => (returned = JSON.stringify(r)));
    await pause(holdMs);
    const blocked = returned === undefined;
    details.push(
      blocked
        ? `WAIT 1 0 still blocked after ${holdMs} ms of partition`
        : `WAIT 1 0 returned during the partition: ${returned}`,
    );
    await proxy.setState("up");
    await wait;
    details.push(`after the heal WAIT returned ${returned}`);
    return { ok: blocked && returned === JSON.stringify({ kind: "reply", value: { kind: "int", value: 1 } }), details };
  } finally {
    await cluster.close();
  }
}

/**
 * LINK-6: a master bound to 127.0.0.1 cannot be reached on 127.0.0.2. The replica's link stays
 * down through several reconnect attempts, it keeps serving its own data, and its log (when the
 * target's logs are readable here) names the connection error. Needs loopback aliases.
 */
export async function unreachableMaster(
  target: Target,
  config: ServerConfig,
  observeMs = 2500,
): Promise<SpecialResult> {
  const missing = missingCapabilities(UNREACHABLE_MASTER, target.capabilities);
  if (missing !== undefined) return skippedOn(target, missing);
  const cluster = await LiveCluster.start(target, ["n0", "n1"], config);
  const details: string[] = [];
  try {
    const n1 = cluster.node("n1");
    await n1.commands.send(["SET", "mine", "1"], 5000);
    const reply = await n1.admin.call("REPLICAOF", "127.0.0.2", String(cluster.node("n0").handle.port));
    details.push(`REPLICAOF 127.0.0.2 ${cluster.node("n0").handle.port}: ${String(reply)}`);
    const started = Date.now();
    let alwaysDown = true;
    while (Date.now() - started < observeMs) {
      if (await linkUp(cluster, "n1")) alwaysDown = false;
      await pause(100);
    }
    const status = await replicationField(cluster, "n1", "master_link_status");
    const downSince = await replicationField(cluster, "n1", "master_link_down_since_seconds");
    details.push(`master_link_status ${status}, master_link_down_since_seconds ${downSince}`);
    const own = await n1.commands.send(["GET", "mine"], 5000);
    const keepsData = JSON.stringify(own) === JSON.stringify({ kind: "reply", value: { kind: "bulk", value: "1" } });
    details.push(`GET mine on the replica: ${JSON.stringify(own)}`);
    let logOk = true;
    const logPath = n1.handle.logPath;
    if (!target.capabilities.localLogs)
      details.push(`the log is not checked: ${missingCapabilities({ needs: ["localLogs"] }, target.capabilities)}`);
    else if (logPath === undefined) details.push("the log is not checked: this node's log is not readable here");
    else {
      const log = readFileSync(logPath, "utf8");
      logOk = /Connection refused|Error condition on socket|Unable to connect/i.test(log);
      details.push(
        logOk
          ? "the log names the connection error"
          : `the log does not name the connection error:\n${log.slice(-600)}`,
      );
    }
    const connected = Number(await replicationField(cluster, "n0", "connected_slaves"));
    details.push(`n0 connected_slaves ${connected}`);
    return { ok: alwaysDown && status === "down" && keepsData && logOk && connected === 0, details };
  } finally {
    await cluster.close();
  }
}

const WAIT_BLOCKS_UNDER_PARTITION: SpecialCheck = {
  title: "WAIT-4: WAIT 1 0 blocks while the only replica is partitioned and returns 1 after the heal",
  needs: [],
  run: (target, config) => waitBlocksUnderPartition(target, config),
};

const UNREACHABLE_MASTER: SpecialCheck = {
  title:
    "LINK-6: a replica cannot reach a master bound to 127.0.0.1: the link stays down, data is served, the error is logged",
  needs: ["loopbackAliases"],
  run: (target, config) => unreachableMaster(target, config),
};

/** Every special check, in the order the vitest entry registers them. */
export const SPECIAL_CHECKS: readonly SpecialCheck[] = [WAIT_BLOCKS_UNDER_PARTITION, UNREACHABLE_MASTER];
