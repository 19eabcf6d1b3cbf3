// One time limit bounds a whole run. Exploration stops early enough to leave room for shrinking a
// divergence and replaying it; without a limit every phase runs to completion.

export interface TimeBudget {
  start: number;
  /** No new generated scenario starts after this. */
  exploreEnd: number;
  /** No new shrink attempt starts after this; the smallest counterexample so far is kept. */
  shrinkEnd: number;
  /** Reproduction replays stop here: the run ends. */
  end: number;
}

/** Part of the limit kept back from exploration for shrinking and reproduction, at most this long. */
const SHRINK_RESERVE = { share: 0.2, maxMs: 60_000 };
const REPRODUCE_RESERVE = { share: 0.05, maxMs: 15_000 };

export function timeBudget(start: number, limitMs: number | undefined): TimeBudget {
  if (limitMs === undefined) return { start, exploreEnd: Infinity, shrinkEnd: Infinity, end: Infinity };
  const end = start + limitMs;
  const reproduce = Math.min(limitMs * REPRODUCE_RESERVE.share, REPRODUCE_RESERVE.maxMs);
  const shrink = Math.min(limitMs * SHRINK_RESERVE.share, SHRINK_RESERVE.maxMs);
  return { start, exploreEnd: end - reproduce - shrink, shrinkEnd: end - reproduce, end };
}
