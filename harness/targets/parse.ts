// `--target` values, looked up in the target registry (registry.ts): builtin | redis-server |
// binary:PATH | image:NAME[:TAG], and whatever a new target module declares.

import { findTargetForm, targetChoices } from "./registry.js";
import {
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

/** The target a `--target` value names; TargetUnavailable for a value of no known form. */
export function parseTarget(spec: string): TargetChoice {
  const found = findTargetForm(spec);
  if (found === undefined) throw new TargetUnavailable(`unknown target "${spec}"`, `use --target ${targetChoices()}`);
  const { module, form, argument } = found;
  return {
    spec,
    kind: module.kind,
    capabilities: module.capabilities,
    mayBeAbsent: form.mayBeAbsent,
    make: (o) => form.create(argument, o),
  };
}
