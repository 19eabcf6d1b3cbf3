// The report's lines about the targeted scenarios a run ran before the generated ones.

import type { CampaignResult } from "../run/campaign.js";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** "13 targeted scenarios: 12 passed, 1 skipped (1.9s)" and a line per scenario that did not pass. */
export function targetedText(targeted: NonNullable<CampaignResult["targeted"]>): string {
  const counts = new Map<string, number>();
  for (const o of targeted.outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  const n = targeted.outcomes.length;
  const summary = [...counts].map(([status, k]) => `${k} ${status}`).join(", ");
  const lines = [
    `${n} targeted scenario${n === 1 ? "" : "s"}: ${n === 0 ? "none in this run" : summary}, ${targeted.steps} steps checked in ${seconds(targeted.elapsedMs)}`,
  ];
  for (const o of targeted.outcomes)
    if (o.status !== "passed")
      lines.push(`  ${o.status}: ${o.name} (${o.rules.join(", ")})${o.reason === undefined ? "" : ` — ${o.reason}`}`);
  return lines.join("\n");
}

/** The targeted scenario whose divergence is the run's counterexample, if it is one. */
export function targetedCounterexample(result: CampaignResult): string | undefined {
  if (result.counterexample === undefined || result.runs > 0) return undefined;
  const o = result.targeted?.outcomes.find((t) => t.status === "diverged");
  return o === undefined
    ? undefined
    : `targeted scenario "${o.name}" (about ${o.rules.join(", ")}) diverged; no generated scenario ran`;
}
