// `--target` values, looked up in the target registry (registry.ts): builtin | redis-server |
// binary:PATH | image:NAME[:TAG], and whatever a new target module declares.

import { findTargetForm, targetChoices } from "./registry.js";
import {
  capabilitiesFor,
  TargetUnavailable,
  type Target,
  type TargetCapabilities,
  type TargetKind,
  type TargetMakeOptions,
} from "./target.js";

export interface TargetChoice {
  /** The --target text, for replay command lines. */
  spec: string;
  kind: TargetKind;
  /** What the target supports, known before it is made (checks that need more are skipped). */
  capabilities: TargetCapabilities;
  /** A machine may legitimately lack it (see TargetForm.mayBeAbsent). */
  mayBeAbsent: boolean;
  make(options: TargetMakeOptions): Promise<Target>;
}

/** How a run uses its target beyond the `--target` value. */
export interface TargetUse {
  /** `--timers`: kinds that can wait for real time get the clock capability (TargetModule.realTimeClock). */
  timers?: boolean;
}

/** The target a `--target` value names; TargetUnavailable for a value of no known form. */
export function parseTarget(spec: string, use: TargetUse = {}): TargetChoice {
  const found = findTargetForm(spec);
  if (found === undefined) throw new TargetUnavailable(`unknown target "${spec}"`, `use --target ${targetChoices()}`);
  const { module, form, argument } = found;
  return {
    spec,
    kind: module.kind,
    capabilities: capabilitiesFor(module, use),
    mayBeAbsent: form.mayBeAbsent,
    make: (o) => form.create(argument, use.timers === true ? { ...o, timers: true } : o),
  };
}
