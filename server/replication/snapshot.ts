// Point-in-time RDB snapshots of the keyspace (what Redis's fork gives it) and atomic RDB files.
// The whole dataset is encoded in one synchronous pass: the writer reads the live maps, so
// yielding to the event loop in between would mix states.

import { closeSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { RedisServer } from "../core/redis-server.js";
import { rdbChunks, type RdbReplInfo } from "../rdb/index.js";

export interface Snapshot {
  chunks: Buffer[];
  length: number;
  /** Keys written (for the rdb-key-save-delay pacing). */
  keys: number;
}

export function takeSnapshot(server: RedisServer, replInfo: RdbReplInfo | undefined): Snapshot {
  const databases = server.keyspace.dbs.map((db) => db.dict);
  const chunks: Buffer[] = [];
  let length = 0;
  const snap = {
    databases,
    ...(replInfo ? { replInfo } : {}),
    checksum: server.config.getBool("rdbchecksum"),
    compression: server.config.getBool("rdbcompression"),
    now: server.now,
    usedMem: process.memoryUsage().heapUsed,
  };
  for (const chunk of rdbChunks(snap)) {
    chunks.push(chunk);
    length += chunk.length;
  }
  let keys = 0;
  for (const db of databases) keys += db.size;
  return { chunks, length, keys };
}

/** `<dir>/<dbfilename>`, where SAVE, disk syncs and received syncs put the RDB. */
export function rdbPath(server: RedisServer): string {
  return join(server.config.getString("dir"), server.config.getString("dbfilename"));
}

let tempCounter = 0;

/**
 * An RDB file written piece by piece into a temp file of the same dir and renamed over its final
 * path at the end (rdbSave; a replica's readSyncBulkPayload writes what it receives the same way).
 */
export class AtomicFile {
  private readonly temp: string;
  private fd: number | null;

  constructor(private readonly path: string) {
    this.temp = join(dirname(path), `temp-${process.pid}-${++tempCounter}.rdb`);
    this.fd = openSync(this.temp, "w");
  }

  write(chunk: Buffer): void {
    if (this.fd === null) throw new Error("file already closed");
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off);
  }

  commit(): void {
    if (this.fd === null) throw new Error("file already closed");
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.temp, this.path);
  }

  /** Drops the temp file (an aborted transfer or a failed write). */
  discard(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    try {
      unlinkSync(this.temp);
    } catch {
      // already gone
    }
  }
}

/** Writes the chunks to a temp file in the same dir and renames it over `path` (rdbSave). */
export function writeFileAtomically(path: string, chunks: readonly Buffer[]): void {
  const file = new AtomicFile(path);
  try {
    for (const c of chunks) file.write(c);
    file.commit();
  } catch (err) {
    file.discard();
    throw err;
  }
}
