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
