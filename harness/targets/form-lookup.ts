// Which module and form a `--target` value is written in, among given modules: the registry looks
// in every kind, one side of a mixed target in the single kinds.

import type { TargetForm, TargetModule } from "./target.js";

export interface FoundForm {
  module: TargetModule;
  form: TargetForm;
  /** The text after the form's prefix ("" for a word). */
  argument: string;
}

/** The first of `modules`' forms `spec` is written in; undefined for a value of none of them. */
export function findFormIn(modules: readonly TargetModule[], spec: string): FoundForm | undefined {
  for (const module of modules) {
    for (const form of module.forms) {
      if (!form.argument && spec === form.prefix) return { module, form, argument: "" };
      if (form.argument && spec.startsWith(form.prefix) && spec.length > form.prefix.length)
        return { module, form, argument: spec.slice(form.prefix.length) };
    }
  }
  return undefined;
}
