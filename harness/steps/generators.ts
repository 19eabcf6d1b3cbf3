// Every raw step kind's generator, keyed by its tag: a RawStep member without a generator does not
// compile. A scenario is a list of raw steps drawn from the generators of the chosen families.

import fc from "fast-check";
import { chosenFamilies, type Family, type FamilyChoice } from "./families.js";
import type { ResolveContext, StepGenerator } from "./kind.js";
import { bigValueGenerator, readGenerator, writeGenerator } from "./kinds/command.js";
import { crashGenerator } from "./kinds/crash.js";
import { pauseGenerator } from "./kinds/pause.js";
import {
  backlogResizeGenerator,
  disklessGenerator,
  minReplicasGenerator,
  writableReplicaGenerator,
} from "./kinds/config-set.js";
import { linkFaultGenerator, throttleGenerator } from "./kinds/link.js";
import { restartGenerator } from "./kinds/restart.js";
import { timerGenerator } from "./kinds/timers.js";
import {
  chainPromotionGenerator,
  laggingResizeGenerator,
  resizedResyncGenerator,
  resyncGenerator,
  silentReplicaGenerator,
  wrappedReconnectGenerator,
} from "./kinds/situations.js";
import { failoverGenerator, laggingFailoverGenerator, replicaofGenerator } from "./kinds/topology.js";
import { transactionGenerator } from "./kinds/transaction.js";
import { waitGenerator } from "./kinds/wait.js";
import type { RawOf, RawStep } from "./raw-step.js";
import type { Step } from "./step.js";

export const GENERATORS: { readonly [T in RawStep["t"]]: StepGenerator<T> } = {
  write: writeGenerator,
  read: readGenerator,
  multi: transactionGenerator,
  big: bigValueGenerator,
  wait: waitGenerator,
  link: linkFaultGenerator,
  throttle: throttleGenerator,
  failover: failoverGenerator,
  replicaof: replicaofGenerator,
  "backlog-size": backlogResizeGenerator,
  diskless: disklessGenerator,
  "writable-replica": writableReplicaGenerator,
  "lagging-failover": laggingFailoverGenerator,
  "min-replicas": minReplicasGenerator,
  restart: restartGenerator,
  crash: crashGenerator,
  pause: pauseGenerator,
  timer: timerGenerator,
  resync: resyncGenerator,
  "lagging-resize": laggingResizeGenerator,
  "resized-resync": resizedResyncGenerator,
  "wrapped-reconnect": wrappedReconnectGenerator,
  "silent-replica": silentReplicaGenerator,
  "chain-promotion": chainPromotionGenerator,
};

/** fast-check weighs with integers: a generator's weight may go down to 1 / WEIGHT_SCALE (a situation that costs seconds). */
const WEIGHT_SCALE = 100;

/** The concrete steps of a raw step in the model's current state. */
export function resolve<T extends RawStep["t"]>(raw: RawOf<T>, at: ResolveContext): Step[] {
  return (GENERATORS[raw.t as T] as StepGenerator<T>).resolve(raw, at);
}

/** Families that generate nothing: --only or --skip left no generator to draw from. */
export class NoStepsChosen extends Error {}

/** One raw step, drawn from the generators of `families` that need nothing `capabilities` lacks. */
export function rawStep(
  nodes: number,
  families: readonly Family[],
  capabilities: FamilyChoice["capabilities"] = {},
): fc.Arbitrary<RawStep> {
  const node = fc.nat(nodes - 1);
  const chosen = Object.values(GENERATORS).filter(
    (g) => families.includes(g.family) && (g.needs ?? []).every((c) => capabilities[c] === true),
  );
  if (chosen.length === 0) throw new NoStepsChosen(`the chosen families (${families.join(", ")}) generate no step`);
  // Each generator draws its own member of the union; widen them to the union for oneof.
  const weighted = chosen.map((g) => ({
    weight: Math.round(g.weight * WEIGHT_SCALE),
    arbitrary: g.arbitrary(node) as fc.Arbitrary<RawStep>,
  }));
  return fc.oneof(...weighted);
}

/** A scenario: 1..maxSteps raw steps over `nodes` nodes, from the chosen families (default: all). */
export function scenarioArbitrary(nodes: number, maxSteps: number, choice: FamilyChoice = {}): fc.Arbitrary<RawStep[]> {
  return fc.array(rawStep(nodes, chosenFamilies(choice), choice.capabilities), {
    minLength: 1,
    maxLength: maxSteps,
    size: "max",
  });
}
