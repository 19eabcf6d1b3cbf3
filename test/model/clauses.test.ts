// The clause catalogue (model/clauses.ts) lists only clauses the model decides: every (rule,
// clause id) appears in some model/ source next to its rule, so coverage reports can count it.

import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { allClauses, clauseApplies, CLAUSES } from "../../model/clauses.js";
import { PROFILES } from "../../model/profile.js";
import { RULE_IDS } from "../../model/rule-ids.js";

const MODEL = resolve(import.meta.dirname, "../../model");

function modelFiles(dir = MODEL): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? modelFiles(join(dir, e.name))
      : e.name.endsWith(".ts") && e.name !== "clauses.ts"
        ? [join(dir, e.name)]
        : [],
  );
}

/** Model sources without comments, so a clause named only in a comment does not count. */
const SOURCES = modelFiles().map((f) =>
  readFileSync(f, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, ""),
);

/** The clause id appears as a string literal within a few lines of its rule's id, in one model file. */
function decidedNearRule(rule: string, clauseId: string, window = 600): boolean {
  for (const src of SOURCES) {
    for (let at = src.indexOf(`"${clauseId}"`); at !== -1; at = src.indexOf(`"${clauseId}"`, at + 1)) {
      if (src.slice(Math.max(0, at - window), at + window).includes(`"${rule}"`)) return true;
    }
  }
  return false;
}

describe("clause catalogue", () => {
  it("names only rules that exist, each with at least one clause and a description per clause", () => {
    for (const [rule, clauses] of Object.entries(CLAUSES)) {
      expect(RULE_IDS as readonly string[]).toContain(rule);
      expect(Object.keys(clauses).length).toBeGreaterThan(0);
      for (const d of Object.values(clauses as Record<string, string>)) expect(d.length).toBeGreaterThan(0);
    }
  });

  it("covers the clauses issue 10 names (PSYNC, backlog, full sync, WAIT)", () => {
    const ids = new Set(allClauses().map((c) => `${c.rule} ${c.clauseId}`));
    for (const want of [
      "PSYNC-1 refused-unknown-id",
      "PSYNC-1 refused-replid2-beyond-second-offset",
      "PSYNC-1 continue-replid2-below-second-offset",
      "PSYNC-2 continue-inside-window",
      "PSYNC-2 refused-below-window",
      "PSYNC-2 refused-above-window",
      "PSYNC-3 explicit-full-sync",
      "BACKLOG-2 ring-fits",
      "BACKLOG-2 ring-wraps",
      "BACKLOG-5 resize-keeps-newest",
      "BACKLOG-5 resize-without-history",
      "FULLSYNC-1 disk-snapshot",
      "FULLSYNC-1 diskless-snapshot",
      "WAIT-3 immediate",
      "WAIT-3 blocks-until-acks-or-timeout",
      "WAIT-4 blocks-forever",
    ]) {
      expect(ids, want).toContain(want);
    }
  });

  it("lists only clauses some decision in model/ takes (its id next to its rule's)", () => {
    const unused = allClauses()
      .filter((c) => !decidedNearRule(c.rule, c.clauseId))
      .map((c) => `${c.rule} ${c.clauseId}`);
    expect(unused).toEqual([]);
  });

  it("every clause is possible on some profile, except FULLSYNC-7's, which needs two versions", () => {
    const nowhere = allClauses()
      .filter((c) => !Object.values(PROFILES).some((p) => clauseApplies(p, c.rule, c.clauseId)))
      .map((c) => `${c.rule} ${c.clauseId}`);
    expect(nowhere).toEqual(["FULLSYNC-7 rdb-version-too-new"]);
  });

  it("the scan finds no clause id that is not in the source", () => {
    expect(decidedNearRule("PSYNC-1", "no-such-clause")).toBe(false);
  });
});
