// Every target kind replcheck can run, each one module declaring its `--target` forms (prefix and
// usage), help text, constructor and capabilities. `--target` parsing and validation, the CLI's help
// and error text, the vitest entry's skip-or-fail decision and the capability checks of special
// checks all read them from here; nothing else names a target kind (single-kinds.ts lists the kinds
// other than mixed, for this list and for the sides of a mixed target).
//
// To add a target kind (a Kubernetes cluster, a remote host, ...): write one module next to these
// that exports a TargetModule (target.ts) — its forms, capabilities (true only for what it really
// supports), and `create`, importing heavy dependencies lazily inside it as image.ts does — and add
// it to SINGLE_KIND_MODULES (single-kinds.ts), which also makes it a side a mixed target may have.
// Node start/rollback and stopAll come from node-set.ts, interrupt cleanup from cleanup.ts (register
// an entry whose killNow removes what the target started).

import { type FoundForm, findFormIn } from "./form-lookup.js";
import { mixedTargets } from "./mixed.js";
import { SINGLE_KIND_MODULES } from "./single-kinds.js";
import type { TargetForm, TargetModule } from "./target.js";

/** Every target kind, in the order usage and help list them. */
export const TARGET_MODULES: readonly TargetModule[] = [...SINGLE_KIND_MODULES, mixedTargets];

/** The module and form a `--target` value is written in; undefined for a value of no known form. */
export function findTargetForm(spec: string): FoundForm | undefined {
  return findFormIn(TARGET_MODULES, spec);
}

const allForms = (): TargetForm[] => TARGET_MODULES.flatMap((m) => m.forms);

/** "builtin | redis-server | binary:PATH | image:NAME[:TAG]" */
export function targetSynopsis(): string {
  return allForms()
    .map((f) => f.usage)
    .join(" | ");
}

/** "builtin, redis-server, binary:PATH or image:NAME[:TAG]" */
export function targetChoices(): string {
  const usages = allForms().map((f) => f.usage);
  return usages.length < 2 ? usages.join("") : `${usages.slice(0, -1).join(", ")} or ${usages[usages.length - 1]}`;
}

/** One line per form: its usage and what it runs, for help text. */
export function targetHelpLines(): string[] {
  const forms = allForms();
  const width = Math.max(...forms.map((f) => f.usage.length));
  return forms.map((f) => `${f.usage.padEnd(width)}  ${f.help}`);
}
