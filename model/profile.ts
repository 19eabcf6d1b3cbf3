// Implementation profiles: every version difference the model needs (spec/profiles.md).

export type ProfileId = "builtin" | "redis-6.2" | "redis-7.0" | "redis-7.2" | "valkey-8";

export interface Profile {
  id: ProfileId;
  /** Human label for reports. */
  label: string;
  /** PROFILE-2 / BACKLOG-2 / BACKLOG-3: ring = byte-exact circular buffer; blocks = 7.x shared blocks (bounds only). */
  backlogKind: "ring" | "blocks";
  /** BACKLOG-5: what CONFIG SET repl-backlog-size does to existing history. */
  backlogResize: "drop-history" | "keep-newest" | "trim-blocks";
  /** BACKLOG-9: INFO first-byte/histlen once there is no backlog: zeros (7.0+) or the stale values (6.2). */
  backlogInfoWithoutBacklog: "zero" | "stale";
  /** BACKLOG-3: largest usable block capacity a block backlog may allocate for a given configured size. */
  blockCapacityMax(backlogSize: number): number;
  /** PROFILE-3: defaults that differ per version. */
  defaults: {
    replBacklogSize: number;
    replDisklessSync: boolean;
    lazyfree: boolean;
  };
  /** OFFSET-8: SET EX/PX/SETEX/PSETEX propagated as relative `PX <ms>` (6.2) or absolute `PXAT <ms>` (7.0+). */
  setExpireForm: "px-relative" | "pxat";
  /**
   * OFFSET-8: a client-given SET … PXAT is rewritten to `SET k v PXAT ms` like EX/PX (6.2, 7.0: NX/XX/GET
   * dropped, verified on 7.0.15) or propagated verbatim (7.2+ source: `if (!(flags & OBJ_PXAT))`; not run).
   */
  setPxatVerbatim: boolean;
  /** DATA-3: float replies (ZSCORE, ZINCRBY, ZRANGE WITHSCORES): "%.17g" (6.2, 7.0) or shortest round-trip (7.2+). */
  doubleReply: "g17" | "shortest";
  /** OFFSET-8: EXPIRE/PEXPIRE/EXPIREAT propagated verbatim (6.2) or as PEXPIREAT (7.0+). */
  expireForm: "verbatim" | "pexpireat";
  /** OFFSET-8: SPOP key count (count < size): one SREM per member (6.2, 7.0) or batched SREM (7.2+). */
  spopCountForm: "srem-each" | "srem-batch";
  /** OFFSET-8: SPOP key count with count >= size: DEL (6.2, 7.0) or DEL/UNLINK per lazyfree-lazy-server-del (7.2+). */
  spopAllHonoursLazyfree: boolean;
  /** OFFSET-6: FLUSHDB on an empty db is propagated (7.0+) or not (6.2). */
  emptyFlushdbPropagated: boolean;
  /** OFFSET-7: wrap units with >= 1 write (6.2: any transaction or multi-op command) or only > 1 op (7.0+). */
  wrapping: "any-transaction" | "multiple-ops";
  /** OFFSET-7: SELECT before MULTI (6.2, 7.0) or inside, right after MULTI (7.2+). */
  selectInsideMulti: boolean;
  /** WAIT-2: the client's write offset is set after every command (6.2, 7.0) or only after offset-moving ones (7.2+). */
  waitTarget: "every-command" | "offset-moving";
  /** WAIT-6 / WAIT-5: WAIT from a script; not used by the harness but kept for completeness. */
  waitInScripts: boolean;
  /** OFFSET-10: +1 to the offset when a GETACK is fed with no backlog and no replicas (7.2+). */
  noBacklogGetackPlusOne: boolean;
  /** RESTART-2: a master restarted on an RDB with repl info keeps its history (7.0+). */
  masterRestartKeepsHistory: boolean;
  /** CHAIN-5: sub-replicas are dropped on every REPLICAOF host port (6.2). */
  dropSubReplicasOnReplicaof: boolean;
  /** RO-2: PING on a stale replica with serve-stale-data no: PONG (6.2) or MASTERDOWN (7.0+); ECHO the reverse. */
  stalePingAllowed: boolean;
  /** PROFILE-4 / FULLSYNC-7: RDB version written (a replica refuses newer versions). */
  rdbVersion: number;
  /** OFFSET-12: 7.0+ master start-up propagates DELs of keys already expired in the RDB. */
  startupExpiredKeysPropagated: boolean;
  /** FULLSYNC-5: the replica output-buffer hard limit is raised to at least the backlog size (7.0+). */
  replicaLimitAtLeastBacklog: boolean;
  /** Error texts that differ per version. */
  errors: {
    waitOnReplica: string;
    /** DATA-8: 6.2 quotes the unknown command name with backticks, 7.0+ with single quotes. */
    unknownCommandQuote: "`" | "'";
  };
}

