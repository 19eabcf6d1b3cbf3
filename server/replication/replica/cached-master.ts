// server.cached_master: what a replica keeps of a master it lost (or of itself, when a master
// becomes a replica or a replica restarts from its RDB), to continue with PSYNC later (PSYNC-7).

export interface CachedMaster {
  replid: string;
  reploff: number;
  /** The db its stream had selected. */
  db: number;
}
