// `--targets builtin,redis-server,binary:PATH,...`: one comma-separated list of `--target` values.
// A form whose own argument holds commas (a composite such as `mixed:A,B`) says so in its usage
// text, so the list is split by the registry's forms instead of by a rule that knows target kinds.

import { findTargetForm, targetChoices } from "../targets/registry.js";
import type { TargetForm } from "../targets/target.js";

/** A `--targets` value that names no target, a target of no known form, or one target twice. */
export class TargetListError extends Error {}

/** How many commas a form's argument holds: `mixed:MASTER_TARGET,REPLICA_TARGET` has one. */
const commasIn = (form: TargetForm): number => (form.usage.match(/,/g) ?? []).length;

/**
 * The `--target` values of a `--targets` list, in order. A value whose form's usage has k commas
 * takes the k parts after it as its own. Throws {@link TargetListError} for an empty part, a value
 * of no known form, or a target named twice; `find` is the registry's lookup (tests give others).
 */
export function splitTargetList(
  list: string,
  find: (spec: string) => { form: TargetForm } | undefined = findTargetForm,
): string[] {
  const parts = list.split(",").map((p) => p.trim());
  const specs: string[] = [];
  for (let i = 0; i < parts.length; ) {
    const head = parts[i];
    if (head === "")
      throw new TargetListError(`empty target in --targets "${list}"; separate targets with single commas`);
    const found = find(head);
    if (found === undefined) throw new TargetListError(`unknown target "${head}"; use ${targetChoices()}`);
    const take = commasIn(found.form);
    if (i + take >= parts.length)
      throw new TargetListError(
        `target "${parts.slice(i).join(",")}" is incomplete; it is written ${found.form.usage}`,
      );
    const spec = parts.slice(i, i + take + 1).join(",");
    if (specs.includes(spec)) throw new TargetListError(`target "${spec}" is listed twice in --targets`);
    specs.push(spec);
    i += take + 1;
  }
  return specs;
}
