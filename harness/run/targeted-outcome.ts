// What a run reports of each targeted scenario it ran before the campaign (run/targeted-phase.ts).

import type { RuleId } from "../../model/rule-ids.js";

/** One targeted scenario's outcome in a run. */
export interface TargetedOutcome {
  /** Its position in scenario/targeted.ts (0-based): the shard that runs it follows from it. */
  index: number;
  name: string;
  rules: RuleId[];
  status: "passed" | "diverged" | "inconclusive" | "skipped" | "interrupted";
  /** Why it did not pass (the divergence, the unknown outcome, what it would need). */
  reason?: string;
  /** Steps checked against the model. */
  steps: number;
  elapsedMs: number;
}
