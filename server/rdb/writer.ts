// Encodes a keyspace snapshot as an RDB file of version 10, as Redis 7.0.15 writes it (rdbSaveRio):
//   "REDIS0010", AUX fields (rdbSaveInfoAuxFields order), then per non-empty db SELECTDB + RESIZEDB +
//   entries ([EXPIRETIME_MS] type key value), then EOF and the CRC-64 of everything before (zero if
//   checksums are off).
//
// rdbChunks() is a generator so a full sync can send while it encodes. It reads the maps lazily: if the
// keyspace may change between two chunks, pass a snapshot (the caller owns consistency, as Redis's fork
// does for it).

import type { Entry } from "../keyspace/types.js";
import { ChunkSink, DEFAULT_CHUNK_SIZE } from "./chunk-sink.js";
import { RDB_MAGIC, RDB_VERSION, RdbOpcode } from "./constants.js";
import { writeLength } from "./length-encoding.js";
import { writeRdbStringLatin1 } from "./string-encoding.js";
import { isEmptyValue, rdbTypeOf, writeValue } from "./value-writer.js";

export interface RdbReplInfo {
  /** The 40-character replication id. */
  replId: string;
  replOffset: number;
  /** The db the replication stream last selected (-1 if none). */
  streamDb: number;
}

export interface RdbSnapshot {
  /** Index = db number. */
  databases: ReadonlyArray<ReadonlyMap<string, Entry>>;
  /** Present when the server is a master with a backlog or a replica (rdbPopulateSaveInfo). */
  replInfo?: RdbReplInfo;
  /** rdbchecksum: when false the trailer is 8 zero bytes. */
  checksum: boolean;
  /** rdbcompression: LZF for strings longer than 20 bytes when it saves at least 4 bytes. */
  compression: boolean;
  /** Wall clock in ms, for the ctime aux field. */
  now(): number;
  /** Value of the used-mem aux field (Redis: zmalloc_used_memory()); 0 if not given. */
  usedMem?: number;
}

export const WRITER_REDIS_VERSION = "7.0.15";

function writeAux(sink: ChunkSink, key: string, value: string, compress: boolean): void {
  sink.byte(RdbOpcode.AUX);
  writeRdbStringLatin1(sink, key, compress);
  writeRdbStringLatin1(sink, value, compress);
}

function writeHeader(sink: ChunkSink, snap: RdbSnapshot): void {
  sink.ascii(RDB_MAGIC + String(RDB_VERSION).padStart(4, "0"));
  const c = snap.compression;
  writeAux(sink, "redis-ver", WRITER_REDIS_VERSION, c);
  writeAux(sink, "redis-bits", "64", c);
  writeAux(sink, "ctime", String(Math.floor(snap.now() / 1000)), c);
  writeAux(sink, "used-mem", String(Math.max(0, Math.floor(snap.usedMem ?? 0))), c);
  if (snap.replInfo) {
    writeAux(sink, "repl-stream-db", String(snap.replInfo.streamDb), c);
    writeAux(sink, "repl-id", snap.replInfo.replId, c);
    writeAux(sink, "repl-offset", String(snap.replInfo.replOffset), c);
  }
  writeAux(sink, "aof-base", "0", c);
}

function countDb(db: ReadonlyMap<string, Entry>): { keys: number; expires: number } {
  let keys = 0;
  let expires = 0;
  for (const entry of db.values()) {
    if (isEmptyValue(entry.value)) continue;
    keys++;
    if (entry.expireAt !== undefined) expires++;
  }
  return { keys, expires };
}

/** Streams the RDB encoding of `snap` in chunks of about `chunkSize` bytes (the last one may be smaller). */
export function* rdbChunks(snap: RdbSnapshot, chunkSize = DEFAULT_CHUNK_SIZE): Generator<Buffer, void, void> {
  const sink = new ChunkSink(chunkSize);
  const compress = snap.compression;
  writeHeader(sink, snap);

  for (let dbIndex = 0; dbIndex < snap.databases.length; dbIndex++) {
    const db = snap.databases[dbIndex];
    if (!db || db.size === 0) continue;
    const { keys, expires } = countDb(db);
    if (keys === 0) continue;
    sink.byte(RdbOpcode.SELECTDB);
    writeLength(sink, dbIndex);
    sink.byte(RdbOpcode.RESIZEDB);
    writeLength(sink, keys);
    writeLength(sink, expires);
    for (const [key, entry] of db) {
      const value = entry.value;
      if (isEmptyValue(value)) continue;
      if (entry.expireAt !== undefined) {
        sink.byte(RdbOpcode.EXPIRETIME_MS);
        sink.i64le(Math.trunc(entry.expireAt));
      }
      sink.byte(rdbTypeOf(value));
      writeRdbStringLatin1(sink, key, compress);
      writeValue(sink, value, compress);
      if (sink.hasReadyChunks) yield* sink.takeReady();
    }
  }

  sink.byte(RdbOpcode.EOF);
  sink.flush();
  const trailer = snap.checksum ? sink.checksumLE() : Buffer.alloc(8);
  const chunks = sink.takeReady();
  const last = chunks.pop();
  yield* chunks;
  yield last ? Buffer.concat([last, trailer]) : trailer;
}

/** The whole RDB file in one Buffer. */
export function writeRdb(snap: RdbSnapshot): Buffer {
  const chunks: Buffer[] = [];
  for (const chunk of rdbChunks(snap)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
