// The situation generators reach what they are for: a backlog created at a size set since start-up
// and fed beyond it, a +CONTINUE whose bytes cross the ring's end, a write refused because a
// blackholed replica's acks aged past max-lag. Counted in seeded model-only runs of the generator
// (harness/steps/dry-run.ts) and checked on resolved steps; no server, no timing.

import { describe, expect, it } from "vitest";
import { type Action, type ClusterState, createCluster, getProfile, step } from "../../../model/index.js";
import { modelConfig } from "../../../harness/run/model-config.js";
import { countReaching, type DryStep } from "../../../harness/steps/dry-run.js";
import { resolve } from "../../../harness/steps/generators.js";
import { lookAhead } from "../../../harness/steps/simulate.js";
import { deterministicConfig } from "../../../harness/targets/defaults.js";
import { RingBacklog } from "../../../server/replication/master/ring-backlog.js";

const NAMES = ["n0", "n1", "n2"];
const NOW = 1_800_000_000_000;

function replicated(): ClusterState {
  const config = modelConfig(getProfile("builtin"), deterministicConfig());
  const s = createCluster(NAMES.map((name) => ({ name, profile: "builtin", config })));
  return lookAhead(
    s,
    NAMES.slice(1).map((node): Action => ({ kind: "replicaof", node, master: "n0" })),
  );
}

const created = (s: DryStep, node: string) =>
  s.outcome.decisions.some(
    (d) =>
      d.node === node &&
      ((d.rule === "BACKLOG-1" && d.clauseId === "created-for-first-replica") ||
        (d.rule === "BACKLOG-7" &&
          (d.clauseId === "created-after-continue" || d.clauseId === "replaced-after-full-sync"))),
  );

/** A backlog created while repl-backlog-size differs from start-up, then fed beyond that size. */
function newBacklogWrapsAtSetSize(steps: readonly DryStep[]): boolean {
  const since = new Map<string, { offset: number; size: number }>();
  for (const s of steps) {
    for (const [name, n] of Object.entries(s.outcome.state.nodes)) {
      const resized = s.outcome.decisions.some((d) => d.node === name && d.rule === "BACKLOG-5");
      if (n.backlog === null || resized) since.delete(name);
      else if (created(s, name))
        if (n.config.replBacklogSize !== n.startConfig.replBacklogSize)
          since.set(name, { offset: n.backlog.firstLo - 1, size: n.backlog.size });
        else since.delete(name);
      const c = since.get(name);
      if (c !== undefined && n.offset - c.offset > c.size) return true;
    }
  }
  return false;
}

/** A +CONTINUE whose backlog read crosses the end of the builtin server's ring (emulated step by step). */
function continueCrossesRingEnd(steps: readonly DryStep[]): boolean {
  const rings = new Map<string, RingBacklog>();
  for (const s of steps) {
    for (const e of s.outcome.syncs) {
      const ring = rings.get(e.master) as unknown as { buf: Buffer; idx: number; hist: number } | undefined;
      const count = s.before.nodes[e.master].offset - e.request.offset + 1;
      if (e.outcome !== "continue" || ring === undefined || count <= 0 || count > ring.hist) continue;
      const cap = ring.buf.length;
      const start = (ring.idx - count + cap) % cap;
      if (cap - start < count) return true;
    }
    for (const [name, n] of Object.entries(s.outcome.state.nodes)) {
      const before = s.before.nodes[name];
      let ring = rings.get(name);
      if (n.backlog === null) {
        rings.delete(name);
        continue;
      }
      if (ring === undefined || before.backlog === null || created(s, name)) {
        ring = new RingBacklog(n.backlog.size);
        rings.set(name, ring);
        const held = n.offset - n.backlog.firstLo + 1;
        if (held > 0) ring.feed(Buffer.alloc(held));
        continue;
      }
      if (ring.size !== n.backlog.size) ring.resize(n.backlog.size);
      if (n.offset > before.offset) ring.feed(Buffer.alloc(n.offset - before.offset));
    }
  }
  return false;
}

const dry = { replicas: 2, maxSteps: 30, runs: 300, seed: 7 } as const;

