// A fixed three-column matrix (no live target): builtin passed, redis-server diverged with a saved
// counterexample breaking PSYNC-1 at its boundary with PSYNC-2, an image that could not start. The
// matrix's rendering tests and its schema test both read it.

import { getProfile } from "../../model/profile.js";
import type { RuleId } from "../../model/rule-ids.js";
import type { Check } from "../../harness/check/compare.js";
import { campaignVerdict } from "../../harness/cli/exit-codes.js";
import { emptyColumn, ranColumn } from "../../harness/matrix/column.js";
import type { ColumnRun, MatrixOptions } from "../../harness/matrix/matrix.js";
import type { CampaignResult } from "../../harness/run/campaign.js";
import type { ScenarioResult, StepRecord } from "../../harness/run/scenario-run.js";

export const OPTIONS: MatrixOptions = {
  targets: ["builtin", "redis-server", "image:replcheck-redis:7.0.15"],
  seed: 42,
  runs: 100,
  timeLimit: 60_000,
  replicas: 2,
  steps: 30,
};
export const STARTED = new Date("2026-11-29T02:00:00.000Z");

function result(fields: Partial<CampaignResult> & Pick<CampaignResult, "rules">): CampaignResult {
  return {
    runs: 10,
    steps: 200,
    failures: 0,
    inconclusive: 0,
    shrinking: false,
    elapsedMs: 60_000,
    seed: 42,
    inconclusiveReasons: [],
    interrupted: false,
    ...fields,
  };
}

const failure = (rule: RuleId, also?: RuleId[]): Check => ({
  node: "n1",
  field: "sync_full",
  rule,
  ...(also === undefined ? {} : { also }),
  ok: false,
  predicted: "0",
  observed: "1",
});

/** A shrunk counterexample whose second step fails PSYNC-1 at its boundary with PSYNC-2. */
function counterexample(): ScenarioResult {
  const step = (index: number, failures: Check[]): StepRecord =>
    ({ index, checks: failures, failures, predicted: {}, observed: {}, syncs: [], notes: [] }) as unknown as StepRecord;
  return {
    status: "diverged",
    reason: "PSYNC-1 n1 sync_full",
    steps: [step(1, []), step(2, [failure("PSYNC-1", ["PSYNC-2"])])],
    executed: [],
    profile: "Redis 7.0 (7.0.15)",
    profileId: "redis-7.0",
    target: "redis-server 7.0.15 (/usr/bin/redis-server)",
  };
}

const builtin = result({
  target: "replcheck built-in server (in process)",
  profile: "replcheck built-in server (0.1.0)",
  coverage: { counts: new Map(), profile: getProfile("builtin") },
  runs: 11,
  steps: 183,
  elapsedMs: 60_400,
  rules: new Map<RuleId, { checked: number; failed: number }>([
    ["PSYNC-1", { checked: 87, failed: 0 }],
    ["PSYNC-2", { checked: 15, failed: 0 }],
  ]),
});

const redis = result({
  target: "redis-server 7.0.15 (/usr/bin/redis-server)",
  profile: "Redis 7.0 (7.0.15)",
  coverage: { counts: new Map(), profile: getProfile("redis-7.0") },
  runs: 4,
  steps: 61,
  failures: 1,
  elapsedMs: 59_000,
  path: "3:1",
  counterexample: counterexample(),
  rules: new Map<RuleId, { checked: number; failed: number }>([["PSYNC-1", { checked: 54, failed: 2 }]]),
});

export function fixtureRuns(): ColumnRun[] {
  return [
    {
      column: ranColumn("builtin", builtin, campaignVerdict(builtin), {
        folder: "1-builtin",
        report: "1-builtin/report.html",
      }),
      result: builtin,
    },
    {
      column: ranColumn("redis-server", redis, campaignVerdict(redis), {
        folder: "2-redis-server",
        report: "2-redis-server/report.html",
        counterexample: "2-redis-server/replcheck-counterexample-42.json",
      }),
      result: redis,
    },
    {
      column: emptyColumn(
        "image:replcheck-redis:7.0.15",
        2,
        "cannot start: no container engine found (DOCKER_HOST unset, no /var/run/docker.sock)",
        "start Docker or Podman's Docker API, or leave this target out",
        { folder: "3-image-replcheck-redis-7.0.15" },
      ),
    },
  ];
}
