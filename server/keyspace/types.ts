// Value types of the built-in server's keyspace, shared by the command layer and the RDB codec.
//
// Keys, hash fields, set members and sorted-set members are binary strings held as JS strings in
// "latin1" form (one char per byte: Buffer.from(s, "latin1") round-trips exactly), which makes them
// cheap Map/Set keys and still binary safe. Values that are returned to clients are Buffers.

export type BinaryString = string;

export interface StringValue {
  type: "string";
  value: Buffer;
}

export interface ListValue {
  type: "list";
  /** Head first (index 0 is the LPUSH end). */
  value: Buffer[];
}

export interface HashValue {
  type: "hash";
  value: Map<BinaryString, Buffer>;
}

export interface SetValue {
  type: "set";
  value: Set<BinaryString>;
}

export interface ZSetValue {
  type: "zset";
  /** member -> score; ordering (score, then member bytes) is computed by readers. */
  value: Map<BinaryString, number>;
  /**
   * Redis would hold it as a skiplist (it outgrew zset-max-listpack-entries/value; Redis never
   * converts back). Unset: a listpack, where zzlInsertAt stores an integral score as an integer,
   * so a -0 score reads back as 0.
   */
  skiplist?: boolean;
}

/** zset-max-listpack-entries / zset-max-listpack-value (7.0 defaults; not configurable here). */
export const ZSET_MAX_LISTPACK_ENTRIES = 128;
export const ZSET_MAX_LISTPACK_VALUE = 64;

/**
 * zsetAdd() for a new member: a listpack turns into a skiplist before the insert that would
 * outgrow it. Returns the score as stored (-0 becomes 0 in a listpack).
 */
export function zsetInsertScore(z: ZSetValue, member: BinaryString, score: number): number {
  if (!z.skiplist && (z.value.size + 1 > ZSET_MAX_LISTPACK_ENTRIES || member.length > ZSET_MAX_LISTPACK_VALUE))
    z.skiplist = true;
  return z.skiplist || score !== 0 ? score : 0;
}

/** rdbLoadObject() for a ZSET/ZSET_2 value: loaded as a skiplist, made a listpack when small enough. */
export function zsetAfterLoad(z: ZSetValue): ZSetValue {
  let longest = 0;
  for (const m of z.value.keys()) if (m.length > longest) longest = m.length;
  if (z.value.size > ZSET_MAX_LISTPACK_ENTRIES || longest > ZSET_MAX_LISTPACK_VALUE) {
    z.skiplist = true;
  } else {
    for (const [m, s] of z.value) if (s === 0) z.value.set(m, 0);
  }
  return z;
}

export type RedisValue = StringValue | ListValue | HashValue | SetValue | ZSetValue;
export type RedisType = RedisValue["type"];

/** One key as stored in a database: the value and its absolute expiry (unix ms) if any. */
export interface Entry {
  value: RedisValue;
  expireAt?: number;
}

export const toBinary = (b: Buffer): BinaryString => b.toString("latin1");
export const fromBinary = (s: BinaryString): Buffer => Buffer.from(s, "latin1");
