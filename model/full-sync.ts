// FULLSYNC-5: the replica output-buffer limit during a full sync (the endless full-sync loop).

import type { NodeConfig } from "./node.js";
import type { Profile } from "./profile.js";

/** The hard limit that applies to a replica's buffered stream; 0 = unlimited. */
export function replicaOutputLimit(profile: Profile, master: NodeConfig): number {
  const hard = master.replicaOutputHardLimit;
  if (hard === 0) return 0;
  // 7.0+ raises the replica hard limit to at least the backlog size (checkClientOutputBufferLimits).
  return profile.replicaLimitAtLeastBacklog ? Math.max(hard, master.replBacklogSize) : hard;
}

/**
 * Whether a full sync during which `bufferedBytes` of stream accumulate for the replica gets the
 * replica dropped. If the write rate keeps that true, every retry is dropped again: the loop.
 */
export function fullSyncOverruns(profile: Profile, master: NodeConfig, bufferedBytes: number): boolean {
  const limit = replicaOutputLimit(profile, master);
  return limit > 0 && bufferedBytes > limit;
}
