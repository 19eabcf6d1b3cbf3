// Every action kind's scenario-file schema and live application, keyed by kind: a kind of the
// model's Action union that is missing here does not compile.

import type { Action, ClusterState } from "../../model/index.js";
import type { ObservedReply } from "../check/reply.js";
import type { LiveCluster } from "../live/cluster.js";
import type { Capability } from "../targets/target.js";
import type { Family } from "./families.js";
import type { ActionKind } from "./kind.js";
import { commandAction } from "./kinds/command.js";
import { crashAction } from "./kinds/crash.js";
import { pauseAction } from "./kinds/pause.js";
import { configSetAction } from "./kinds/config-set.js";
import { linkAction } from "./kinds/link.js";
import { restartAction, saveAction } from "./kinds/restart.js";
import { backlogTtlExpiredAction, pingTickAction, replTimeoutAction } from "./kinds/timers.js";
import { replicaofAction, replicaofNoOneAction } from "./kinds/topology.js";
import { transactionAction } from "./kinds/transaction.js";
import { waitAction } from "./kinds/wait.js";
import type { ActionOf, Step } from "./step.js";

export const ACTION_KINDS: { readonly [K in Action["kind"]]: ActionKind<K> } = {
  command: commandAction,
  transaction: transactionAction,
  wait: waitAction,
  link: linkAction,
  replicaof: replicaofAction,
  "replicaof-no-one": replicaofNoOneAction,
  "config-set": configSetAction,
  save: saveAction,
  restart: restartAction,
  crash: crashAction,
  pause: pauseAction,
  "ping-tick": pingTickAction,
  "backlog-ttl-expired": backlogTtlExpiredAction,
  "repl-timeout": replTimeoutAction,
};

/** The definition of an action's kind (one cast here instead of one per caller). */
export const actionKind = <K extends Action["kind"]>(a: ActionOf<K>): ActionKind<K> =>
  ACTION_KINDS[a.kind as K] as unknown as ActionKind<K>;

/** The family a concrete action belongs to (undefined: every scenario needs it). */
export const familyOf = (a: Action): Family | undefined => actionKind(a).family(a);

/** Apply a step; `sending` is called right before its checked command goes out. */
export function applyStep(
  cluster: LiveCluster,
  step: Step,
  before: ClusterState,
  timeoutMs: number,
  sending: () => void = () => {},
): Promise<ObservedReply | undefined> {
  return actionKind(step.action).apply(step.action, { cluster, step, before, timeoutMs, sending });
}

export interface Applied {
  /** The reply the step's client got, for steps that send a checked command. */
  reply?: ObservedReply;
  /** From sending the step's checked command to its reply (WAIT-3 judges a WAIT with it). */
  elapsedMs: number;
}

/** Apply a step and time its checked command with a monotonic clock. */
export async function applyTimed(
  cluster: LiveCluster,
  step: Step,
  before: ClusterState,
  timeoutMs: number,
): Promise<Applied> {
  let sentAt = performance.now();
  const reply = await applyStep(cluster, step, before, timeoutMs, () => {
    sentAt = performance.now();
  });
  return { reply, elapsedMs: performance.now() - sentAt };
}

/**
 * The steps a target cannot carry out, with what each needs: a replay refuses them before any
 * node starts instead of failing halfway.
 */
export function unmetNeeds(
  steps: readonly Step[],
  capabilities: Readonly<Record<Capability, boolean>>,
): { index: number; kind: string; needs: Capability[] }[] {
  return steps.flatMap((step, index) => {
    const needs = actionKind(step.action).needs.filter((c) => !capabilities[c]);
    return needs.length === 0 ? [] : [{ index, kind: step.action.kind, needs }];
  });
}