const KB16 = 16 * 1024;
const REPL_BLOCK_HEADER = 40; // sizeof(replBufBlock) in server.h (BACKLOG-3)

// BACKLOG-3: a block is allocated for min(max(len,16K), max(size/16,16K)) bytes and its capacity is
// the allocator's usable size minus the header. Allocator size classes are at most 25% apart
// (jemalloc), so 1.25x the request bounds every allocator we know of.
function blockCapacityBound(backlogSize: number): number {
  const request = Math.max(Math.floor(backlogSize / 16), KB16) + REPL_BLOCK_HEADER;
  return Math.ceil(request * 1.25) - REPL_BLOCK_HEADER;
}

const WAIT_ON_REPLICA_REDIS =
  "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.";
// WAIT-5: Valkey's text is Redis's without "since Redis 4.0".
const WAIT_ON_REPLICA_VALKEY = WAIT_ON_REPLICA_REDIS.replace("since Redis 4.0 ", "");

const redis70: Profile = {
  id: "redis-7.0",
  label: "Redis 7.0",
  backlogKind: "blocks",
  backlogResize: "trim-blocks",
  backlogInfoWithoutBacklog: "zero",
  blockCapacityMax: blockCapacityBound,
  defaults: { replBacklogSize: 1024 * 1024, replDisklessSync: true, lazyfree: false },
  setExpireForm: "pxat",
  setPxatVerbatim: false,
  doubleReply: "g17",
  expireForm: "pexpireat",
  spopCountForm: "srem-each",
  spopAllHonoursLazyfree: false,
  emptyFlushdbPropagated: true,
  wrapping: "multiple-ops",
  selectInsideMulti: false,
  waitTarget: "every-command",
  waitInScripts: false,
  noBacklogGetackPlusOne: false,
  masterRestartKeepsHistory: true,
  dropSubReplicasOnReplicaof: false,
  stalePingAllowed: false,
  rdbVersion: 10,
  startupExpiredKeysPropagated: true,
  replicaLimitAtLeastBacklog: true,
  errors: { waitOnReplica: WAIT_ON_REPLICA_REDIS, unknownCommandQuote: "'" },
};

const redis62: Profile = {
  ...redis70,
  id: "redis-6.2",
  label: "Redis 6.2",
  backlogKind: "ring",
  backlogResize: "drop-history",
  backlogInfoWithoutBacklog: "stale",
  defaults: { replBacklogSize: 1024 * 1024, replDisklessSync: false, lazyfree: false },
  setExpireForm: "px-relative",
  expireForm: "verbatim",
  emptyFlushdbPropagated: false,
  wrapping: "any-transaction",
  masterRestartKeepsHistory: false,
  dropSubReplicasOnReplicaof: true,
  stalePingAllowed: true,
  rdbVersion: 9,
  startupExpiredKeysPropagated: false,
  replicaLimitAtLeastBacklog: false,
  errors: { ...redis70.errors, unknownCommandQuote: "`" },
};

const redis72: Profile = {
  ...redis70,
  id: "redis-7.2",
  label: "Redis 7.2 / 7.4",
  spopCountForm: "srem-batch",
  spopAllHonoursLazyfree: true,
  setPxatVerbatim: true,
  doubleReply: "shortest",
  selectInsideMulti: true,
  waitTarget: "offset-moving",
  waitInScripts: true,
  noBacklogGetackPlusOne: true,
  rdbVersion: 12,
};

