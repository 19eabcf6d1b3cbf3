// The checker catches bugs: the builtin server with a known deviation injected from the test side
// must make a campaign fail, name the right rule, and shrink to a short counterexample.

import { describe, expect, it } from "vitest";
import { runCampaign } from "../../harness/run/campaign.js";
import { createBuiltinTarget } from "../../harness/targets/builtin.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import type { ServerHandle } from "../../server/index.js";

interface Deviation {
  name: string;
  /** The rule the shrunk counterexample must name. */
  rule: string;
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
];

describe("the checker catches injected deviations of the builtin server", () => {
  for (const d of DEVIATIONS) {
    it(`${d.rule}: ${d.name}`, { timeout: 300_000 }, async () => {
      const result = await runCampaign({
        makeTarget: () => createBuiltinTarget({ onStart: (server) => d.inject(server) }),
        replicas: 2,
        nodeConfig: deterministicConfig(),
        commandTimeoutMs: 5000,
        settleDeadlineMs: 2000,
        checkpointEvery: 5,
        runs: 300,
        maxSteps: 30,
        seed: 4242,
      });
      expect(result.error).toBeUndefined();
      expect(result.failures).toBe(1);
      const ce = result.counterexample!;
      expect(ce.status).toBe("diverged");
      const failed = ce.steps.find((s) => s.failures.length > 0)!;
      expect(failed.failures.map((f) => f.rule)).toContain(d.rule);
      // Shrunk: the two initial REPLICAOFs plus a handful of steps.
      expect(ce.steps.length).toBeLessThanOrEqual(8);
      expect(result.path).toBeDefined();
    });
  }
});
