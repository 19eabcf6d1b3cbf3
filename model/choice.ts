// Enumerating the outcomes of a step. Where the real system may legitimately go more than one way
// (an `either` PSYNC decision, which member SPOP pops, whether a WAIT blocks), the step asks a
// Chooser. Running the step once per path of choices yields every possible outcome; the harness
// keeps the outcome that matches what it observed.

export interface Chooser {
  /** Pick one of `options` (non-empty). `label` names the choice point in reports. */
  choose<T>(label: string, options: readonly T[]): T;
}

export interface Explored<R> {
  result: R;
  /** The choices taken on this path, in order, as "label=index/count" strings. */
  path: string[];
}

/** Thrown when a step has more outcomes than the model is willing to enumerate. */
export class TooManyOutcomes extends Error {}

// Depth-first over choice vectors: each run replays a prefix and takes option 0 beyond it.
export function explore<R>(run: (chooser: Chooser) => R, limit = 512): Explored<R>[] {
  const results: Explored<R>[] = [];
  const stack: number[][] = [[]];
  while (stack.length > 0) {
    const prefix = stack.pop()!;
    const taken: number[] = [];
    const counts: number[] = [];
    const labels: string[] = [];
    const chooser: Chooser = {
      choose<T>(label: string, options: readonly T[]): T {
        if (options.length === 0) throw new Error(`choice point ${label} has no options`);
        const i = taken.length;
        const pick = i < prefix.length ? prefix[i] : 0;
        taken.push(pick);
        counts.push(options.length);
        labels.push(label);
        return options[pick];
      },
    };
    const result = run(chooser);
    results.push({ result, path: taken.map((t, i) => `${labels[i]}=${t + 1}/${counts[i]}`) });
    if (results.length > limit) throw new TooManyOutcomes(`a step has more than ${limit} possible outcomes`);
    // Siblings of every choice made beyond the replayed prefix are still to explore.
    for (let i = taken.length - 1; i >= prefix.length; i--) {
      for (let alt = counts[i] - 1; alt >= 1; alt--) stack.push([...taken.slice(0, i), alt]);
    }
  }
  return results;
}

/** A chooser that always takes the first option: the model's canonical single path. */
export const firstChoice: Chooser = { choose: (_label, options) => options[0] };
