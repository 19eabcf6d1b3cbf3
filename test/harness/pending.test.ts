// A settle deadline that passes is inconclusive unless the state reached is impossible
// (spec/timing.md): which failed checks may still turn right with time, and a live scenario whose
// replica is simply slow (a throttled link) stops as inconclusive, not as a divergence.

import { describe, expect, it } from "vitest";
import type { Check } from "../../harness/check/compare.js";
import { finalFailures, mayStillSettle } from "../../harness/check/pending.js";
import { runScenario } from "../../harness/run/scenario-run.js";
import type { Step } from "../../harness/steps/step.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { parseTarget } from "../../harness/targets/parse.js";

const failed = (field: string, predicted: string, observed: string): Check => ({
  node: "n1",
  field,
  rule: "CONV-1",
  ok: false,
  predicted,
  observed,
});

describe("pending or final", () => {
  it("a replica behind its master may still catch up; one ahead of it cannot", () => {
    expect(mayStillSettle(failed("master_repl_offset", "500", "120"), true)).toBe(true);
    expect(mayStillSettle(failed("master_repl_offset", "500", "520"), true)).toBe(false);
    expect(mayStillSettle(failed("master_link_status", "up", "down"), true)).toBe(true);
    expect(mayStillSettle(failed("dataset", "db0 k=1", "db0 k missing"), true)).toBe(true);
  });
  it("roles, masters and replies are set synchronously: final", () => {
    for (const field of ["role", "master", "reply", "ROLE role", "ROLE master"])
      expect(mayStillSettle(failed(field, "a", "b"), true)).toBe(false);
  });
  it("a master's counters may still grow, never shrink; its offset and ids are final", () => {
    expect(mayStillSettle(failed("connected_slaves", "2", "1"), false)).toBe(true);
    expect(mayStillSettle(failed("sync_full", "1..2", "0"), false)).toBe(true);
    expect(mayStillSettle(failed("sync_partial_ok", "1", "2"), false)).toBe(false);
    expect(mayStillSettle(failed("master_repl_offset", "500", "480"), false)).toBe(false);
    expect(mayStillSettle(failed("master_replid", "R1", "abc"), false)).toBe(false);
  });
});

describe("a replica's history once it is at rest", () => {
  const check = (node: string, field: string, ok: boolean): Check => ({
    node,
    field,
    rule: "REPLID-4",
    ok,
    predicted: "p",
    observed: ok ? "p" : "o",
  });
  const masters: Record<string, string | null> = { n0: null, n1: "n0", n2: "n1" };
  const masterOf = (n: string) => masters[n] ?? null;
  const atRest = (node: string) => [
    check(node, "master_link_status", true),
    check(node, "master_repl_offset", true),
    check(node, "slave_repl_offset", true),
  ];

  it("a wrong second_repl_offset on a replica at rest below a settled master is final", () => {
    const wrong = check("n1", "second_repl_offset", false);
    expect(finalFailures([check("n0", "master_replid", true), ...atRest("n1"), wrong], masterOf)).toEqual([wrong]);
  });
  it("is still pending while the replica's link is down or its offset behind", () => {
    const wrong = check("n1", "master_replid", false);
    const linkDown = [check("n1", "master_link_status", false), check("n1", "master_repl_offset", true)];
    expect(finalFailures([...linkDown, wrong], masterOf)).toEqual([]);
    const behind = [check("n1", "master_link_status", true), check("n1", "master_repl_offset", false)];
    expect(finalFailures([...behind, wrong], masterOf)).toEqual([]);
  });
  it("is still pending below a master that has not settled (its own sync may yet drop this replica)", () => {
    const wrong = check("n2", "master_replid2", false);
    // n1's own wrong id is final (it is at rest below n0); n2's waits on n1.
    const unsettled = check("n1", "master_replid", false);
    expect(finalFailures([...atRest("n1"), unsettled, ...atRest("n2"), wrong], masterOf)).toEqual([unsettled]);
  });
  it("a wrong backlog window on a replica at rest is final (its backlog was created at the wrong size)", () => {
    const histlen = { ...check("n1", "repl_backlog_histlen", false), predicted: "16384", observed: "20054" };
    expect(finalFailures([...atRest("n1"), histlen], masterOf)).toEqual([histlen]);
    // Behind its master it may still be fed.
    const behind = [check("n1", "master_link_status", true), check("n1", "master_repl_offset", false)];
    expect(finalFailures([...behind, histlen], masterOf)).toEqual([]);
  });
  it("a master that only still owes a sync does not keep its replica's wrong history pending", () => {
    // n1 was promoted and kept n2 attached: n2 never PSYNCs again, so n1's count stays short.
    const owed = { ...check("n1", "sync_partial_ok", false), predicted: "2", observed: "1" };
    const wrong = check("n2", "master_replid", false);
    const checks = [check("n1", "role", true), owed, ...atRest("n2"), wrong];
    expect(finalFailures(checks, (n) => (n === "n2" ? "n1" : null))).toEqual([wrong]);
    // A counter above the prediction is no sync owed: it is final itself and n2 stays pending.
    const extra = { ...owed, observed: "3" };
    expect(
      finalFailures([check("n1", "role", true), extra, ...atRest("n2"), wrong], (n) => (n === "n2" ? "n1" : null)),
    ).toEqual([extra]);
  });
});

describe("a slow replica at the settle deadline", () => {
  it("is inconclusive, not a divergence: a 20 kB write through a 2 kB/s link with a 300 ms deadline", {
    timeout: 120_000,
  }, async () => {
    const steps: Step[] = [
      { action: { kind: "replicaof", node: "n1", master: "n0" } },
      { action: { kind: "link", replica: "n1", state: "up" }, throttle: 2000 },
      { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "big", "x".repeat(20_000)], now: 0 } },
    ];
    const result = await runScenario(
      {
        makeTarget: () => parseTarget("builtin").make({}),
        replicas: 1,
        nodeConfig: deterministicConfig(),
        commandTimeoutMs: 5000,
        settleDeadlineMs: 300,
        checkpointEvery: 0,
      },
      null,
      steps,
    );
    expect(result.status, result.reason).toBe("inconclusive");
    expect(result.reason).toMatch(/not settled after .* still in progress: n1 /);
    expect(result.steps.at(-1)?.unknown).toBe(result.reason);
  });
});
