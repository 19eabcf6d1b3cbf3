// The generated scenario (raw steps) fast-check reaches for a seed and a printed --path, without
// running anything: what `replcheck run --seed S --path P` replays first.

import fc from "fast-check";
import { scenarioArbitrary } from "../../harness/steps/generators.js";
import type { RawStep } from "../../harness/steps/raw-step.js";

/** The scenario at `path` of `seed` for the CLI's scenario shape (nodes = replicas + 1). */
export function scenarioAtPath(seed: number, path: string, replicas = 2, steps = 30): RawStep[] {
  const details = fc.check(
    fc.property(scenarioArbitrary(replicas + 1, steps), () => false),
    { seed, path, endOnFailure: true },
  );
  if (details.counterexample === null) throw new Error(`no scenario at path ${path} of seed ${seed}`);
  return details.counterexample[0] as RawStep[];
}
