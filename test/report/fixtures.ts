// Step records built by hand for the report tests: a small cluster whose nodes, links, syncs and
// ids change in known ways, so the timeline can be checked field by field.

import type { SyncEvent } from "../../model/index.js";
import type { Check } from "../../harness/check/compare.js";
import type { CampaignResult } from "../../harness/run/campaign.js";
import type { ScenarioResult, StepRecord } from "../../harness/run/scenario-run.js";
import type { Step } from "../../harness/steps/step.js";
import type { NodeSummary } from "../../harness/run/summary.js";

export const node = (over: Partial<NodeSummary> = {}): NodeSummary => ({
  role: "master",
  link: "-",
  offset: "0",
  replid: "R1",
  replid2: "-",
  backlog: "none",
  syncs: "full 0 ok 0 err 0",
  ...over,
});

export const sync = (replica: string, master: string, outcome: SyncEvent["outcome"]): SyncEvent => ({
  replica,
  master,
  request: { replid: "R1", offset: 1 },
  // Only what the report reads; the verdict has more fields the model fills in.
  verdict: {
    decision: outcome,
    rule: outcome === "continue" ? "PSYNC-2" : "PSYNC-1",
    clause: "a clause",
    reason: "a reason",
    matched: "replid",
  } as unknown as SyncEvent["verdict"],
  outcome,
});

export function record(
  index: number,
  step: Step,
  description: string,
  nodes: Record<string, [NodeSummary, NodeSummary?]>,
  extra: Partial<StepRecord> = {},
): StepRecord {
  const predicted = Object.fromEntries(Object.entries(nodes).map(([n, [p]]) => [n, p]));
  const observed = Object.fromEntries(Object.entries(nodes).map(([n, [p, o]]) => [n, o ?? p]));
  const failures = extra.failures ?? [];
  const checks: Check[] = extra.checks ?? [
    { node: "n0", field: "master_repl_offset", rule: "OFFSET-1", ok: true, predicted: "0", observed: "0" },
    ...failures,
  ];
  return {
    index,
    step,
    description,
    outcomes: 1,
    chosen: 0,
    path: [],
    predicted,
    observed,
    syncs: [],
    notes: [],
    settleMs: 3,
    ...extra,
    checks,
    failures,
  };
}

const replica = (master: string, over: Partial<NodeSummary> = {}) =>
  node({ role: `replica of ${master}`, link: "up", ...over });

/**
 * n0 master, n1 and n2 its replicas (full syncs), a write, n2 cut and healed (a partial sync), n1
 * throttled, n1 promoted, n2 moved to n1 where the model predicts a partial sync and n1's counters
 * show a full one: the divergence, at step 8.
 */
