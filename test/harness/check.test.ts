// The checker names the right rule for each kind of divergence (synthetic observations).

import { describe, expect, it } from "vitest";
import { createCluster, predictNode, step, type Action, type ClusterState, type StepOutcome } from "../../model/index.js";
import type { ObservedNode } from "../../harness/check/observed.js";
import { ReplIdBinding } from "../../harness/check/replid-binding.js";
import { verdict, type Observation } from "../../harness/check/verdict.js";

const hexOf = (symbol: string) => (symbol === "none" ? "0".repeat(40) : symbol.replace(/\D/g, "").padStart(40, "a"));
const ADDR: Record<string, string> = { "127.0.0.1:7000": "m", "127.0.0.1:7001": "r1" };

/** What a perfectly conforming server would show for the outcome. */
function perfect(o: StepOutcome): Observation {
  const nodes: Record<string, ObservedNode> = {};
  for (const n of Object.values(o.state.nodes)) {
    const p = predictNode(o.state, n);
    nodes[n.name] = {
      name: n.name,
      role: p.role,
      masterAddress: p.master === undefined ? undefined : Object.keys(ADDR).find((a) => ADDR[a] === p.master),
      masterLinkStatus: p.masterLinkStatus,
      connectedSlaves: p.connectedSlaves.min,
      masterReplOffset: p.masterReplOffset,
      slaveReplOffset: p.slaveReplOffset,
      replid: hexOf(p.replid),
      replid2: hexOf(p.replid2),
      secondReplOffset: p.secondReplOffset,
      backlogActive: p.backlogActive,
      backlogSize: p.backlogSize,
      backlogFirstByte: p.backlogFirstByte.min,
      backlogHistlen: p.backlogHistlen.max,
      syncFull: p.syncFull.min,
      syncPartialOk: p.syncPartialOk.min,
      syncPartialErr: p.syncPartialErr.min,
      dataset: p.dataset,
    };
  }
  return { nodes, reply: o.reply?.kind === "status" ? o.reply : undefined };
}

function scenario(...actions: Action[]): { state: ClusterState; outcomes: StepOutcome[]; action: Action } {
  let state = createCluster([
    { name: "m", profile: "builtin" },
    { name: "r1", profile: "builtin" },
  ]);
  let outcomes: StepOutcome[] = [];
  for (const a of actions) {
    outcomes = step(state, a);
    state = outcomes[0].state;
  }
  return { state, outcomes, action: actions[actions.length - 1] };
}

const ctx = (action: Action) => ({ action, binding: ReplIdBinding.empty(), masterOfAddress: (a: string) => ADDR[a] });

describe("checker", () => {
  const attach: Action = { kind: "replicaof", node: "r1", master: "m" };
  const write: Action = { kind: "command", node: "m", db: 0, argv: ["SET", "k", "v"], now: 0 };

  it("a conforming observation passes every check", () => {
    const { outcomes, action } = scenario(attach, write);
    const v = verdict(outcomes, perfect(outcomes[0]), ctx(action));
    expect(v.failures).toEqual([]);
    expect(v.checks.length).toBeGreaterThan(30);
  });

  it("an offset off by one fails OFFSET-1 on the master and OFFSET-9 on the replica", () => {
    const { outcomes, action } = scenario(attach, write);
    const obs = perfect(outcomes[0]);
    obs.nodes.m.masterReplOffset += 1;
    obs.nodes.r1.masterReplOffset -= 1;
    const v = verdict(outcomes, obs, ctx(action));
    expect(v.failures.map((f) => [f.node, f.field, f.rule])).toEqual([
      ["m", "master_repl_offset", "OFFSET-1"],
      ["r1", "master_repl_offset", "OFFSET-9"],
    ]);
  });

  it("a promoted node that kept its replid fails the promotion rule REPLID-4", () => {
    const { outcomes, action } = scenario(attach, write, { kind: "replicaof-no-one", node: "r1" });
    const obs = perfect(outcomes[0]);
    obs.nodes.r1.replid = obs.nodes.r1.replid2;
    const v = verdict(outcomes, obs, ctx(action));
    expect(v.failures.map((f) => [f.field, f.rule])).toContainEqual(["master_replid", "REPLID-4"]);
  });

  it("a full sync where the model predicted a continue fails the rule that decided (PSYNC-2)", () => {
    const { outcomes, action } = scenario(attach, write, { kind: "link", replica: "r1", state: "down" }, write, { kind: "link", replica: "r1", state: "up" });
    expect(outcomes[0].syncs[0].outcome).toBe("continue");
    const obs = perfect(outcomes[0]);
    obs.nodes.m.syncFull! += 1;
    obs.nodes.m.syncPartialOk! -= 1;
    const v = verdict(outcomes, obs, ctx(action));
    expect(new Set(v.failures.map((f) => f.rule))).toEqual(new Set(["PSYNC-2"]));
  });

  it("a replica missing a key fails CONV-1", () => {
    const { outcomes, action } = scenario(attach, write);
    const obs = perfect(outcomes[0]);
    obs.nodes.r1.dataset = {};
    const v = verdict(outcomes, obs, ctx(action));
    expect(v.failures.map((f) => [f.node, f.rule, f.observed])).toEqual([["r1", "CONV-1", "db0 k missing"]]);
  });

  it("among several outcomes the one that matches is chosen", () => {
    const { outcomes, action } = scenario(attach, { kind: "command", node: "m", db: 0, argv: ["SADD", "s", "a", "b"], now: 0 }, { kind: "command", node: "m", db: 0, argv: ["SPOP", "s"], now: 0 });
    expect(outcomes).toHaveLength(2);
    const obs = { ...perfect(outcomes[1]), reply: { kind: "bulk" as const, value: (outcomes[1].reply as { value: string }).value } };
    const v = verdict(outcomes, obs, ctx(action));
    expect(v.index).toBe(1);
    expect(v.failures).toEqual([]);
  });

  it("replication ids must map one-to-one: a new id that reuses a known real id fails", () => {
    const { outcomes, action } = scenario(attach, write, { kind: "replicaof-no-one", node: "r1" });
    const obs = perfect(outcomes[0]);
    obs.nodes.r1.replid = obs.nodes.m.replid; // promoted node shows its old master's id as its new one
    const v = verdict(outcomes, obs, ctx(action));
    expect(v.failures.some((f) => f.field === "master_replid")).toBe(true);
  });
});
