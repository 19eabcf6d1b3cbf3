// RDB format numbers as defined by Redis 7.0 (src/rdb.h). Names follow Redis's so the source can be cross-read.

/** The RDB version this project writes and the newest it accepts (Redis 7.0). */
export const RDB_VERSION = 10;

/** Object type bytes that precede a key. */
export const RdbType = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  MODULE_PRE_GA: 6,
  MODULE_2: 7,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
  SET_LISTPACK: 20,
  STREAM_LISTPACKS_3: 21,
} as const;

/** Opcodes that share the type byte position but are not keys. */
export const RdbOpcode = {
  FUNCTION2: 0xf5,
  FUNCTION_PRE_GA: 0xf6,
  MODULE_AUX: 0xf7,
  IDLE: 0xf8,
  FREQ: 0xf9,
  AUX: 0xfa,
  RESIZEDB: 0xfb,
  EXPIRETIME_MS: 0xfc,
  EXPIRETIME: 0xfd,
  SELECTDB: 0xfe,
  EOF: 0xff,
} as const;

/** Special string encodings, signalled by a length byte whose two top bits are 11. */
export const RdbStringEncoding = {
  INT8: 0,
  INT16: 1,
  INT32: 2,
  LZF: 3,
} as const;

/** Quicklist node containers in RDB_TYPE_LIST_QUICKLIST_2. */
export const QuicklistContainer = {
  PLAIN: 1,
  PACKED: 2,
} as const;

/** The magic prefix every RDB file starts with, followed by a 4-digit version. */
export const RDB_MAGIC = "REDIS";
