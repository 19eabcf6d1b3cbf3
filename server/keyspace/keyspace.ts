// All databases plus the expiry rules of Redis 7.0 db.c (lookupKey / expireIfNeeded):
// on a master an expired key found by any lookup is deleted and the deletion reported (it is
// propagated as DEL/UNLINK); in replica mode expired keys are only hidden from normal clients,
// are still visible to the master link, and are deleted only by writes on a writable replica.

import { Database } from "./database.js";
import type { BinaryString, Entry } from "./types.js";

export type ExpiryMode = "master" | "replica";

export interface LookupOptions {
  /** LOOKUP_WRITE: a write command is looking the key up. */
  write: boolean;
  /** The command comes from the master link (it sees keys the replica considers expired). */
  fromMaster: boolean;
}

export interface KeyspaceHooks {
  now(): number;
  /** An expired key was deleted on a master (lazy or active): propagate and count it. */
  onExpiredDelete(db: Database, key: BinaryString): void;
  /** replica-read-only: a read-only replica never deletes expired keys, even on writes. */
  replicaReadOnly(): boolean;
}

export class Keyspace {
  readonly dbs: Database[];
  mode: ExpiryMode = "master";

  constructor(
    count: number,
    private readonly hooks: KeyspaceHooks,
  ) {
    this.dbs = [];
    for (let i = 0; i < count; i++) this.dbs.push(new Database(i));
  }

  isExpired(entry: Entry, now: number): boolean {
    return entry.expireAt !== undefined && entry.expireAt <= now;
  }

  /**
   * Finds a live key. Returns undefined when the key is missing or logically expired,
   * deleting it when the rules above say so.
   */
  lookup(db: Database, key: BinaryString, now: number, opts: LookupOptions): Entry | undefined {
    const entry = db.dict.get(key);
    if (entry === undefined) return undefined;
    if (entry.expireAt === undefined || entry.expireAt > now) return entry;
    if (this.mode === "replica") {
      if (opts.fromMaster) return entry;
      if (!(opts.write && !this.hooks.replicaReadOnly())) return undefined;
    }
    this.deleteExpired(db, key);
    return undefined;
  }

  /** Deletes an expired key and reports it (DEL propagation and the expired_keys counter). */
  deleteExpired(db: Database, key: BinaryString): void {
    db.delete(key);
    this.hooks.onExpiredDelete(db, key);
  }

  /** Sum of keys over all databases. */
  totalKeys(): number {
    let n = 0;
    for (const db of this.dbs) n += db.size;
    return n;
  }
}
