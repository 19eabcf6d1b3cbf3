// A decision the model attributes to another rule's clause (a PSYNC ? -1 from a replica that
// restarted without repl info is RESTART-1's) still counts the clause it was taken by (PSYNC-3
// explicit-full-sync) in the step's clause coverage: otherwise that clause is never "exercised".

import { describe, expect, it } from "vitest";
import { distinctClauses } from "../../model/clauses.js";
import { cluster, cmd, replicaof, run } from "./helpers.js";

describe("clause coverage of attributed decisions", () => {
  it("a restarted replica's PSYNC ? -1 counts RESTART-1's clause and PSYNC-3's", () => {
    const { state } = run(
      cluster("redis-7.0", ["n0", "n1"]),
      { kind: "link", replica: "n1", master: "n0", state: "down" },
      replicaof("n1", "n0"),
      cmd("n0", "SET", "k", "v"),
      { kind: "crash", node: "n1" },
    );
    const { last } = run(state, { kind: "link", replica: "n1", state: "up" });
    const clauses = distinctClauses(last.decisions).map((c) => `${c.rule} ${c.clauseId}`);
    expect(clauses).toContain("RESTART-1 psync-from-restored-cache");
    expect(clauses).toContain("PSYNC-3 explicit-full-sync");
    // The named rule stays RESTART-1's: a failure there leads to the restart, not to PSYNC-3.
    const sync = last.decisions.find((d) => d.about === "syncs")!;
    expect(sync.rule).toBe("RESTART-1");
  });

  it("distinctClauses lists each clause once, the attributed one after the decision's own", () => {
    const d = {
      rule: "RESTART-1",
      clauseId: "psync-from-restored-cache",
      under: { rule: "PSYNC-3", clauseId: "explicit-full-sync" },
    } as const;
    expect(distinctClauses([d, d])).toEqual([
      { rule: "RESTART-1", clauseId: "psync-from-restored-cache" },
      { rule: "PSYNC-3", clauseId: "explicit-full-sync" },
    ]);
  });
});
