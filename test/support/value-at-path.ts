// The generated scenario (raw steps) fast-check reaches for a seed and a printed --path, without
// running anything: what `replcheck run --target T --seed S --path P` replays first. The target
// matters: families that need a capability it lacks are not generated.

import fc from "fast-check";
import { scenarioArbitrary } from "../../harness/steps/generators.js";
import type { RawStep } from "../../harness/steps/raw-step.js";
import { parseTarget } from "../../harness/targets/parse.js";

/** The scenario at `path` of `seed` for the CLI's scenario shape (nodes = replicas + 1) on `target`. */
export function scenarioAtPath(seed: number, path: string, target = "builtin", replicas = 2, steps = 30): RawStep[] {
  const capabilities = parseTarget(target).capabilities;
  const details = fc.check(
    fc.property(scenarioArbitrary(replicas + 1, steps, { capabilities }), () => false),
    { seed, path, endOnFailure: true },
  );
  if (details.counterexample === null) throw new Error(`no scenario at path ${path} of seed ${seed}`);
  return details.counterexample[0] as RawStep[];
}
