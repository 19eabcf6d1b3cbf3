// Clause coverage (issue 10 §1): a short builtin campaign counts the clauses its checked steps took,
// and the report lists them with the ones never exercised.

import { describe, expect, it } from "vitest";
import { allClauses } from "../../model/index.js";
import { coverageJson, coverageTable, tallyCoverage, type Coverage } from "../../harness/report/coverage.js";
import { runCampaign } from "../../harness/run/campaign.js";
import { campaignConfig } from "../../harness/run/defaults.js";

describe("clause coverage report", () => {
  it("counts each clause of a step and lists the clauses never exercised", () => {
    const coverage: Coverage = { counts: new Map() };
    tallyCoverage(coverage, [
      { rule: "PSYNC-3", clauseId: "explicit-full-sync" },
      { rule: "FULLSYNC-1", clauseId: "disk-snapshot" },
    ]);
    tallyCoverage(coverage, [{ rule: "PSYNC-3", clauseId: "explicit-full-sync" }]);
    const json = coverageJson(coverage);
    expect(json.clauses).toBe(allClauses().length);
    expect(json.exercised).toBe(2);
    expect(json.rows.find((r) => r.rule === "PSYNC-3" && r.clause === "explicit-full-sync")?.times).toBe(2);
    expect(json.missed).toContainEqual({ rule: "FULLSYNC-1", clause: "diskless-snapshot" });
    expect(json.missed).not.toContainEqual({ rule: "PSYNC-3", clause: "explicit-full-sync" });
    // report.json carries it as plain JSON.
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    const table = coverageTable(coverage);
    expect(table).toMatch(/^clause coverage: 2 of \d+ clauses exercised/);
    expect(table).toMatch(/PSYNC-3\s+explicit-full-sync\s+2/);
    expect(table).toMatch(/never exercised \(\d+\):[\s\S]*FULLSYNC-1\s+diskless-snapshot/);
  });

  it("a short builtin campaign exercises the basic clauses", async () => {
    const result = await runCampaign(
      campaignConfig("builtin", { runs: 6, maxSteps: 12, seed: 20261129, timeLimitMs: 60_000 }),
    );
    expect(result.failures).toBe(0);
    const coverage = result.coverage!;
    expect(coverage.profile?.id).toBe("builtin");
    const times = (rule: string, clause: string): number => coverage.counts.get(rule as never)?.get(clause) ?? 0;
    // Every node starts as a master; REPLICAOF makes it cache itself, so its PSYNC asks for an id its
    // new master does not know, which answers with a disk-based full sync and a new history.
    for (const [rule, clause] of [
      ["LINK-7", "replicaof-host-port"],
      ["PSYNC-7", "master-caches-itself"],
      ["PSYNC-1", "refused-unknown-id"],
      ["FULLSYNC-1", "disk-snapshot"],
      ["BACKLOG-1", "created-for-first-replica"],
      ["REPLID-3", "full-sync-adopts-history"],
      ["LINK-3", "reconnected"],
      ["BACKLOG-2", "ring-fits"],
      ["OFFSET-2", "verbatim-argv"],
    ]) {
      expect(times(rule, clause), `${rule} ${clause}`).toBeGreaterThan(0);
    }
    const json = coverageJson(coverage);
    expect(json.exercised).toBeGreaterThanOrEqual(10);
    // Another version's behaviour is listed apart from the clauses the run missed.
    expect(json.notPossible).toContainEqual({ rule: "BACKLOG-5", clause: "resize-drops-history" });
    expect(json.missed).not.toContainEqual({ rule: "BACKLOG-5", clause: "resize-drops-history" });
    expect(coverageTable(coverage)).toMatch(/not possible on builtin \(\d+\): .*BACKLOG-3 blocks-fit/);
  }, 120_000);
});

describe("clause coverage of a mixed run", () => {
  it("a clause is possible when one of the profiles can take it; FULLSYNC-7 only with two RDB versions", async () => {
    const { getProfile } = await import("../../model/profile.js");
    const builtin = getProfile("builtin");
    const redis70 = getProfile("redis-7.0");
    const redis62 = getProfile("redis-6.2");
    const possible = (c: Coverage) =>
      new Set(
        coverageJson(c)
          .rows.filter((r) => r.applies)
          .map((r) => `${r.rule} ${r.clause}`),
      );
    const mixed = possible({ counts: new Map(), mixed: [builtin, redis70] });
    // A ring backlog (builtin) and a block backlog (7.0) are both possible in one mixed cluster.
    expect(mixed.has("BACKLOG-2 ring-fits")).toBe(true);
    expect(mixed.has("BACKLOG-3 blocks-fit")).toBe(true);
    // Neither profile has 6.2's resize or 7.2's GETACK count.
    expect(mixed.has("BACKLOG-5 resize-drops-history")).toBe(false);
    expect(mixed.has("OFFSET-10 getack-without-backlog")).toBe(false);
    // FULLSYNC-7 needs a master whose RDB version the replica cannot load: two versions.
    expect(mixed.has("FULLSYNC-7 rdb-version-too-new")).toBe(builtin.rdbVersion !== redis70.rdbVersion);
    expect(possible({ counts: new Map(), mixed: [redis70, redis62] }).has("FULLSYNC-7 rdb-version-too-new")).toBe(
      redis70.rdbVersion !== redis62.rdbVersion,
    );
    expect(possible({ counts: new Map(), profile: redis70 }).has("FULLSYNC-7 rdb-version-too-new")).toBe(false);
    // The report names both profiles.
    expect(coverageJson({ counts: new Map(), mixed: [builtin, redis70] }).profile).toBe("builtin+redis-7.0");
    expect(coverageTable({ counts: new Map(), mixed: [builtin, redis70] })).toMatch(/possible on builtin\+redis-7\.0/);
  });
});

describe("clauses no step sequence reaches", () => {
  it("are listed apart, with why, not as misses and not in the possible count", async () => {
    const { getProfile } = await import("../../model/profile.js");
    const c: Coverage = { counts: new Map(), profile: getProfile("redis-7.0") };
    const json = coverageJson(c);
    const key = (x: { rule: string; clause: string }) => `${x.rule} ${x.clause}`;
    expect(json.unreachable?.map(key)).toEqual(["OFFSET-1 no-backlog-not-fed", "PSYNC-2 refused-no-backlog"]);
    expect(json.missed.map(key)).not.toContain("PSYNC-2 refused-no-backlog");
    expect(json.possible).toBe(json.rows.filter((r) => r.applies).length - 2);
    expect(json.rows.find((r) => key(r) === "PSYNC-2 refused-no-backlog")?.unreachable).toMatch(/BACKLOG-7/);
    expect(coverageTable(c)).toMatch(
      /kept in the model for states no step sequence reaches \(2\): OFFSET-1 no-backlog-not-fed, PSYNC-2 refused-no-backlog/,
    );
    // Once taken (a server got there anyway), it is simply exercised.
    const taken: Coverage = { ...c, counts: new Map([["PSYNC-2", new Map([["refused-no-backlog", 1]])]]) };
    expect(coverageJson(taken).unreachable?.map(key)).toEqual(["OFFSET-1 no-backlog-not-fed"]);
  });
});
