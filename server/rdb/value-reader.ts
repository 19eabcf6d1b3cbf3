// Reads one value of a given RDB object type (rdbLoadObject) into the keyspace's value types. Covers
// every string/list/set/zset/hash encoding Redis 2.x..7.0 writes; streams and module values are refused.
// Returns null for an empty collection, which Redis also skips on load.

import {
  zsetAfterLoad,
  ZSET_MAX_LISTPACK_ENTRIES,
  type HashValue,
  type ListValue,
  type RedisValue,
  type SetValue,
  type ZSetValue,
} from "../keyspace/types.js";
import type { ByteCursor } from "./byte-cursor.js";
import { QuicklistContainer, RdbType } from "./constants.js";
import { readBinaryDouble, readTextDouble, parseScoreText } from "./double-encoding.js";
import { parseIntset } from "./intset.js";
import { readLength } from "./length-encoding.js";
import { parseListpack } from "./listpack.js";
import { readRdbString, readRdbStringLatin1, readRdbStringView } from "./string-encoding.js";
import { parseZiplist } from "./ziplist.js";
import { parseZipmap } from "./zipmap.js";

const UNSUPPORTED: Record<number, string> = {
  [RdbType.MODULE_PRE_GA]: "module value",
  [RdbType.MODULE_2]: "module value",
  [RdbType.STREAM_LISTPACKS]: "stream",
  [RdbType.STREAM_LISTPACKS_2]: "stream",
  [RdbType.STREAM_LISTPACKS_3]: "stream",
};

/** True if `type` is an object type byte (as opposed to an opcode or garbage) this reader can load. */
export function isLoadableType(type: number): boolean {
  return (type >= RdbType.STRING && type <= RdbType.ZSET_2) || (type >= 9 && type <= 20 && type !== 15 && type !== 19);
}

export function describeUnloadableType(type: number): string {
  const kind = UNSUPPORTED[type];
  return kind ? `unsupported type ${type} (${kind})` : `unknown type ${type}`;
}

class CollectionBuilder {
  constructor(
    private readonly cur: ByteCursor,
    private readonly at: number,
  ) {}

  duplicate(what: string): never {
    return this.cur.fail(`duplicate ${what} in a collection`, this.at);
  }

  addMember(set: Set<string>, member: string): void {
    const before = set.size;
    set.add(member);
    if (set.size === before) this.duplicate("set member");
  }

  addField(hash: Map<string, Buffer>, field: string, value: Buffer): void {
    if (hash.has(field)) this.duplicate("hash field");
    hash.set(field, value);
  }

  addScore(zset: Map<string, number>, member: string, score: number): void {
    if (Number.isNaN(score)) this.cur.fail("sorted-set score is not a number", this.at);
    if (zset.has(member)) this.duplicate("sorted-set member");
    zset.set(member, score);
  }

  pairs(entries: Buffer[], what: string): void {
    if (entries.length % 2 !== 0) this.cur.fail(`${what} has an odd number of entries`, this.at);
  }
}

function listFromBlobEntries(entries: Buffer[]): Buffer[] {
  return entries.map((e) => Buffer.from(e));
}

function hashFromPairs(b: CollectionBuilder, entries: Buffer[]): HashValue {
  b.pairs(entries, "hash blob");
  const hash = new Map<string, Buffer>();
  for (let i = 0; i < entries.length; i += 2) {
    b.addField(hash, entries[i].toString("latin1"), Buffer.from(entries[i + 1]));
  }
  return { type: "hash", value: hash };
}

function zsetFromPairs(b: CollectionBuilder, entries: Buffer[]): ZSetValue {
  b.pairs(entries, "sorted-set blob");
  const zset = new Map<string, number>();
  for (let i = 0; i < entries.length; i += 2) {
    b.addScore(zset, entries[i].toString("latin1"), parseScoreText(entries[i + 1].toString("latin1")));
  }
  // RDB_TYPE_ZSET_ZIPLIST / _LISTPACK: loaded as they are; converted when over the entry limit
  return { type: "zset", value: zset, ...(zset.size > ZSET_MAX_LISTPACK_ENTRIES ? { skiplist: true } : {}) };
}

