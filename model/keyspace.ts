// The model's dataset: several independent databases (DATA-5) of immutable values. A node's dataset is cloned per step
// (only the maps are copied; values are never mutated in place).

export type MValue =
  | { type: "string"; value: string }
  | { type: "list"; value: readonly string[] }
  | { type: "hash"; value: ReadonlyMap<string, string> }
  | { type: "set"; value: ReadonlySet<string> }
  | { type: "zset"; value: ReadonlyMap<string, number> };

export type MType = MValue["type"];

export interface MEntry {
  value: MValue;
  /** Absolute expiry in unix ms (DATA-7); the model only creates expiries in the far future. */
  expireAt?: number;
}

/** A canonical, comparable description of one key (what a dataset digest holds). */
export interface KeyDigest {
  type: MType;
  /** string: the value; list: items in order; hash: sorted [field, value] pairs; set: sorted members; zset: [member, score] by score then member. */
  value: string | string[] | [string, string][] | [string, number][];
  hasExpiry: boolean;
}

export type DatasetDigest = Record<number, Record<string, KeyDigest>>;

export class Dataset {
  private constructor(private readonly dbs: Map<number, Map<string, MEntry>>) {}

  static empty(): Dataset {
    return new Dataset(new Map());
  }

  clone(): Dataset {
    const copy = new Map<number, Map<string, MEntry>>();
    for (const [db, keys] of this.dbs) copy.set(db, new Map(keys));
    return new Dataset(copy);
  }

  get(db: number, key: string): MEntry | undefined {
    return this.dbs.get(db)?.get(key);
  }

  set(db: number, key: string, entry: MEntry): void {
    let keys = this.dbs.get(db);
    if (keys === undefined) {
      keys = new Map();
      this.dbs.set(db, keys);
    }
    keys.set(key, entry);
  }

  delete(db: number, key: string): boolean {
    const keys = this.dbs.get(db);
    if (keys === undefined || !keys.delete(key)) return false;
    if (keys.size === 0) this.dbs.delete(db);
    return true;
  }

  size(db: number): number {
    return this.dbs.get(db)?.size ?? 0;
  }

  totalKeys(): number {
    let n = 0;
    for (const keys of this.dbs.values()) n += keys.size;
    return n;
  }

  flushdb(db: number): number {
    const n = this.size(db);
    this.dbs.delete(db);
    return n;
  }

  flushall(): number {
    const n = this.totalKeys();
    this.dbs.clear();
    return n;
  }

  keys(db: number): string[] {
    return [...(this.dbs.get(db)?.keys() ?? [])];
  }

  /** Databases that hold at least one key, ascending. */
  databases(): number[] {
    return [...this.dbs.keys()].sort((a, b) => a - b);
  }

  digest(): DatasetDigest {
    const out: DatasetDigest = {};
    for (const db of this.databases()) {
      const keys: Record<string, KeyDigest> = {};
      for (const key of this.keys(db).sort(compareBinary)) keys[key] = digestEntry(this.get(db, key)!);
      out[db] = keys;
    }
    return out;
  }

  equals(other: Dataset): boolean {
    return datasetDigestEquals(this.digest(), other.digest());
  }
}

/** Byte order of binary strings (memcmp): code-unit order is byte order for the ASCII/latin1 keys the harness uses. */
export function compareBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedZset(z: ReadonlyMap<string, number>): [string, number][] {
  return [...z].sort((a, b) => a[1] - b[1] || compareBinary(a[0], b[0]));
}

export function digestEntry(e: MEntry): KeyDigest {
  const v = e.value;
  const hasExpiry = e.expireAt !== undefined;
  switch (v.type) {
    case "string":
      return { type: "string", value: v.value, hasExpiry };
    case "list":
      return { type: "list", value: [...v.value], hasExpiry };
    case "hash":
      return { type: "hash", value: [...v.value].sort((a, b) => compareBinary(a[0], b[0])), hasExpiry };
    case "set":
      return { type: "set", value: [...v.value].sort(compareBinary), hasExpiry };
    case "zset":
      return { type: "zset", value: sortedZset(v.value), hasExpiry };
  }
}

export function datasetDigestEquals(a: DatasetDigest, b: DatasetDigest): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
