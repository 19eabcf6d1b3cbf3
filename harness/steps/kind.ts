// What defines a step kind, in one place per kind (kinds/*.ts): how it is generated and resolved
// against the model (StepGenerator), and how a scenario file spells it and a live target applies it
// (ActionKind). The model's side is `applyAction` in model/step.ts (the model cannot import the
// harness); its switch, like the records in generators.ts and actions.ts, is exhaustive, so a kind
// that one layer forgets does not compile.

import type fc from "fast-check";
import type { JSONSchemaType } from "ajv";
import type { Action, ClusterState } from "../../model/index.js";
import type { ObservedReply } from "../check/reply.js";
import type { LiveCluster } from "../live/cluster.js";
import type { Capability } from "../targets/target.js";
import type { Family } from "./families.js";
import type { RawOf, RawStep } from "./raw-step.js";
import type { ActionOf, Step } from "./step.js";

/** What resolving a raw step sees: the model's state before it, the node names, the clock. */
export interface ResolveContext {
  readonly state: ClusterState;
  /** n0, n1, ...: raw steps name nodes by index. */
  readonly names: readonly string[];
  /** Wall-clock ms the commands are sent at (expiries). */
  readonly now: number;
}

/** How one raw step kind is generated and turned into concrete steps. */
export interface StepGenerator<T extends RawStep["t"]> {
  readonly family: Family;
  /** Relative frequency among the generators of the chosen families. */
  readonly weight: number;
  /** What the target must support: without it the generator is left out. */
  readonly needs?: readonly Capability[];
  /** The raw step, given an arbitrary of node indexes. */
  arbitrary(node: fc.Arbitrary<number>): fc.Arbitrary<RawOf<T>>;
  /** The concrete steps for the model's current state (none when it makes no sense there). */
  resolve(raw: RawOf<T>, at: ResolveContext): Step[];
}

/** What applying a step on a live cluster sees. */
export interface LiveStep {
  readonly cluster: LiveCluster;
  readonly step: Step;
  /** The model's state before the step: which edge a link action means, a restarted node's role. */
  readonly before: ClusterState;
  readonly timeoutMs: number;
  /** Called right before the checked command goes out (WAIT-3 times the reply from here). */
  sending(): void;
}

/** How one action kind is written in a scenario file and applied to a live target. */
export interface ActionKind<K extends Action["kind"]> {
  /** The action's JSON Schema in a scenario file (checked against the type by ajv's typing). */
  readonly schema: JSONSchemaType<ActionOf<K>>;
  /** Fields naming a node: a scenario file may only name its own nodes there. */
  readonly nodeFields: readonly (keyof ActionOf<K> & string)[];
  /** What a target must support to apply it; steps needing more are not generated for it. */
  readonly needs: readonly Capability[];
  /** The family a concrete action belongs to, or undefined for steps every scenario needs (attaching replicas). */
  family(a: ActionOf<K>): Family | undefined;
  /** Carries it out; returns the reply of its checked command, if it has one. */
  apply(a: ActionOf<K>, live: LiveStep): Promise<ObservedReply | undefined>;
}

/** A step that a target cannot carry out (a timer-driven action on a target without a clock). */
export class UnsupportedLiveAction extends Error {}