function readQuicklist(cur: ByteCursor, type: number): ListValue {
  const nodes = readLength(cur, "the quicklist node count");
  const list: Buffer[] = [];
  for (let i = 0; i < nodes; i++) {
    let container: number = QuicklistContainer.PACKED;
    if (type === RdbType.LIST_QUICKLIST_2) {
      const at = cur.pos;
      container = readLength(cur, "a quicklist node container");
      if (container !== QuicklistContainer.PACKED && container !== QuicklistContainer.PLAIN) {
        cur.fail(`invalid quicklist node container ${container}`, at);
      }
    }
    const at = cur.pos;
    const blob = readRdbStringView(cur, "a quicklist node");
    if (blob.length === 0) cur.fail("empty quicklist node", at);
    if (container === QuicklistContainer.PLAIN) {
      list.push(Buffer.from(blob));
      continue;
    }
    const entries = type === RdbType.LIST_QUICKLIST_2 ? parseListpack(blob, at) : parseZiplist(blob, at);
    for (const e of entries) list.push(Buffer.from(e));
  }
  return { type: "list", value: list };
}

function readBlobValue(cur: ByteCursor, type: number, b: CollectionBuilder): RedisValue {
  const at = cur.pos;
  const blob = readRdbStringView(cur, "an encoded value");
  switch (type) {
    case RdbType.HASH_ZIPMAP: {
      const hash = new Map<string, Buffer>();
      for (const [f, v] of parseZipmap(blob, at)) b.addField(hash, f.toString("latin1"), Buffer.from(v));
      return { type: "hash", value: hash };
    }
    case RdbType.LIST_ZIPLIST:
      return { type: "list", value: listFromBlobEntries(parseZiplist(blob, at)) };
    case RdbType.SET_INTSET: {
      const set = new Set<string>();
      for (const m of parseIntset(blob, at)) b.addMember(set, m);
      return { type: "set", value: set };
    }
    case RdbType.SET_LISTPACK: {
      const set = new Set<string>();
      for (const m of parseListpack(blob, at)) b.addMember(set, m.toString("latin1"));
      return { type: "set", value: set };
    }
    case RdbType.ZSET_ZIPLIST:
      return zsetFromPairs(b, parseZiplist(blob, at));
    case RdbType.ZSET_LISTPACK:
      return zsetFromPairs(b, parseListpack(blob, at));
    case RdbType.HASH_ZIPLIST:
      return hashFromPairs(b, parseZiplist(blob, at));
    case RdbType.HASH_LISTPACK:
      return hashFromPairs(b, parseListpack(blob, at));
    default:
      return cur.fail(describeUnloadableType(type), at);
  }
}

function isEmpty(v: RedisValue): boolean {
  if (v.type === "string") return false;
  if (v.type === "list") return v.value.length === 0;
  return v.value.size === 0;
}

/** Reads the value of object type `type` (the key has been read already). */
export function readValue(cur: ByteCursor, type: number): RedisValue | null {
  if (type === RdbType.STRING) return { type: "string", value: readRdbString(cur, "a string value") };
  const at = cur.pos;
  const b = new CollectionBuilder(cur, at);
  let value: RedisValue;
  switch (type) {
    case RdbType.LIST: {
      const n = readLength(cur, "the list length");
      const list: Buffer[] = [];
      for (let i = 0; i < n; i++) list.push(readRdbString(cur, "a list element"));
      value = { type: "list", value: list };
      break;
    }
    case RdbType.SET: {
      const n = readLength(cur, "the set size");
      const set: SetValue = { type: "set", value: new Set() };
      for (let i = 0; i < n; i++) b.addMember(set.value, readRdbStringLatin1(cur, "a set member"));
      value = set;
      break;
    }
    case RdbType.ZSET:
    case RdbType.ZSET_2: {
      const n = readLength(cur, "the sorted-set size");
      const zset: ZSetValue = { type: "zset", value: new Map() };
      for (let i = 0; i < n; i++) {
        const member = readRdbStringLatin1(cur, "a sorted-set member");
        const score = type === RdbType.ZSET_2 ? readBinaryDouble(cur, "a score") : readTextDouble(cur, "a score");
        b.addScore(zset.value, member, score);
      }
      value = zsetAfterLoad(zset);
      break;
    }
    case RdbType.HASH: {
      const n = readLength(cur, "the hash size");
      const hash: HashValue = { type: "hash", value: new Map() };
      for (let i = 0; i < n; i++) {
        const field = readRdbStringLatin1(cur, "a hash field");
        b.addField(hash.value, field, readRdbString(cur, "a hash value"));
      }
      value = hash;
      break;
    }
    case RdbType.LIST_QUICKLIST:
    case RdbType.LIST_QUICKLIST_2:
      value = readQuicklist(cur, type);
      break;
    default:
      if (!isLoadableType(type)) return cur.fail(describeUnloadableType(type), at - 1);
      value = readBlobValue(cur, type, b);
  }
  return isEmpty(value) ? null : value;
}