const valkey8: Profile = {
  ...redis72,
  id: "valkey-8",
  label: "Valkey 8",
  defaults: { replBacklogSize: 10 * 1024 * 1024, replDisklessSync: true, lazyfree: true },
  rdbVersion: 11,
  errors: { ...redis70.errors, waitOnReplica: WAIT_ON_REPLICA_VALKEY },
};

// The built-in server: Redis 7.0 semantics with a byte-exact ring that keeps the newest bytes on resize.
const builtin: Profile = {
  ...redis70,
  id: "builtin",
  label: "replcheck built-in server",
  backlogKind: "ring",
  backlogResize: "keep-newest",
};

export const PROFILES: Readonly<Record<ProfileId, Profile>> = {
  builtin,
  "redis-6.2": redis62,
  "redis-7.0": redis70,
  "redis-7.2": redis72,
  "valkey-8": valkey8,
};

export function getProfile(id: ProfileId): Profile {
  return PROFILES[id];
}

/** RDB version a given Redis release writes (PROFILE-4): 7.2 writes 11, 7.4 writes 12. */
export function rdbVersionForRelease(version: string): number | undefined {
  const [major, minor] = version.split(".").map(Number);
  if (major === 6) return 9;
  if (major === 7 && minor === 0) return 10;
  if (major === 7 && minor === 2) return 11;
  if (major === 7 && minor >= 4) return 12;
  return undefined;
}

export interface ServerIdentity {
  profile: Profile;
  /** The concrete version string the profile was chosen from. */
  version: string;
}

/** The server names no version replcheck has a profile for (PROFILE-1); `server` says what it reported. */
export class UnsupportedVersion extends Error {
  constructor(readonly server: string) {
    super(
      `unsupported server version: ${server} (replcheck has profiles for Redis 6.2, 7.0, 7.2, 7.4, Valkey 7.2 and Valkey 8)`,
    );
  }
}

/** What INFO server says the server is, for messages: "Redis 7.0.15", "Valkey 7.2.5", ... */
export function describeServerVersion(infoServer: Readonly<Record<string, string>>): string {
  if (infoServer.replcheck_version !== undefined) return `replcheck ${infoServer.replcheck_version}`;
  if (infoServer.valkey_version !== undefined) return `Valkey ${infoServer.valkey_version}`;
  if (infoServer.redis_version !== undefined) return `Redis ${infoServer.redis_version}`;
  return "a server whose INFO server has no redis_version, valkey_version or replcheck_version field";
}

/**
 * PROFILE-1: choose the profile from `INFO server` fields. A `replcheck_version` line means the
 * built-in server; `valkey_version` means Valkey (which also reports redis_version:7.2.4);
 * otherwise `redis_version` decides. Unknown versions throw UnsupportedVersion: guessing would make
 * every later verdict unreliable (the harness lets the user choose a profile instead).
 */
export function detectProfile(infoServer: Readonly<Record<string, string>>): ServerIdentity {
  if (infoServer.replcheck_version !== undefined) {
    return { profile: builtin, version: infoServer.replcheck_version };
  }
  const valkey = infoServer.valkey_version;
  if (valkey !== undefined) {
    const [major, minor] = valkey.split(".").map(Number);
    if (major === 8) return { profile: valkey8, version: valkey };
    // Valkey 7.2 is Redis 7.2.4 renamed (it reports redis_version:7.2.4): Redis 7.2's behaviour and RDB 11.
    if (major === 7 && minor === 2)
      return { profile: { ...redis72, rdbVersion: rdbVersionForRelease("7.2.4") ?? 11 }, version: `Valkey ${valkey}` };
    throw new UnsupportedVersion(describeServerVersion(infoServer));
  }
  const redis = infoServer.redis_version;
  if (redis === undefined) throw new UnsupportedVersion(describeServerVersion(infoServer));
  const [major, minor] = redis.split(".").map(Number);
  if (major === 6 && minor === 2) return { profile: redis62, version: redis };
  if (major === 7 && minor === 0) return { profile: redis70, version: redis };
  if (major === 7 && (minor === 2 || minor === 4)) {
    return { profile: { ...redis72, rdbVersion: rdbVersionForRelease(redis) ?? 12 }, version: redis };
  }
  throw new UnsupportedVersion(describeServerVersion(infoServer));
}