/** A node promoted while a sub-replica's link to it is connected. */
const promotedWithSubReplica = (steps: readonly DryStep[]): boolean =>
  steps.some((s) => {
    const a = s.step.action;
    if (a.kind !== "replicaof-no-one" || s.before.nodes[a.node].master === null) return false;
    return Object.values(s.before.nodes).some((r) => r.master === a.node && r.linkConnected);
  });

describe("situations, in a model-only run of the default generator", () => {
  it("resized-resync: a backlog created at a size set since start-up wraps (rare without it)", () => {
    const without = countReaching({ ...dry, drop: ["resized-resync"] }, newBacklogWrapsAtSetSize);
    const withIt = countReaching(dry, newBacklogWrapsAtSetSize);
    expect(withIt).toBeGreaterThan(3 * Math.max(1, without));
  });
  it("wrapped-reconnect: a +CONTINUE reads across the ring's end (never without it)", () => {
    expect(countReaching({ ...dry, drop: ["wrapped-reconnect"] }, continueCrossesRingEnd)).toBe(0);
    expect(countReaching(dry, continueCrossesRingEnd)).toBeGreaterThan(10);
  });
  it("chain-promotion: a promotion with a connected sub-replica, twice as often", () => {
    const without = countReaching({ ...dry, drop: ["chain-promotion"] }, promotedWithSubReplica);
    expect(countReaching(dry, promotedWithSubReplica)).toBeGreaterThan(2 * without);
  });
});

describe("situations, resolved against the model", () => {
  it("chain-promotion hangs a node below a replica and promotes it: the sub-replica continues with the new id", () => {
    const steps = resolve(
      { t: "chain-promotion", node: 1, write: true },
      { state: replicated(), names: NAMES, now: NOW },
    );
    expect(steps.map((s) => s.action)).toMatchObject([
      { kind: "replicaof", node: "n2", master: "n1" },
      { kind: "command", node: "n0" },
      { kind: "replicaof-no-one", node: "n1" },
      { kind: "command", node: "n1" },
    ]);
    const before = lookAhead(
      replicated(),
      steps.slice(0, 2).map((s) => s.action),
    );
    const [promoted] = step(before, steps[2].action);
    expect(promoted.decisions.filter((d) => d.rule === "REPLID-5").map((d) => [d.node, d.clauseId])).toContainEqual([
      "n2",
      "continue-with-new-id",
    ]);
  });
  it("wrapped-reconnect brings the replica's lag to the ring's size less `short`, then it continues", () => {
    for (const short of [1, 100, 3000]) {
      const steps = resolve(
        { t: "wrapped-reconnect", node: 1, fill: 5000, short },
        { state: replicated(), names: NAMES, now: NOW },
      );
      const heal = steps.at(-1)!.action;
      expect(heal).toEqual({ kind: "link", replica: "n1", state: "up" });
      const cut = lookAhead(
        replicated(),
        steps.slice(0, -1).map((s) => s.action),
      );
      expect(cut.nodes.n0.offset - cut.nodes.n1.offset).toBe(16384 - short);
      const [healed] = step(cut, heal);
      expect(healed.syncs.map((e) => e.outcome)).toEqual(["continue"]);
    }
  });
  it("silent-replica: the write after the WAIT is refused, and only that, once the blackholed replica's acks aged", () => {
    const steps = resolve({ t: "silent-replica", node: 1 }, { state: replicated(), names: NAMES, now: NOW });
    expect(steps.map((s) => s.action.kind)).toEqual([
      "config-set",
      "config-set",
      "link",
      "command",
      "config-set",
      "wait",
      "command",
      "config-set",
    ]);
    const wait = steps.findIndex((s) => s.action.kind === "wait");
    // The live run stamps each command when it is sent: the last one at least the WAIT's timeout later.
    const stamped = steps.map((s, i) =>
      s.action.kind === "command" ? { ...s.action, now: NOW + (i > wait ? 4100 : 0) } : s.action,
    );
    const before = lookAhead(replicated(), stamped.slice(0, wait + 1));
    expect(step(before, stamped[wait + 1]).map((o) => o.reply)).toEqual([
      { kind: "error", value: "NOREPLICAS Not enough good replicas to write." },
    ]);
  });
});
