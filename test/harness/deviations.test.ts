// The checker catches bugs: the builtin server with a known deviation injected from the test side
// must make a campaign fail, name the rule broken (the rule of the decision the server got wrong,
// not the check that noticed), and shrink to a short counterexample.

import { describe, expect, it } from "vitest";
import type { RuleId } from "../../model/index.js";
import { counterexampleText } from "../../harness/report/text.js";
import { runCampaign } from "../../harness/run/campaign.js";
import { createBuiltinTarget } from "../../harness/targets/builtin.js";
import { campaignConfig } from "../../harness/run/defaults.js";
import type { ServerHandle } from "../../server/index.js";

interface Deviation {
  name: string;
  /** The rule the shrunk counterexample must name. */
  rule: RuleId;
  /**
   * The failure must name it first. Otherwise it may come second: a refused continue right after a
   * promotion sits at PSYNC-1's and PSYNC-2's boundary at once, and the checker names both.
   */
  first?: boolean;
  inject(server: ServerHandle): void;
}

const DEVIATIONS: Deviation[] = [
  {
    name: "off-by-one backlog window: a caught-up replica (off == offset + 1) is refused",
    rule: "PSYNC-2",
    inject(s) {
      const stream = s.replication.stream;
      const covers = stream.covers.bind(stream);
      stream.covers = (off: number) => covers(off) && off !== stream.offset + 1;
    },
  },
  {
    name: "no replid shift on promotion: the promoted node keeps its old replid",
    rule: "REPLID-4",
    inject(s) {
      const ids = s.replication.ids;
      ids.shift = (offset: number) => {
        ids.replid2 = ids.replid;
        ids.secondOffset = offset + 1;
      };
    },
  },
  {
    name: "missing SELECT: the first command after a full sync goes out without SELECT 0",
    rule: "OFFSET-3",
    inject(s) {
      const stream = s.replication.stream;
      const appendUnit = stream.appendUnit.bind(stream);
      stream.appendUnit = (ops, wrap) => {
        if (stream.streamDb === -1 && ops[0]?.db === 0) stream.streamDb = 0;
        appendUnit(ops, wrap);
      };
    },
  },
  {
    name: "replid2 boundary off by one: a former sibling asking for exactly second_repl_offset is refused",
    rule: "PSYNC-1",
    first: true,
    inject(s) {
      const ids = s.replication.ids;
      ids.accepts = (id: string, offset: number) => {
        const wanted = id.toLowerCase();
        return (
          wanted === ids.replid.toLowerCase() || (wanted === ids.replid2.toLowerCase() && offset < ids.secondOffset)
        );
      };
    },
  },
  {
    name: "wrong propagated form: EXPIRE goes out as sent instead of PEXPIREAT <absolute ms>",
    rule: "OFFSET-8",
    first: true,
    inject(s) {
      const hooks = s.server.hooks;
      const propagate = hooks.propagate.bind(hooks);
      // The generator's only PEXPIREAT with another time than 4102444800000 is the rewrite of
      // `EXPIRE k 100000`: send the EXPIRE again, with its relative seconds.
      hooks.propagate = (ops, unit) =>
        propagate(
          ops.map((op) => {
            const [name, key, at] = op.argv.map((b) => b.toString("latin1"));
            if (name?.toUpperCase() !== "PEXPIREAT" || at === "4102444800000") return op;
            return {
              ...op,
              argv: [
                Buffer.from("EXPIRE"),
                Buffer.from(key, "latin1"),
                Buffer.from(String(Math.round((Number(at) - s.server.now()) / 1000))),
              ],
            };
          }),
          unit,
        );
    },
  },
  {
    name: "a full sync loses the data of every db but db 0",
    rule: "FULLSYNC-1",
    first: true,
    inject(s) {
      const persistence = s.replication.persistence;
      const adopt = persistence.adoptDatabases.bind(persistence);
      // Only loads after start-up come through here: the RDB a master sent.
      persistence.adoptDatabases = (contents, dropExpired) => {
        for (const db of [...contents.databases.keys()]) if (db !== 0) contents.databases.delete(db);
        adopt(contents, dropExpired);
      };
    },
  },
];

describe("the checker catches injected deviations of the builtin server", () => {
  for (const d of DEVIATIONS) {
    it(`${d.rule}: ${d.name}`, { timeout: 300_000 }, async () => {
      const result = await runCampaign(
        campaignConfig(() => createBuiltinTarget({ onStart: (server) => d.inject(server) }), {
          settleDeadlineMs: 2000,
          runs: 300,
          seed: 4242,
        }),
      );
      expect(result.error).toBeUndefined();
      expect(result.failures).toBe(1);
      const ce = result.counterexample!;
      expect(ce.status).toBe("diverged");
      const failed = ce.steps.find((s) => s.failures.length > 0)!;
      // Every failure of the step names the rule broken: consequences (a replica's ids after a
      // refused continue, the backlog window after a missing SELECT) name it too.
      const named = failed.failures.map((f) => (d.first === true ? [f.rule] : [f.rule, ...(f.also ?? [])]));
      expect(
        named.filter((rules) => !rules.includes(d.rule)),
        counterexampleText(ce),
      ).toEqual([]);
      // Shrunk: the two initial REPLICAOFs plus a handful of steps.
      expect(ce.steps.length).toBeLessThanOrEqual(8);
      expect(result.path).toBeDefined();
    });
  }
});