export function divergentScenario(): ScenarioResult {
  const w = (offset: string, over: Partial<NodeSummary> = {}) => ({
    offset,
    backlog: `first 1 len ${offset}`,
    ...over,
  });
  const steps: StepRecord[] = [
    record(
      1,
      { action: { kind: "replicaof", node: "n1", master: "n0" } },
      "n1: REPLICAOF n0",
      {
        n0: [node({ backlog: "first 1 len 0", syncs: "full 1 ok 0 err 1", replid: "R2" })],
        n1: [replica("n0", { replid: "R2", backlog: "first 1 len 0" })],
        n2: [node({ replid: "R3" })],
      },
      { syncs: [sync("n1", "n0", "fullresync")] },
    ),
    record(
      2,
      { action: { kind: "replicaof", node: "n2", master: "n0" } },
      "n2: REPLICAOF n0",
      {
        n0: [node({ backlog: "first 1 len 0", syncs: "full 2 ok 0 err 2", replid: "R2" })],
        n1: [replica("n0", { replid: "R2", backlog: "first 1 len 0" })],
        n2: [replica("n0", { replid: "R2", backlog: "first 1 len 0" })],
      },
      { syncs: [sync("n2", "n0", "fullresync")] },
    ),
    record(3, { action: { kind: "link", replica: "n2", state: "down" } }, "link n2->master: cut", {
      n0: [node({ replid: "R2", syncs: "full 2 ok 0 err 2", backlog: "first 1 len 0" })],
      n1: [replica("n0", { replid: "R2", backlog: "first 1 len 0" })],
      n2: [replica("n0", { replid: "R2", link: "down", backlog: "first 1 len 0" })],
    }),
    record(4, { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "<k>", "v"], now: 0 } }, "n0: SET <k> v", {
      n0: [node({ replid: "R2", syncs: "full 2 ok 0 err 2", ...w("40") })],
      n1: [replica("n0", { replid: "R2", ...w("40") })],
      n2: [replica("n0", { replid: "R2", link: "down", backlog: "first 1 len 0" })],
    }),
    record(
      5,
      { action: { kind: "link", replica: "n2", state: "up" } },
      "link n2->master: heal",
      {
        n0: [node({ replid: "R2", syncs: "full 2 ok 1 err 2", ...w("40") })],
        n1: [replica("n0", { replid: "R2", ...w("40") })],
        n2: [replica("n0", { replid: "R2", ...w("40") })],
      },
      { syncs: [sync("n2", "n0", "continue")] },
    ),
    record(
      6,
      { action: { kind: "link", replica: "n1", state: "up" }, throttle: 1000 },
      "link n1->master: heal (throttled to 1000 B/s)",
      {
        n0: [node({ replid: "R2", syncs: "full 2 ok 1 err 2", ...w("40") })],
        n1: [replica("n0", { replid: "R2", ...w("40") })],
        n2: [replica("n0", { replid: "R2", ...w("40") })],
      },
    ),
    record(7, { action: { kind: "replicaof-no-one", node: "n1" } }, "n1: REPLICAOF NO ONE", {
      n0: [node({ replid: "R2", syncs: "full 2 ok 1 err 2", ...w("40") })],
      n1: [node({ replid: "R4", replid2: "R2 until 41", ...w("40") })],
      n2: [replica("n0", { replid: "R2", ...w("40") })],
    }),
    record(
      8,
      { action: { kind: "replicaof", node: "n2", master: "n1" } },
      "n2: REPLICAOF n1",
      {
        n0: [node({ replid: "R2", syncs: "full 2 ok 1 err 2", ...w("40") })],
        n1: [
          node({ replid: "R4", replid2: "R2 until 41", syncs: "full 0 ok 1 err 0", ...w("40") }),
          node({ replid: "R4", replid2: "R2 until 41", syncs: "full 1 ok 0 err 1", ...w("40") }),
        ],
        n2: [
          replica("n1", { replid: "R4", replid2: "R2 until 41", ...w("40") }),
          replica("n1", { replid: "R4", ...w("40") }),
        ],
      },
      {
        syncs: [sync("n2", "n1", "continue")],
        notes: ["REPLID-5: n2 gets +CONTINUE R4"],
        failures: [
          {
            node: "n1",
            field: "sync_full",
            rule: "PSYNC-1",
            also: ["PSYNC-2"],
            clause: "id == replid2 and off == second_repl_offset",
            ok: false,
            predicted: "0",
            observed: "1",
          },
          {
            node: "n2",
            field: "master_replid2",
            rule: "PSYNC-1",
            clause: "n2 gets +CONTINUE R4",
            ok: false,
            predicted: "R2",
            observed: "0000000000000000000000000000000000000000",
          },
        ],
      },
    ),
  ];
  return {
    status: "diverged",
    reason: "PSYNC-1 n1 sync_full",
    steps,
    executed: steps.map((s) => s.step),
    profile: "replcheck built-in server (0.1.0)",
    target: "replcheck built-in server (in process)",
  };
}

export function campaign(counterexample?: ScenarioResult): CampaignResult {
  const rules = new Map<Check["rule"], { checked: number; failed: number }>([
    ["OFFSET-1", { checked: 40, failed: 0 }],
    ["PSYNC-1", { checked: 12, failed: counterexample === undefined ? 0 : 2 }],
  ]);
  return {
    runs: 5,
    steps: 40,
    failures: counterexample === undefined ? 0 : 1,
    inconclusive: 0,
    shrinking: false,
    elapsedMs: 4000,
    seed: 77,
    ...(counterexample === undefined
      ? {}
      : {
          path: "4:1",
          counterexample,
          reproduced: { diverged: 3, of: 3, requested: 3 },
          shrink: { numShrinks: 9, stopped: false },
        }),
    rules,
    inconclusiveReasons: [],
    profile: "replcheck built-in server (0.1.0)",
    target: "replcheck built-in server (in process)",
    interrupted: false,
  };
}
