// A node's replication history (REPLID-1 … REPLID-6, RESTART-1, RESTART-2) and its master link
// (LINK-3, LINK-4, PSYNC-7) change only through the named operations of model/history.ts and
// model/master-link.ts: no other model file assigns those fields, and each operation records the
// decision of the rule it applies.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReplicationContext } from "../../model/journal.js";
import { emptyJournal } from "../../model/journal.js";
import {
  adoptHistory,
  continueWithNewId,
  freeHistory,
  newHistory,
  restoreHistory,
  shiftHistory,
} from "../../model/history.js";
import { cacheSelf, discardCachedMaster, leaveMaster, linkLost, linkUp } from "../../model/master-link.js";
import { NO_REPLID } from "../../model/replid.js";
import { firstChoice } from "../../model/choice.js";
import { cluster } from "./helpers.js";

const MODEL = resolve(import.meta.dirname, "../../model");

function modelFiles(dir = MODEL): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modelFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Source without comments and string literals, so only code is scanned. */
function codeOf(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/`(?:\\.|[^`\\])*`/g, "``")
    .replace(/"(?:\\.|[^"\\])*"/g, '""');
}

/** `.field =` (not `==`), `.field +=` and the like, `delete x.field` / `delete x.field[…]`. */
function writes(code: string, fields: readonly string[]): string[] {
  const names = fields.join("|");
  const assign = new RegExp(`\\.(${names})\\b(?:\\[[^\\]]*\\])?\\s*(?:[-+*/|&]|\\?\\?)?=(?!=)`, "g");
  const del = new RegExp(`\\bdelete\\s+[\\w.$]*\\.(${names})\\b`, "g");
  return [...code.matchAll(assign), ...code.matchAll(del)].map((m) => m[0].trim());
}

const OWNERS: { file: string; fields: string[] }[] = [
  { file: "history.ts", fields: ["replid", "replid2", "secondReplOffset", "replid2From"] },
  { file: "master-link.ts", fields: ["linkConnected", "detached", "cachedMaster", "cacheFrom", "ghosts"] },
];

describe("history and link fields are written only by their operations", () => {
  for (const { file, fields } of OWNERS) {
    it(`${fields.join(", ")}: only model/${file}`, () => {
      const outside = modelFiles()
        .filter((f) => relative(MODEL, f) !== file)
        .flatMap((f) => writes(codeOf(readFileSync(f, "utf8")), fields).map((w) => `${relative(MODEL, f)}: ${w}`));
      expect(outside).toEqual([]);
      expect(writes(codeOf(readFileSync(join(MODEL, file), "utf8")), fields).length).toBeGreaterThan(0);
    });
  }

  it("the scanner catches assignments and deletes, not comparisons, comments or strings", () => {
    const f = ["replid2", "ghosts"];
    expect(writes(codeOf("n.replid2 = x; c.ghosts[k] = g; delete c.ghosts[k]; n.replid2 ??= y;"), f)).toHaveLength(4);
    expect(writes(codeOf('if (n.replid2 === x) f(); // n.replid2 = x\nconst s = "n.replid2 = x";'), f)).toEqual([]);
  });
});

describe("each operation applies its rule and records its decision", () => {
  const context = (): ReplicationContext => {
    const state = cluster("redis-7.0", ["m", "r"]);
    state.nodes.r.master = "m";
    return { cluster: state, chooser: firstChoice, journal: emptyJournal() };
  };
  const rules = (rc: ReplicationContext) => rc.journal.decisions.map((d) => `${d.node} ${d.about} ${d.rule}`);

  it("REPLID-2 newHistory: a new id, replid2 cleared", () => {
    const rc = context();
    const m = rc.cluster.nodes.m;
    Object.assign(m, { replid2: "R9", secondReplOffset: 7 });
    const before = m.replid;
    newHistory(rc, m);
    expect([m.replid === before, m.replid2, m.secondReplOffset]).toEqual([false, NO_REPLID, -1]);
    expect(rules(rc)).toEqual(["m replid REPLID-2"]);
  });

  it("REPLID-3 adoptHistory: the master's id and offset, replid2 cleared", () => {
    const rc = context();
    const { m, r } = rc.cluster.nodes;
    m.offset = 42;
    adoptHistory(rc, r, m, 0);
    expect([r.replid, r.offset, r.replid2, r.secondReplOffset]).toEqual([m.replid, 42, NO_REPLID, -1]);
    expect(rules(rc)).toEqual(["r replid REPLID-3", "r offset REPLID-3"]);
  });

  it("REPLID-4 shiftHistory: replid2 = replid up to offset + 1, a new replid", () => {
    const rc = context();
    const r = rc.cluster.nodes.r;
    r.offset = 50;
    const old = r.replid;
    shiftHistory(rc, r);
    expect([r.replid2, r.secondReplOffset, r.replid === old, r.replid2From?.rule]).toEqual([
      old,
      51,
      false,
      "REPLID-4",
    ]);
    expect(rules(rc)).toEqual(["r role REPLID-4", "r replid REPLID-4"]);
  });

  it("REPLID-5 continueWithNewId: the old id becomes replid2, the new one replid", () => {
    const rc = context();
    const r = rc.cluster.nodes.r;
    r.offset = 10;
    const old = r.replid;
    continueWithNewId(rc, r, "R77", 0);
    expect([r.replid, r.replid2, r.secondReplOffset, r.replid2From?.rule]).toEqual(["R77", old, 11, "REPLID-5"]);
    expect(rules(rc)).toEqual(["r replid REPLID-5"]);
  });

  it("REPLID-6 freeHistory: a new id, replid2 cleared", () => {
    const rc = context();
    const m = rc.cluster.nodes.m;
    Object.assign(m, { replid2: "R9", secondReplOffset: 7 });
    freeHistory(rc, m);
    expect([m.replid2, m.secondReplOffset]).toEqual([NO_REPLID, -1]);
    expect(rules(rc)).toEqual(["m replid REPLID-6"]);
  });

  it("RESTART-1 / RESTART-2 restoreHistory: a replica caches its saved history, a 7.0+ master shifts it into replid2", () => {
    const rc = context();
    const { m, r } = rc.cluster.nodes;
    expect(restoreHistory(rc, r, { replid: "R5", offset: 30 })).toBe(false);
    expect([r.replid, r.offset, r.cachedMaster, r.cacheFrom?.rule]).toEqual(["R5", 30, true, "RESTART-1"]);
    expect(restoreHistory(rc, m, { replid: "R5", offset: 30 })).toBe(true);
    expect([m.replid2, m.secondReplOffset, m.offset, m.cachedMaster]).toEqual(["R5", 31, 30, false]);
    expect(rules(rc)).toEqual([
      "r replid RESTART-1",
      "r backlog RESTART-1",
      "r link RESTART-1",
      "r offset RESTART-1",
      "m replid RESTART-2",
      "m backlog RESTART-2",
      "m offset RESTART-2",
    ]);
  });

  it("LINK-3 linkUp, LINK-4 linkLost and leaveMaster, PSYNC-7 cacheSelf and discardCachedMaster", () => {
    const rc = context();
    const { m, r } = rc.cluster.nodes;
    linkUp(rc, r, m, "+CONTINUE", 0);
    expect([r.linkConnected, r.detached, r.cachedMaster]).toEqual([true, false, true]);
    linkLost(rc, r, "r loses its link");
    expect([r.linkConnected, r.cachedMaster]).toEqual([false, true]);
    linkUp(rc, r, m, "+FULLRESYNC", 1);
    rc.cluster.links["r->m"] = "blackhole";
    leaveMaster(rc, r);
    expect([r.linkConnected, Object.keys(rc.cluster.ghosts)]).toEqual([false, ["r->m"]]);
    discardCachedMaster(r);
    expect([r.cachedMaster, r.cacheFrom]).toEqual([false, undefined]);
    cacheSelf(rc, m);
    expect([m.cachedMaster, m.cacheFrom?.rule]).toEqual([true, "PSYNC-7"]);
    expect(rules(rc)).toEqual([
      "r link LINK-3",
      "r link LINK-4",
      "r link LINK-3",
      "m replicas LINK-4",
      "m link PSYNC-7",
    ]);
  });
});
