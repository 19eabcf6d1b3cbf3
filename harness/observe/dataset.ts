// A node's dataset as a digest in exactly the shape of the model's Dataset.digest()
// (model/keyspace.ts): dbs ascending, keys in byte order, hash pairs by field, set members sorted,
// zset by score then member, and each key's properties in the order type, value, hasExpiry, so
// that the model's JSON-based comparison (datasetDigestEquals) holds for equal datasets.
// Portable: SCAN + TYPE + type-aware reads + PTTL; no DEBUG (disabled by default since 7.0).

import type { Redis } from "ioredis";
import { compareBinary, sortedZset, type DatasetDigest, type KeyDigest } from "../../model/keyspace.js";
import { createAdminClient } from "../client.js";
import { keyspaceCounts, parseInfo } from "./info.js";
import { ObservationError } from "./node.js";

export interface DigestOptions {
  /** SCAN COUNT hint (default 200). */
  scanCount?: number;
  /** Keys read per pipelined round trip (default 200). */
  batchSize?: number;
}

/**
 * Reads every db INFO keyspace lists. Uses its own connection to the client's node (closed at the
 * end), so SELECT never changes the db of a connection anyone else uses. Keys that vanish between
 * SCAN and the reads are left out; the dataset is expected to be quiescent at a checkpoint.
 * Strings are read as UTF-8, like the harness writes them.
 */
export async function datasetDigest(client: Redis, options: DigestOptions = {}): Promise<DatasetDigest> {
  const host = client.options.host ?? "127.0.0.1";
  const port = client.options.port ?? 6379;
  const conn = await createAdminClient({
    host,
    port,
    commandTimeoutMs: client.options.commandTimeout ?? 5000,
    connectionName: "replcheck-digest",
  });
  try {
    const dbs = Object.keys(keyspaceCounts(parseInfo(String(await conn.call("INFO", "keyspace")))))
      .map(Number)
      .sort((a, b) => a - b);
    const digest: DatasetDigest = {};
    for (const db of dbs) {
      await conn.call("SELECT", String(db));
      const keys = await digestDb(conn, options);
      if (Object.keys(keys).length > 0) digest[db] = keys;
    }
    await conn.call("SELECT", "0");
    return digest;
  } finally {
    conn.disconnect();
  }
}

async function digestDb(conn: Redis, options: DigestOptions): Promise<Record<string, KeyDigest>> {
  const names = [...(await scanAll(conn, options.scanCount ?? 200))].sort(compareBinary);
  const out: Record<string, KeyDigest> = {};
  const batch = options.batchSize ?? 200;
  for (let i = 0; i < names.length; i += batch) {
    const chunk = names.slice(i, i + batch);
    const meta = await exec(
      conn,
      chunk.flatMap((k) => [
        ["TYPE", k],
        ["PTTL", k],
      ]),
    );
    const present: { key: string; type: KeyDigest["type"]; pttl: number }[] = [];
    chunk.forEach((key, j) => {
      const type = String(meta[2 * j]);
      const pttl = Number(meta[2 * j + 1]);
      // -2: the key is gone (type "none"); skip it rather than report a key that no longer exists.
      if (type === "none" || pttl === -2) return;
      present.push({ key, type: digestType(type, key), pttl });
    });
    const values = await exec(
      conn,
      present.map(({ key, type }) => readCommand(type, key)),
    );
    present.forEach(({ key, type, pttl }, j) => {
      // Same property order as model/keyspace.ts digestEntry.
      out[key] = { type, value: digestValue(type, values[j]), hasExpiry: pttl >= 0 };
    });
  }
  return out;
}

async function scanAll(conn: Redis, count: number): Promise<Set<string>> {
  // SCAN may return a key more than once: collect into a set.
  const keys = new Set<string>();
  let cursor = "0";
  do {
    const [next, batch] = (await conn.call("SCAN", cursor, "COUNT", String(count))) as [string, string[]];
    for (const k of batch) keys.add(k);
    cursor = next;
  } while (cursor !== "0");
  return keys;
}

async function exec(conn: Redis, commands: string[][]): Promise<unknown[]> {
  if (commands.length === 0) return [];
  const pipeline = conn.pipeline();
  for (const [name, ...args] of commands) pipeline.call(name, ...args);
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value], i) => {
    if (error) throw new ObservationError(`dataset digest: ${commands[i].join(" ")} failed: ${error.message}`);
    return value;
  });
}

function digestType(type: string, key: string): KeyDigest["type"] {
  if (type === "string" || type === "list" || type === "hash" || type === "set" || type === "zset") return type;
  throw new ObservationError(
    `dataset digest: key ${JSON.stringify(key)} has type ${type}, which replcheck does not model`,
  );
}

function readCommand(type: KeyDigest["type"], key: string): string[] {
  switch (type) {
    case "string":
      return ["GET", key];
    case "list":
      return ["LRANGE", key, "0", "-1"];
    case "hash":
      return ["HGETALL", key];
    case "set":
      return ["SMEMBERS", key];
    case "zset":
      return ["ZRANGE", key, "0", "-1", "WITHSCORES"];
  }
}

function digestValue(type: KeyDigest["type"], reply: unknown): KeyDigest["value"] {
  switch (type) {
    case "string":
      return String(reply);
    case "list":
      return (reply as string[]).map(String);
    case "hash": {
      // ioredis turns HGETALL into an object; a flat array is accepted too.
      const pairs: [string, string][] = Array.isArray(reply)
        ? pairsOf(reply as string[])
        : Object.entries(reply as Record<string, string>).map(([f, v]) => [f, String(v)]);
      return pairs.sort((a, b) => compareBinary(a[0], b[0]));
    }
    case "set":
      return (reply as string[]).map(String).sort(compareBinary);
    case "zset":
      return sortedZset(new Map(pairsOf(reply as string[]).map(([m, s]) => [m, parseScore(s)])));
  }
}

function pairsOf(flat: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([String(flat[i]), String(flat[i + 1])]);
  return out;
}

/** A score as Redis prints it ("1.5", "-0", "inf", "-inf", "1e+300"). */
export function parseScore(text: string): number {
  const t = text.toLowerCase();
  if (t === "inf" || t === "+inf") return Infinity;
  if (t === "-inf") return -Infinity;
  const n = Number(text);
  if (Number.isNaN(n)) throw new ObservationError(`dataset digest: score ${JSON.stringify(text)} is not a number`);
  return n;
}
