// The checker names the rule of the model decision that set each predicted value (synthetic
// observations: what a perfectly conforming server shows, with one planted difference).

import { describe, expect, it } from "vitest";
import {
  argvBytes,
  createCluster,
  predictNode,
  step,
  type Action,
  type ClusterState,
  type StepOutcome,
} from "../../model/index.js";
import type { Check } from "../../harness/check/compare.js";
import type { ObservedNode } from "../../harness/check/observed.js";
import { ReplIdBinding } from "../../harness/check/replid-binding.js";
import { verdict, type Observation } from "../../harness/check/verdict.js";
import { stepBlock } from "../../harness/report/text.js";

const NAMES = ["m", "r1", "r2"];
const hexOf = (symbol: string) => (symbol === "none" ? "0".repeat(40) : symbol.replace(/\D/g, "").padStart(40, "a"));
const ADDR: Record<string, string> = Object.fromEntries(NAMES.map((n, i) => [`127.0.0.1:${7000 + i}`, n]));
const addressOf = (node: string) => Object.keys(ADDR).find((a) => ADDR[a] === node);

/** What a perfectly conforming server would show for the outcome. */
function perfect(o: StepOutcome): Observation {
  const nodes: Record<string, ObservedNode> = {};
  for (const n of Object.values(o.state.nodes)) {
    const p = predictNode(o.state, n);
    nodes[n.name] = {
      name: n.name,
      role: p.role,
      masterAddress: p.master === undefined ? undefined : addressOf(p.master),
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
  const r = o.reply;
  return {
    nodes,
    reply:
      r !== undefined && (r.kind === "status" || r.kind === "error" || r.kind === "int" || r.kind === "bulk")
        ? r
        : undefined,
  };
}

function scenario(
  nodes: string[],
  ...actions: Action[]
): { state: ClusterState; outcomes: StepOutcome[]; action: Action } {
  let state = createCluster(nodes.map((name) => ({ name, profile: "builtin" as const })));
  let outcomes: StepOutcome[] = [];
  for (const a of actions) {
    outcomes = step(state, a);
    state = outcomes[0].state;
  }
  return { state, outcomes, action: actions[actions.length - 1] };
}
const two = (...actions: Action[]) => scenario(["m", "r1"], ...actions);
const three = (...actions: Action[]) => scenario(NAMES, ...actions);

const ctx = (action: Action) => ({ action, binding: ReplIdBinding.empty(), masterOfAddress: (a: string) => ADDR[a] });
const failuresOf = (outcomes: StepOutcome[], obs: Observation, action: Action): Check[] =>
  verdict(outcomes, obs, ctx(action)).failures;
const rules = (fs: Check[]) => [...new Set(fs.map((f) => f.rule))];
/** Move every offset-derived field of `nodes` by `diff` (as a server with one item of another size shows it). */
function shiftOffsets(obs: Observation, diff: number, nodes: string[]): void {
  for (const n of nodes) {
    const o = obs.nodes[n];
    o.masterReplOffset += diff;
    if (o.slaveReplOffset !== undefined) o.slaveReplOffset += diff;
    o.backlogHistlen = (o.backlogHistlen ?? 0) + diff;
  }
}

const attach = (r = "r1", master = "m"): Action => ({ kind: "replicaof", node: r, master });
const cmd = (node: string, ...argv: string[]): Action => ({
  kind: "command",
  node,
  db: 0,
  argv,
  now: 1_800_000_000_000,
});
const write = cmd("m", "SET", "k", "v");
const link = (replica: string, state: "up" | "down"): Action => ({ kind: "link", replica, state });
const promote = (node: string): Action => ({ kind: "replicaof-no-one", node });

describe("checker", () => {
  it("a conforming observation passes every check", () => {
    const { outcomes, action } = two(attach(), write);
    const v = verdict(outcomes, perfect(outcomes[0]), ctx(action));
    expect(v.failures).toEqual([]);
    expect(v.checks.length).toBeGreaterThan(30);
  });

  it("an offset off by a byte no stream item explains fails OFFSET-1 on the master and OFFSET-9 on the replica", () => {
    const { outcomes, action } = two(attach(), write, write);
    const obs = perfect(outcomes[0]);
    obs.nodes.m.masterReplOffset += 1;
    obs.nodes.r1.masterReplOffset -= 1;
    expect(failuresOf(outcomes, obs, action).map((f) => [f.node, f.field, f.rule])).toEqual([
      ["m", "master_repl_offset", "OFFSET-1"],
      ["r1", "master_repl_offset", "OFFSET-9"],
    ]);
  });

  it("a promoted node that kept its replid fails the promotion rule REPLID-4", () => {
    const { outcomes, action } = two(attach(), write, promote("r1"));
    const obs = perfect(outcomes[0]);
    obs.nodes.r1.replid = obs.nodes.r1.replid2;
    const fs = failuresOf(outcomes, obs, action);
    expect(fs.map((f) => [f.field, f.rule])).toContainEqual(["master_replid", "REPLID-4"]);
    expect(fs.find((f) => f.field === "master_replid")!.clause).toMatch(/^r1 promoted/);
  });

  it("a replica missing a key fails CONV-1", () => {
    const { outcomes, action } = two(attach(), write);
    const obs = perfect(outcomes[0]);
    obs.nodes.r1.dataset = {};
    expect(failuresOf(outcomes, obs, action).map((f) => [f.node, f.rule, f.observed])).toEqual([
      ["r1", "CONV-1", "db0 k missing"],
    ]);
  });

  it("among several outcomes the one that matches is chosen", () => {
    const { outcomes, action } = two(attach(), cmd("m", "SADD", "s", "a", "b"), cmd("m", "SPOP", "s"));
    expect(outcomes).toHaveLength(2);
    const obs = {
      ...perfect(outcomes[1]),
      reply: { kind: "bulk" as const, value: (outcomes[1].reply as { value: string }).value },
    };
    const v = verdict(outcomes, obs, ctx(action));
    expect(v.index).toBe(1);
    expect(v.failures).toEqual([]);
  });

  it("replication ids must map one-to-one: a new id that reuses a known real id fails", () => {
    const { outcomes, action } = two(attach(), write, promote("r1"));
    const obs = perfect(outcomes[0]);
    obs.nodes.r1.replid = obs.nodes.m.replid; // promoted node shows its old master's id as its new one
    expect(failuresOf(outcomes, obs, action).some((f) => f.field === "master_replid")).toBe(true);
  });
});

describe("an offset difference names the rule of the item whose form differs", () => {
  it("OFFSET-3: the first write after a full sync without its SELECT (23 bytes), on the master, the replica and the backlog window", () => {
    const { outcomes, action } = two(attach(), write);
    const obs = perfect(outcomes[0]);
    shiftOffsets(obs, -23, ["m", "r1"]);
    const fs = failuresOf(outcomes, obs, action);
    expect(fs.map((f) => [f.node, f.field, f.rule])).toEqual([
      ["m", "master_repl_offset", "OFFSET-3"],
      ["m", "repl_backlog_histlen", "OFFSET-3"],
      ["r1", "slave_repl_offset", "OFFSET-3"],
      ["r1", "master_repl_offset", "OFFSET-3"],
      ["r1", "repl_backlog_histlen", "OFFSET-3"],
    ]);
    expect(fs[0].clause).toMatch(/SELECT 0: the stream's db was reset/);
  });

  it("OFFSET-3: a SELECT repeated where the stream already selected the db (+23)", () => {
    const { outcomes, action } = two(attach(), write, write);
    const obs = perfect(outcomes[0]);
    shiftOffsets(obs, 23, ["m"]);
    expect(rules(failuresOf(outcomes, obs, action).filter((f) => f.node === "m"))).toEqual(["OFFSET-3"]);
  });

  it("OFFSET-8: EXPIRE propagated as it was sent instead of PEXPIREAT", () => {
    const { outcomes, action } = two(attach(), write, cmd("m", "EXPIRE", "k", "100000"));
    const expire = outcomes[0];
    const sent = expire.state.nodes.m.log.at(-1)!.item;
    expect(sent.kind === "command" && sent.argv[0]).toBe("PEXPIREAT");
    const diff = argvBytes(["EXPIRE", "k", "100000"]) - sent.bytes;
    const obs = perfect(expire);
    shiftOffsets(obs, diff, ["m", "r1"]);
    const fs = failuresOf(outcomes, obs, action).filter((f) => f.field === "master_repl_offset");
    expect(fs.map((f) => [f.node, f.rule])).toEqual([
      ["m", "OFFSET-8"],
      ["r1", "OFFSET-8"],
    ]);
    expect(fs[0].clause).toMatch(/EXPIRE k 100000 is propagated as PEXPIREAT k/);
  });

  it("OFFSET-7 for a missing EXEC (14 bytes), OFFSET-4 for a missing PING (14 bytes)", () => {
    const tx: Action = {
      kind: "transaction",
      node: "m",
      db: 0,
      commands: [
        ["SET", "a", "1"],
        ["SET", "b", "2"],
      ],
      now: 0,
    };
    const a = two(attach(), write, tx);
    const obsA = perfect(a.outcomes[0]);
    shiftOffsets(obsA, -14, ["m"]);
    expect(rules(failuresOf(a.outcomes, obsA, a.action))).toEqual(["OFFSET-7"]);

    const b = two(attach(), write, { kind: "ping-tick", node: "m" });
    const obsB = perfect(b.outcomes[0]);
    shiftOffsets(obsB, -14, ["m"]);
    expect(rules(failuresOf(b.outcomes, obsB, b.action))).toEqual(["OFFSET-4"]);
  });

  it("OFFSET-7: a one-command transaction wrapped in MULTI/EXEC where 7.0+ does not wrap it (+29)", () => {
    const tx: Action = { kind: "transaction", node: "m", db: 0, commands: [["SET", "a", "1"]], now: 0 };
    const { outcomes, action } = two(attach(), write, tx);
    const obs = perfect(outcomes[0]);
    shiftOffsets(obs, 29, ["m"]);
    expect(rules(failuresOf(outcomes, obs, action))).toEqual(["OFFSET-7"]);
  });

  it("OFFSET-5: a blocking WAIT without its GETACK (37 bytes)", () => {
    const { outcomes, action } = two(attach(), write, link("r1", "down"), {
      kind: "wait",
      node: "m",
      numReplicas: 1,
      timeoutMs: 20,
    });
    const withGetack = outcomes.find((o) => o.state.nodes.m.offset !== o.state.nodes.r1.offset)!;
    const obs = perfect(withGetack);
    delete obs.reply;
    shiftOffsets(obs, -37, ["m"]);
    expect(rules(failuresOf([withGetack], obs, action))).toEqual(["OFFSET-5"]);
  });

  it("OFFSET-6: a DEL of a missing key propagated though it changed nothing", () => {
    const del = ["DEL", "nothing"];
    const { outcomes, action } = two(attach(), write, cmd("m", ...del));
    const obs = perfect(outcomes[0]);
    shiftOffsets(obs, argvBytes(del), ["m", "r1"]);
    const fs = failuresOf(outcomes, obs, action).filter((f) => f.field === "master_repl_offset");
    expect(fs.map((f) => [f.node, f.rule])).toEqual([
      ["m", "OFFSET-6"],
      ["r1", "OFFSET-6"],
    ]);
  });
});

describe("sync counters name the rule that decided the PSYNC", () => {
  /** The counters a serving node would show had the step's PSYNC been refused (err counted). */
  const refused = (obs: Observation, node: string) => {
    obs.nodes[node].syncFull! += 1;
    obs.nodes[node].syncPartialOk! -= 1;
    obs.nodes[node].syncPartialErr! += 1;
  };

  it("PSYNC-2: a caught-up replica (off == master_repl_offset + 1) refused after a cut and heal", () => {
    const { outcomes, action } = two(attach(), write, link("r1", "down"), link("r1", "up"));
    expect(outcomes[0].syncs[0]).toMatchObject({ outcome: "continue", verdict: { rule: "PSYNC-2" } });
    const obs = perfect(outcomes[0]);
    refused(obs, "m");
    const fs = failuresOf(outcomes, obs, action);
    expect(rules(fs)).toEqual(["PSYNC-2"]);
    expect(fs[0].clause).toMatch(/off == master_repl_offset \+ 1/);
  });

  it("PSYNC-7: counters of a replica that asked PSYNC ? -1 instead of its cached master (no sync_partial_err)", () => {
    const { outcomes, action } = two(attach(), write, link("r1", "down"), write, link("r1", "up"));
    const obs = perfect(outcomes[0]);
    obs.nodes.m.syncFull! += 1;
    obs.nodes.m.syncPartialOk! -= 1;
    expect(rules(failuresOf(outcomes, obs, action))).toEqual(["PSYNC-7"]);
  });

  it("PSYNC-4: counters that match no outcome of the PSYNC", () => {
    const { outcomes, action } = two(attach(), write, link("r1", "down"), write, link("r1", "up"));
    const obs = perfect(outcomes[0]);
    obs.nodes.m.syncPartialOk! += 1;
    expect(rules(failuresOf(outcomes, obs, action))).toEqual(["PSYNC-4"]);
  });

  it("PSYNC-1: a former sibling at exactly second_repl_offset refused, the promoted node having written since", () => {
    // r2 stays with m while r1 is promoted and writes; then r2 asks r1 for (m's id, second_repl_offset).
    const { outcomes, action } = three(
      attach("r1"),
      attach("r2"),
      write,
      promote("r1"),
      cmd("r1", "SET", "x", "1"),
      attach("r2", "r1"),
    );
    const sync = outcomes[0].syncs.find((e) => e.replica === "r2")!;
    expect(sync.request.offset).toBe(outcomes[0].state.nodes.r1.secondReplOffset);
    expect(sync.verdict).toMatchObject({ decision: "continue", rule: "PSYNC-1", matched: "replid2" });
    expect(sync.verdict.also).toBeUndefined();
    const obs = perfect(outcomes[0]);
    refused(obs, "r1");
    const fs = failuresOf(outcomes, obs, action);
    expect(rules(fs)).toEqual(["PSYNC-1"]);
    expect(fs[0].clause).toMatch(/off == second_repl_offset/);
  });

  it("PSYNC-1, also PSYNC-2: right after a promotion both clauses end at the same byte", () => {
    const { outcomes, action } = three(attach("r1"), attach("r2"), write, promote("r1"), attach("r2", "r1"));
    const obs = perfect(outcomes[0]);
    refused(obs, "r1");
    // What the full sync left on r2: no replid2 (the REPLID-5 shift of a +CONTINUE never happened).
    obs.nodes.r2.replid2 = "0".repeat(40);
    obs.nodes.r2.secondReplOffset = -1;
    const fs = failuresOf(outcomes, obs, action);
    expect(fs.map((f) => [f.node, f.field, f.rule, f.also])).toEqual([
      ["r1", "sync_full", "PSYNC-1", ["PSYNC-2"]],
      ["r1", "sync_partial_ok", "PSYNC-1", ["PSYNC-2"]],
      ["r1", "sync_partial_err", "PSYNC-1", ["PSYNC-2"]],
      ["r2", "master_replid2", "PSYNC-1", ["PSYNC-2"]],
      ["r2", "second_repl_offset", "PSYNC-1", ["PSYNC-2"]],
    ]);
    expect(fs[3].clause).toMatch(/r1's counters show the other outcome; this followed from it: r2 gets \+CONTINUE/);
  });

  it("REPLID-5 when the PSYNC did continue but the replica kept its old ids", () => {
    const { outcomes, action } = three(attach("r1"), attach("r2"), write, promote("r1"), attach("r2", "r1"));
    const obs = perfect(outcomes[0]);
    obs.nodes.r2.replid2 = "0".repeat(40);
    obs.nodes.r2.secondReplOffset = -1;
    expect(rules(failuresOf(outcomes, obs, action))).toEqual(["REPLID-5"]);
  });

  it("RESTART-2: replicas continue through the replid2 a restarted master took from its RDB", () => {
    const { outcomes, action } = two(attach(), write, { kind: "restart", node: "m", save: true });
    // Nothing was written since: off is at second_repl_offset and at master_repl_offset + 1 at once.
    expect(outcomes[0].syncs[0].verdict).toMatchObject({ rule: "RESTART-2", also: ["PSYNC-1", "PSYNC-2"] });
    const obs = perfect(outcomes[0]);
    refused(obs, "m");
    expect(rules(failuresOf(outcomes, obs, action))).toEqual(["RESTART-2"]);
  });

  it("RESTART-1: a restarted replica continues with the id and offset of its RDB", () => {
    const { outcomes, action } = two(attach(), write, { kind: "restart", node: "r1", save: true });
    expect(outcomes[0].syncs[0].verdict.rule).toBe("RESTART-1");
    const obs = perfect(outcomes[0]);
    obs.nodes.m.syncFull! += 1; // it asked PSYNC ? -1: the restore lost its repl info
    obs.nodes.m.syncPartialOk! -= 1;
    expect(rules(failuresOf(outcomes, obs, action))).toEqual(["RESTART-1"]);
  });
});

describe("other fields name the decision that set them", () => {
  it("FULLSYNC-1: data a full sync of this step got wrong, at the digest right after it", () => {
    const { outcomes, action } = two({ kind: "command", node: "m", db: 9, argv: ["SET", "k9", "v"], now: 0 }, attach());
    const obs = perfect(outcomes[0]);
    obs.nodes.r1.dataset = {};
    const fs = failuresOf(outcomes, obs, action);
    expect(fs.map((f) => [f.node, f.field, f.rule])).toEqual([["r1", "dataset", "FULLSYNC-1"]]);
  });

  it("RESTART-4: the backlog size after a restart is the start-up one", () => {
    const { outcomes, action } = two(
      attach(),
      { kind: "config-set", node: "m", name: "repl-backlog-size", value: "32768" },
      { kind: "restart", node: "m", save: true },
    );
    const obs = perfect(outcomes[0]);
    obs.nodes.m.backlogSize = 32768;
    expect(failuresOf(outcomes, obs, action).map((f) => [f.field, f.rule])).toEqual([
      ["repl_backlog_size", "RESTART-4"],
    ]);
  });

  it("LINK-4: a replica whose link was cut but shows it up", () => {
    const { outcomes, action } = two(attach(), link("r1", "down"));
    const obs = perfect(outcomes[0]);
    obs.nodes.r1.masterLinkStatus = "up";
    expect(failuresOf(outcomes, obs, action).map((f) => [f.field, f.rule])).toEqual([["master_link_status", "LINK-4"]]);
  });

  it("replies: the model's rule for its error, and the error's rule when the server refuses what the model allows", () => {
    const ro = two(attach(), cmd("r1", "SET", "x", "1"));
    const obs = perfect(ro.outcomes[0]);
    obs.reply = { kind: "status", value: "OK" };
    expect(failuresOf(ro.outcomes, obs, ro.action).map((f) => [f.field, f.rule])).toEqual([["reply", "RO-1"]]);

    const okWrite = two(attach(), write);
    const refusedObs = perfect(okWrite.outcomes[0]);
    refusedObs.reply = { kind: "error", value: "NOREPLICAS Not enough good replicas to write." };
    expect(failuresOf(okWrite.outcomes, refusedObs, okWrite.action).map((f) => [f.field, f.rule])).toEqual([
      ["reply", "MINREP-2"],
    ]);
  });
});

describe("the counterexample text", () => {
  it("shows each PSYNC the step decided (request, outcome, rule, clause, reason) and each failure's clause", () => {
    const { outcomes, action } = three(attach("r1"), attach("r2"), write, promote("r1"), attach("r2", "r1"));
    const obs = perfect(outcomes[0]);
    obs.nodes.r1.syncFull! += 1;
    obs.nodes.r1.syncPartialOk! -= 1;
    obs.nodes.r1.syncPartialErr! += 1;
    const v = verdict(outcomes, obs, ctx(action));
    const text = stepBlock({
      index: 7,
      step: { action },
      description: "r2: REPLICAOF r1",
      outcomes: 1,
      chosen: 0,
      path: [],
      checks: v.checks,
      failures: v.failures,
      predicted: {},
      observed: {},
      syncs: v.outcome.syncs,
      notes: v.outcome.notes,
      settleMs: 1,
    });
    const request = `PSYNC ${outcomes[0].syncs[0].request.replid} ${outcomes[0].syncs[0].request.offset}`;
    expect(text).toContain(
      `sync r2 → r1: ${request} → +CONTINUE by PSYNC-1 (also at its boundary: PSYNC-2): id == replid2 and off == second_repl_offset`,
    );
    expect(text).toMatch(/replid2 R\d+ is valid up to second_repl_offset \d+/);
    expect(text).toContain("✗ PSYNC-1 (or PSYNC-2) r1 sync_full: predicted 0, observed 1 — ");
  });
});
