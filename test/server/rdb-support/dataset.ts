// Dataset comparison for the RDB tests: a canonical, order-independent text form of a keyspace, and a
// reader that fetches a live server's whole keyspace through a binary-safe client.

import type { Redis } from "ioredis";
import type { Entry, RedisValue } from "../../../server/keyspace/types.js";

const hex = (b: Buffer | string): string => (typeof b === "string" ? Buffer.from(b, "latin1") : b).toString("hex");

const scoreText = (s: number, keepNegativeZero: boolean): string =>
  keepNegativeZero && Object.is(s, -0) ? "-0" : String(s);

function valueText(v: RedisValue, keepNegativeZero: boolean): string {
  switch (v.type) {
    case "string":
      return hex(v.value);
    case "list":
      return v.value.map(hex).join(",");
    case "set":
      return [...v.value].map(hex).sort().join(",");
    case "zset":
      return [...v.value]
        .map(([m, s]) => `${hex(m)}=${scoreText(s, keepNegativeZero)}`)
        .sort()
        .join(",");
    case "hash":
      return [...v.value]
        .map(([f, x]) => `${hex(f)}=${hex(x)}`)
        .sort()
        .join(",");
  }
}

function isEmpty(v: RedisValue): boolean {
  if (v.type === "string") return false;
  if (v.type === "list") return v.value.length === 0;
  return v.value.size === 0;
}

type Databases = ReadonlyArray<ReadonlyMap<string, Entry>> | ReadonlyMap<number, ReadonlyMap<string, Entry>>;

/**
 * One sorted line per key: db, key, type, expiry, value. Empty collections are left out (Redis drops
 * them). Scores keep the sign of zero unless `keepNegativeZero` is false: Redis itself turns a -0 score
 * into 0 when it converts a small sorted set to a listpack after loading, so live comparisons pass false.
 */
export function canonicalLines(databases: Databases, keepNegativeZero = true): string[] {
  const lines: string[] = [];
  const entries: Array<[number, ReadonlyMap<string, Entry>]> = Array.isArray(databases)
    ? (databases as ReadonlyArray<ReadonlyMap<string, Entry>>).map(
        (db, i) => [i, db] as [number, ReadonlyMap<string, Entry>],
      )
    : [...(databases as ReadonlyMap<number, ReadonlyMap<string, Entry>>)];
  for (const [index, db] of entries) {
    for (const [key, entry] of db) {
      if (isEmpty(entry.value)) continue;
      lines.push(
        `${index} ${hex(key)} ${entry.value.type} ${entry.expireAt ?? "-"} ${valueText(entry.value, keepNegativeZero)}`,
      );
    }
  }
  return lines.sort();
}

function parseRedisScore(b: Buffer): number {
  const t = b.toString("latin1");
  if (t === "inf" || t === "+inf") return Infinity;
  if (t === "-inf") return -Infinity;
  return Number(t);
}

/** Reads every key of dbs 0..dbCount-1 through the client, binary safe, with its expiry. */
export async function fetchKeyspace(client: Redis, dbCount = 16): Promise<Map<number, Map<string, Entry>>> {
  const result = new Map<number, Map<string, Entry>>();
  for (let dbIndex = 0; dbIndex < dbCount; dbIndex++) {
    await client.select(dbIndex);
    const db = new Map<string, Entry>();
    let cursor = "0";
    do {
      const [next, keys] = (await client.callBuffer("SCAN", cursor, "COUNT", "1000")) as [Buffer, Buffer[]];
      cursor = next.toString();
      for (const keyBuf of keys) {
        const key = keyBuf.toString("latin1");
        const type = String(await client.call("TYPE", keyBuf));
        let value: RedisValue;
        if (type === "string") {
          value = { type: "string", value: (await client.callBuffer("GET", keyBuf)) as Buffer };
        } else if (type === "list") {
          value = { type: "list", value: (await client.callBuffer("LRANGE", keyBuf, "0", "-1")) as Buffer[] };
        } else if (type === "set") {
          const members = (await client.callBuffer("SMEMBERS", keyBuf)) as Buffer[];
          value = { type: "set", value: new Set(members.map((m) => m.toString("latin1"))) };
        } else if (type === "zset") {
          // RESP3 (ioredis 6 default) answers [member, score] pairs, RESP2 a flat list.
          const reply = (await client.callBuffer("ZRANGE", keyBuf, "0", "-1", "WITHSCORES")) as Array<
            Buffer | Buffer[]
          >;
          const flat = reply.flat();
          const zset = new Map<string, number>();
          for (let i = 0; i < flat.length; i += 2) zset.set(flat[i].toString("latin1"), parseRedisScore(flat[i + 1]));
          value = { type: "zset", value: zset };
        } else if (type === "hash") {
          const flat = ((await client.callBuffer("HGETALL", keyBuf)) as Array<Buffer | Buffer[]>).flat();
          const hash = new Map<string, Buffer>();
          for (let i = 0; i < flat.length; i += 2) hash.set(flat[i].toString("latin1"), flat[i + 1]);
          value = { type: "hash", value: hash };
        } else {
          throw new Error(`fetchKeyspace: unexpected type ${type}`);
        }
        const pexpire = Number(await client.call("PEXPIRETIME", keyBuf));
        db.set(key, pexpire >= 0 ? { value, expireAt: pexpire } : { value });
      }
    } while (cursor !== "0");
    if (db.size > 0) result.set(dbIndex, db);
  }
  await client.select(0);
  return result;
}
