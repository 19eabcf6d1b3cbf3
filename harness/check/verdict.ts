// Pick the model outcome that explains what the cluster shows, and list every check made.

import type { Action, StepOutcome, SyncEvent } from "../../model/index.js";
import { compareDataset, compareNode, syncWentOtherWay, type Check } from "./compare.js";
import type { ObservedNode } from "./observed.js";
import { predictionOf } from "./predictions.js";
import type { ReplIdBinding } from "./replid-binding.js";
import { describeReply, replyMatches, replyRule, type ObservedReply } from "./reply.js";
import { judgeWait } from "./wait-reply.js";

export interface StepVerdict {
  /** The outcome that matched (or came closest when none did). */
  outcome: StepOutcome;
  /** Index of that outcome among the model's outcomes. */
  index: number;
  checks: Check[];
  failures: Check[];
  /** The replid binding after the chosen outcome (commit it only when the step is accepted). */
  binding: ReplIdBinding;
}

export interface Observation {
  nodes: Record<string, ObservedNode>;
  /** The reply of the action's client, when the action was a client command. */
  reply?: ObservedReply;
  /** How long that command took, from sending it to its reply (a WAIT is judged with it, WAIT-3). */
  replyElapsedMs?: number;
}

export interface VerdictContext {
  action: Action;
  binding: ReplIdBinding;
  masterOfAddress(address: string): string | undefined;
}

export function checkOutcome(
  outcome: StepOutcome,
  obs: Observation,
  ctx: VerdictContext,
): { checks: Check[]; binding: ReplIdBinding } {
  const binding = ctx.binding.clone();
  const checks: Check[] = [];
  const journal = { syncs: outcome.syncs, decisions: outcome.decisions, notes: outcome.notes };
  if (outcome.reply !== undefined && obs.reply !== undefined) {
    const node = "node" in ctx.action ? ctx.action.node : "";
    const elapsed = obs.replyElapsedMs ?? 0;
    if (outcome.reply.kind === "wait-count") {
      const j = judgeWait(outcome.reply, obs.reply, elapsed);
      const observed = `${describeReply(obs.reply)} after ${elapsed.toFixed(1)} ms${j.why === undefined ? "" : ` (${j.why})`}`;
      checks.push({ node, field: "reply", rule: j.rule, ok: j.ok, predicted: describeReply(outcome.reply), observed });
    } else {
      checks.push({
        node,
        field: "reply",
        rule: replyRule(ctx.action, outcome.reply, obs.reply, outcome.replyWhy),
        ok: replyMatches(outcome.reply, obs.reply, elapsed),
        predicted: describeReply(outcome.reply),
        observed: describeReply(obs.reply),
      });
    }
  }
  // A replica's fields that followed from a PSYNC name that PSYNC when its master's counters show it went the other way.
  const otherWay = (e: SyncEvent) =>
    syncWentOtherWay(
      e,
      outcome.state.nodes[e.master] === undefined ? undefined : predictionOf(outcome.state, e.master),
      obs.nodes[e.master],
    );
  for (const n of Object.values(outcome.state.nodes)) {
    const seen = obs.nodes[n.name];
    if (seen === undefined) continue;
    const p = predictionOf(outcome.state, n.name);
    checks.push(
      ...compareNode(p, seen, {
        binding,
        journal,
        masterOfAddress: ctx.masterOfAddress,
        backlogKind: n.profile.backlogKind,
        otherWay,
      }),
    );
    if (seen.dataset !== undefined) checks.push(compareDataset(p, seen.dataset, journal, otherWay));
  }
  return { checks, binding };
}

/** Every outcome checked against the observation, in the model's order. */
export function allVerdicts(outcomes: readonly StepOutcome[], obs: Observation, ctx: VerdictContext): StepVerdict[] {
  return outcomes.map((outcome, index) => {
    const { checks, binding } = checkOutcome(outcome, obs, ctx);
    return { outcome, index, checks, failures: checks.filter((c) => !c.ok), binding };
  });
}

/** The first verdict whose every check passes; otherwise the one with the fewest failures. */
export function closest(verdicts: readonly StepVerdict[]): StepVerdict {
  let best: StepVerdict | undefined;
  for (const v of verdicts) if (best === undefined || v.failures.length < best.failures.length) best = v;
  return best!;
}

/** The outcome that explains the observation, or comes closest. */
export function verdict(outcomes: readonly StepOutcome[], obs: Observation, ctx: VerdictContext): StepVerdict {
  return closest(allVerdicts(outcomes, obs, ctx));
}
