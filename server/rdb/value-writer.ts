// Writes one value in the simplest encodings Redis 7.0 loads (and converts to its compact in-memory
// encodings by itself): STRING 0, LIST 1, SET 2, ZSET_2 5 (binary double scores), HASH 4.

import type { RedisValue } from "../keyspace/types.js";
import type { ChunkSink } from "./chunk-sink.js";
import { RdbType } from "./constants.js";
import { writeLength } from "./length-encoding.js";
import { writeRdbString, writeRdbStringLatin1 } from "./string-encoding.js";

/** Redis never stores empty collections (and skips them when loading), so neither do we. */
export function isEmptyValue(v: RedisValue): boolean {
  switch (v.type) {
    case "string":
      return false;
    case "list":
      return v.value.length === 0;
    default:
      return v.value.size === 0;
  }
}

export function rdbTypeOf(v: RedisValue): number {
  switch (v.type) {
    case "string":
      return RdbType.STRING;
    case "list":
      return RdbType.LIST;
    case "set":
      return RdbType.SET;
    case "zset":
      return RdbType.ZSET_2;
    case "hash":
      return RdbType.HASH;
  }
}

/** Writes the value part (after type byte and key). */
export function writeValue(sink: ChunkSink, v: RedisValue, compress: boolean): void {
  switch (v.type) {
    case "string":
      writeRdbString(sink, v.value, compress);
      return;
    case "list":
      writeLength(sink, v.value.length);
      for (const element of v.value) writeRdbString(sink, element, compress);
      return;
    case "set":
      writeLength(sink, v.value.size);
      for (const member of v.value) writeRdbStringLatin1(sink, member, compress);
      return;
    case "zset":
      writeLength(sink, v.value.size);
      for (const [member, score] of v.value) {
        // Redis refuses to load a NaN score; a NaN here is a bug upstream, not something to persist.
        if (Number.isNaN(score)) throw new Error("cannot write a sorted-set member with a NaN score");
        writeRdbStringLatin1(sink, member, compress);
        sink.f64le(score);
      }
      return;
    case "hash":
      writeLength(sink, v.value.size);
      for (const [field, value] of v.value) {
        writeRdbStringLatin1(sink, field, compress);
        writeRdbString(sink, value, compress);
      }
      return;
  }
}
