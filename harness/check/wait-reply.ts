// WAIT-1 / WAIT-3: judge a WAIT reply with how long it took, the only guarantee Redis gives about
// timing. A WAIT returns as soon as numreplicas replicas acked the client's write offset, or at
// its timeout with the count at that moment; how fast replicas ack is not the target's business.

import type { ExpectedReply } from "../../model/index.js";
import type { RuleId } from "../../model/rule-ids.js";

export type WaitCount = Extract<ExpectedReply, { kind: "wait-count" }>;

/**
 * Millisecond clocks on both sides (the server's timer, the harness's stopwatch) may each round by
 * up to a millisecond; a WAIT counts as early only when it is clearly before its timeout.
 */
export const WAIT_CLOCK_SLACK_MS = 1;

export interface WaitJudgement {
  ok: boolean;
  /** WAIT-1 when the count is outside what the acks allow, WAIT-3 when the timing rule is broken. */
  rule: Extract<RuleId, "WAIT-1" | "WAIT-3">;
  /** Why it failed, for the report. */
  why?: string;
}

/** Whether a WAIT that took `elapsedMs` (as the harness measured it) returned before its timeout. */
export function returnedEarly(expected: WaitCount, elapsedMs: number): boolean {
  return expected.timeoutMs === 0 || elapsedMs + WAIT_CLOCK_SLACK_MS < expected.timeoutMs;
}

export function judgeWait(
  expected: WaitCount,
  observed: { kind: string; value?: unknown },
  elapsedMs: number,
): WaitJudgement {
  if (observed.kind !== "int" || typeof observed.value !== "number")
    return { ok: false, rule: "WAIT-3", why: "WAIT did not reply with an integer" };
  const v = observed.value;
  if (v > expected.possible)
    return { ok: false, rule: "WAIT-1", why: `counted ${v} replicas, but only ${expected.possible} could have acked` };
  if (v < expected.certain)
    return { ok: false, rule: "WAIT-1", why: `counted ${v} replicas, but ${expected.certain} had already acked` };
  if (returnedEarly(expected, elapsedMs) && v < expected.numReplicas) {
    return {
      ok: false,
      rule: "WAIT-3",
      why: `returned after ${elapsedMs.toFixed(1)} ms, before its ${expected.timeoutMs} ms timeout, with ${v} < ${expected.numReplicas} replicas`,
    };
  }
  return { ok: true, rule: expected.certain >= expected.numReplicas ? "WAIT-1" : "WAIT-3" };
}

export function describeWaitCount(e: WaitCount): string {
  const range = e.certain === e.possible ? `:${e.certain}` : `:${e.certain}..${e.possible}`;
  if (e.certain >= e.numReplicas) return range;
  if (e.possible < e.numReplicas) return `${range} after ${e.timeoutMs} ms`;
  return `${range}, ≥ ${e.numReplicas} if before ${e.timeoutMs === 0 ? "ever returning" : `${e.timeoutMs} ms`}`;
}
