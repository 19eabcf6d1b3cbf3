// One node's replication state as the model predicts it.

import type { Backlog } from "./backlog.js";
import type { LazyfreeConfig } from "./commands/context.js";
import type { ClausedWhy } from "./decision.js";
import { Dataset } from "./keyspace.js";
import { type History, initialHistory } from "./history-fields.js";
import type { Profile } from "./profile.js";
import type { ReplId } from "./replid.js";
import type { LoggedItem } from "./stream.js";

/** The configuration that matters to replication (names follow redis.conf). */
export interface NodeConfig {
  replBacklogSize: number;
  /** Seconds; 0 = never free the backlog (the harness default). */
  replBacklogTtl: number;
  replicaReadOnly: boolean;
  replicaServeStaleData: boolean;
  minReplicasToWrite: number;
  minReplicasMaxLag: number;
  replDisklessSync: boolean;
  lazyfree: LazyfreeConfig;
  /** client-output-buffer-limit replica hard limit in bytes (0 = none). */
  replicaOutputHardLimit: number;
}

export function defaultConfig(profile: Profile): NodeConfig {
  const lazy = profile.defaults.lazyfree;
  return {
    replBacklogSize: profile.defaults.replBacklogSize,
    replBacklogTtl: 3600,
    replicaReadOnly: true,
    replicaServeStaleData: true,
    minReplicasToWrite: 0,
    minReplicasMaxLag: 10,
    replDisklessSync: profile.defaults.replDisklessSync,
    lazyfree: { expire: lazy, serverDel: lazy, userDel: lazy },
    replicaOutputHardLimit: 256 * 1024 * 1024,
  };
}

/** A counter known exactly (min == max) or within bounds (max may be Infinity). */
export interface Count {
  min: number;
  max: number;
}

export const exactly = (n: number): Count => ({ min: n, max: n });
export const addCount = (c: Count, n: number): Count => ({ min: c.min + n, max: c.max + n });

/** INFO stats counters of a node acting as a master (INFO-2). */
export interface SyncStats {
  syncFull: Count;
  syncPartialOk: Count;
  syncPartialErr: Count;
}

export const zeroStats = (): SyncStats => ({
  syncFull: exactly(0),
  syncPartialOk: exactly(0),
  syncPartialErr: exactly(0),
});

/** What an RDB file on disk holds: the dataset and, per RESTART-3, the replication info. */
export interface Snapshot {
  dataset: Dataset;
  replInfo: { replid: ReplId; offset: number } | null;
}

/** A node's state; its history fields (replid, replid2, ...) are in History (history-fields.ts). */
export interface NodeState extends History {
  name: string;
  profile: Profile;
  /** The configuration the node was started with (restored by a restart, RESTART-4). */
  startConfig: NodeConfig;
  config: NodeConfig;
  /** The node it replicates from (REPLICAOF), or null for a master. */
  master: string | null;
  /** repl_state == CONNECTED (replicas only). */
  linkConnected: boolean;
  /** Whether a PSYNC would name a cached master (PSYNC-7) instead of `? -1`. */
  cachedMaster: boolean;
  /**
   * Where the id and offset of the node's next PSYNC came from when not from the master it last
   * synced with: its RDB at a restart (RESTART-1) or itself as a former master (PSYNC-7).
   */
  cacheFrom?: ClausedWhy;
  /** master_repl_offset (on a replica: the processed offset). */
  offset: number;
  backlog: Backlog | null;
  /** 6.2 keeps showing the freed backlog's window in INFO (BACKLOG-9). */
  staleBacklogInfo: { first: number; histlen: number };
  /** slaveseldb: the db the stream last selected, -1 = the next command must SELECT (OFFSET-3). */
  streamDb: number;
  /** Stream items still servable from the backlog, oldest first. */
  log: readonly LoggedItem[];
  dataset: Dataset;
  stats: SyncStats;
  /** The RDB file in the node's dir, if any (SAVE, disk syncs, received syncs). */
  saved: Snapshot | null;
  /** WAIT-2: the write offset of the harness's client on this node. */
  clientWoff: number;
  /** The db the harness's client has selected (its SELECT is a command too, WAIT-2). */
  clientDb: number;
  /** As a replica: the acked offset its master surely has (REPLCONF ACK after GETACK); 0 after (re)connecting. */
  ackLo: number;
  /** FULLSYNC-7: the node cannot load its master's RDB and keeps retrying. */
  syncFailing: boolean;
  /**
   * The master dropped this replica's client while its link was blackholed: the replica never saw
   * the close and still believes it is connected (LINK-4), until the link is cut or healed.
   */
  detached: boolean;
}

export function createNode(name: string, profile: Profile, config: NodeConfig, replid: ReplId): NodeState {
  return {
    name,
    profile,
    startConfig: config,
    config,
    master: null,
    linkConnected: false,
    cachedMaster: false,
    // REPLID-1 / INFO-5: random replid, cleared replid2, second -1, offset 0, no backlog.
    ...initialHistory(replid),
    offset: 0,
    backlog: null,
    staleBacklogInfo: { first: 0, histlen: 0 },
    streamDb: -1,
    log: [],
    dataset: Dataset.empty(),
    stats: zeroStats(),
    saved: null,
    clientWoff: 0,
    clientDb: 0,
    ackLo: 0,
    syncFailing: false,
    detached: false,
  };
}

/** A copy the step functions may mutate (values inside the dataset are immutable and shared). */
export function cloneNode(n: NodeState): NodeState {
  return { ...n, dataset: n.dataset.clone(), stats: { ...n.stats } };
}
