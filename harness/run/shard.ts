// --shard i/n and --concurrency N split one campaign's scenarios, never its seed. fast-check derives
// the scenario at run index k from the seed and k alone, so a campaign can run any subset of the
// indexes and each scenario it runs is exactly the one an unsharded run of the same seed runs at k
// (and `--seed S --path k…` replays it without --shard). What is split is the run index:
//
//   shard i of n   runs the indexes k with k mod n = i − 1, in increasing order (round robin, so
//                  every shard gets scenarios from the start of the seed's sequence, however soon
//                  its time limit ends it);
//   lane j of N    (a --concurrency cluster) runs every N-th of its shard's indexes, again round
//                  robin: the indexes k of the shard with ⌊k / n⌋ mod N = j.
//
// With --runs R the n shards together run the indexes 0 … R−1, as one unsharded run would.

/** One part of a split: `index` is 1-based as on the command line (`--shard 2/3`). */
export interface Shard {
  index: number;
  count: number;
}

/** A --shard value that cannot be one; the CLI turns it into exit 2. */
export class ShardError extends Error {}

/** "i/n" with 1 ≤ i ≤ n, both whole numbers (vitest's --shard form). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const example = "e.g. --shard 2/3 runs the second of three shards";
  if (m === null) throw new ShardError(`Expected i/n with whole numbers 1 ≤ i ≤ n, ${example}; got "${text}".`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1)
    throw new ShardError(`The shard count n must be at least 1, ${example}; got "${text}".`);
  if (!Number.isSafeInteger(index) || index < 1 || index > count)
    throw new ShardError(
      `The shard index i must be from 1 to ${count} (shards count from 1), ${example}; got "${text}".`,
    );
  return { index, count };
}

/** "2/3". */
export const shardText = (s: Shard): string => `${s.index}/${s.count}`;

/** The whole campaign: one shard of one. */
export const WHOLE: Shard = { index: 1, count: 1 };

/** Whether the shard runs the scenario at fast-check run index `k`. */
export function inShard(shard: Shard, k: number): boolean {
  return k % shard.count === shard.index - 1;
}

/** Whether lane `lane` (0-based) of `lanes` in `shard` runs the scenario at run index `k`. */
export function inLane(shard: Shard, lane: number, lanes: number, k: number): boolean {
  return inShard(shard, k) && Math.floor(k / shard.count) % lanes === lane;
}

/** The run index of the `m`-th (0-based) scenario lane `lane` of `lanes` in `shard` runs. */
export function laneScenarioIndex(shard: Shard, lane: number, lanes: number, m: number): number {
  return shard.index - 1 + shard.count * (lane + lanes * m);
}
