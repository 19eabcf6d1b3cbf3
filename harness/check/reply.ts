// Compare a command's observed reply with the model's expected reply, and name the rule it checks.

import { errorRule, type Action, type ExpectedReply, type RuleId, type Why } from "../../model/index.js";
import { describeWaitCount, judgeWait } from "./wait-reply.js";

/** A reply as the harness's client reports it (RESP types kept apart). */
export type ObservedReply =
  | { kind: "status"; value: string }
  | { kind: "error"; value: string }
  | { kind: "int"; value: number }
  | { kind: "bulk"; value: string | null }
  | { kind: "array"; value: ObservedReply[] | null }
  /** No reply within the timeout: an unknown outcome, neither success nor failure. */
  | { kind: "timeout" }
  | { kind: "connection-lost"; value: string };

const canonical = (r: ObservedReply | ExpectedReply): string => JSON.stringify(r);

/** `elapsedMs`: how long the command took as the harness measured it (a WAIT is judged with it). */
export function replyMatches(expected: ExpectedReply, observed: ObservedReply, elapsedMs = 0): boolean {
  switch (expected.kind) {
    case "wait-count":
      return judgeWait(expected, observed, elapsedMs).ok;
    case "int-range":
      return observed.kind === "int" && observed.value >= expected.min && observed.value <= expected.max;
    case "blocked":
      return observed.kind === "timeout";
    case "array": {
      if (observed.kind !== "array") return false;
      if (expected.value === null || observed.value === null) return expected.value === observed.value;
      if (expected.value.length !== observed.value.length) return false;
      if (expected.order === "any") return sameMultiset(expected.value, observed.value);
      if (expected.order === "pairs-any") return sameMultiset(pairs(expected.value), pairs(observed.value));
      return expected.value.every((e, i) => replyMatches(e, observed.value![i]));
    }
    default:
      return expected.kind === observed.kind && expected.value === (observed as { value: unknown }).value;
  }
}

function pairs<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i + 1 < items.length; i += 2) out.push([items[i], items[i + 1]]);
  return out;
}

function sameMultiset(a: readonly unknown[], b: readonly unknown[]): boolean {
  const key = (x: unknown) => JSON.stringify(x);
  return JSON.stringify(a.map(key).sort()) === JSON.stringify(b.map(key).sort());
}

export function describeReply(r: ExpectedReply | ObservedReply): string {
  switch (r.kind) {
    case "status":
      return `+${r.value}`;
    case "error":
      return `-${r.value}`;
    case "int":
      return `:${r.value}`;
    case "bulk":
      return r.value === null ? "(nil)" : JSON.stringify(r.value);
    case "array":
      return r.value === null ? "(nil array)" : `[${r.value.map(describeReply).join(", ")}]`;
    case "int-range":
      return r.min === r.max ? `:${r.min}` : `:${r.min}..${r.max}`;
    case "blocked":
      return `(blocks until ${r.until})`;
    case "wait-count":
      return describeWaitCount(r);
    case "timeout":
      return "(no reply before the timeout)";
    case "connection-lost":
      return `(connection lost: ${r.value})`;
  }
  return canonical(r);
}

/**
 * The rule a reply checks: the rule the model's reply applied (`why`, from the outcome). A server
 * that answers an error where the model predicted none is named by the model's rule for that
 * error (READONLY is RO-1's, …). Without a `why`, the action's area.
 */
export function replyRule(action: Action, expected: ExpectedReply, observed: ObservedReply, why?: Why): RuleId {
  if (expected.kind !== "error" && observed.kind === "error") {
    const rule = action.kind === "wait" ? "WAIT-5" : errorRule(observed.value);
    if (rule !== undefined) return rule;
  }
  if (why !== undefined) return why.rule;
  if (expected.kind === "blocked") return "WAIT-4";
  switch (action.kind) {
    case "wait":
      return "WAIT-3";
    case "transaction":
      return "DATA-6";
    case "replicaof":
    case "replicaof-no-one":
      return "LINK-7";
    case "config-set":
      return "BACKLOG-4";
    case "command":
      return "CONV-5";
    default:
      return "INFO-1";
  }
}
