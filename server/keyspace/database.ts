// One numbered database: the key -> entry dictionary, the set of keys that carry a TTL (the
// equivalent of Redis' expires dict, walked by the active expiry cycle), and an insertion-order
// index that gives SCAN stable cursors: every key gets a growing sequence number when created,
// a cursor is "the next sequence number to visit", so a key present during a whole scan is
// returned exactly once whatever else is added or deleted. Always mutate through the methods.

import type { BinaryString, Entry, RedisValue } from "./types.js";

interface StoredEntry extends Entry {
  /**
   * Its slot's sequence number. Undefined for keys put in place by adopt() (an RDB load): their
   * slots are valid as long as the key maps to an entry without a seq (a key deleted and added
   * again gets a seq and a new slot), so loading does not touch every entry.
   */
  seq?: number;
}

const COMPACT_MIN_TOMBSTONES = 1024;

export class Database {
  private map = new Map<BinaryString, StoredEntry>();
  readonly volatileKeys = new Set<BinaryString>();
  /** Persistent cursor of the active expiry cycle over volatileKeys. */
  expireCursor: Iterator<BinaryString> | null = null;
  private nextSeq = 1;
  private orderKeys: (BinaryString | null)[] = [];
  private orderSeqs: number[] = [];
  private tombstones = 0;

  constructor(readonly id: number) {}

  /** Read-only view of the dictionary. */
  get dict(): ReadonlyMap<BinaryString, Entry> {
    return this.map;
  }

  get size(): number {
    return this.map.size;
  }

  /** Raw access: no expiry logic (commands go through Keyspace.lookup). */
  getRaw(key: BinaryString): Entry | undefined {
    return this.map.get(key);
  }

  /** Adds a new key with a full entry (e.g. from an RDB load); replaces an existing one. */
  add(key: BinaryString, entry: Entry): void {
    this.delete(key);
    const seq = this.nextSeq++;
    this.map.set(key, { value: entry.value, expireAt: entry.expireAt, seq });
    this.orderKeys.push(key);
    this.orderSeqs.push(seq);
    if (entry.expireAt !== undefined) this.volatileKeys.add(key);
  }

  /** Sets a key's value; the TTL is dropped unless keepTtl. */
  set(key: BinaryString, value: RedisValue, keepTtl = false): void {
    const existing = this.map.get(key);
    if (existing !== undefined) {
      existing.value = value;
      if (!keepTtl && existing.expireAt !== undefined) {
        existing.expireAt = undefined;
        this.volatileKeys.delete(key);
      }
      return;
    }
    this.add(key, { value });
  }

  setExpire(key: BinaryString, at: number): void {
    const e = this.map.get(key);
    if (e === undefined) return;
    e.expireAt = at;
    this.volatileKeys.add(key);
  }

  /** Removes the TTL; returns whether there was one. */
  persist(key: BinaryString): boolean {
    const e = this.map.get(key);
    if (e === undefined || e.expireAt === undefined) return false;
    e.expireAt = undefined;
    this.volatileKeys.delete(key);
    return true;
  }

  delete(key: BinaryString): boolean {
    const e = this.map.get(key);
    if (e === undefined) return false;
    this.map.delete(key);
    if (e.expireAt !== undefined) this.volatileKeys.delete(key);
    if (e.seq === undefined) {
      // an adopted key: its slot turns stale by itself (see StoredEntry.seq)
      this.countTombstone();
      return true;
    }
    const i = this.indexOfSeq(e.seq);
    if (i >= 0 && this.orderSeqs[i] === e.seq) {
      this.orderKeys[i] = null;
      this.countTombstone();
    }
    return true;
  }

  private countTombstone(): void {
    this.tombstones++;
    if (this.tombstones > COMPACT_MIN_TOMBSTONES && this.tombstones * 2 > this.orderKeys.length) this.compact();
  }

  /** The key of slot i if that slot still stands for a live key, else null. */
  private liveKeyAt(i: number): BinaryString | null {
    const k = this.orderKeys[i];
    if (k === null) return null;
    const e = this.map.get(k);
    if (e === undefined) return null;
    return e.seq === undefined || e.seq === this.orderSeqs[i] ? k : null;
  }

  /**
   * Replaces the whole content with `entries` (an RDB load), taking ownership of the map and of
   * its entry objects instead of inserting key by key.
   */
  adopt(entries: Map<BinaryString, Entry>): void {
    this.clear();
    const stored = entries as Map<BinaryString, StoredEntry>;
    const keys: BinaryString[] = new Array(stored.size);
    const seqs: number[] = new Array(stored.size);
    let i = 0;
    for (const [key, entry] of stored) {
      keys[i] = key;
      seqs[i++] = this.nextSeq++;
      if (entry.expireAt !== undefined) this.volatileKeys.add(key);
    }
    this.map = stored;
    this.orderKeys = keys;
    this.orderSeqs = seqs;
  }

  clear(): number {
    const n = this.map.size;
    this.map.clear();
    this.volatileKeys.clear();
    this.expireCursor = null;
    this.orderKeys = [];
    this.orderSeqs = [];
    this.tombstones = 0;
    return n;
  }

  /**
   * Visits up to `count` key slots from `cursor` (0 = start). Returns the keys found and the
   * next cursor (0 when the scan is complete).
   */
  scan(cursor: number, count: number): { keys: BinaryString[]; next: number } {
    const keys: BinaryString[] = [];
    let i = cursor <= 0 ? 0 : this.indexOfSeq(cursor);
    let visited = 0;
    while (i < this.orderKeys.length && visited < count) {
      const k = this.liveKeyAt(i);
      if (k !== null) {
        keys.push(k);
        visited++;
      }
      i++;
    }
    while (i < this.orderKeys.length && this.liveKeyAt(i) === null) i++;
    return { keys, next: i < this.orderKeys.length ? this.orderSeqs[i] : 0 };
  }

  /** First index whose sequence number is >= seq. */
  private indexOfSeq(seq: number): number {
    let lo = 0;
    let hi = this.orderSeqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.orderSeqs[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compact(): void {
    const keys: BinaryString[] = [];
    const seqs: number[] = [];
    for (let i = 0; i < this.orderKeys.length; i++) {
      const k = this.liveKeyAt(i);
      if (k !== null) {
        keys.push(k);
        seqs.push(this.orderSeqs[i]);
      }
    }
    this.orderKeys = keys;
    this.orderSeqs = seqs;
    this.tombstones = 0;
  }
}
