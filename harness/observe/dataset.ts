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
import { ioredisPipe, type CommandPipe } from "./pipe.js";

export interface DigestOptions {
  /** SCAN COUNT hint (default 200). */
  scanCount?: number;
  /** Keys read per pipelined round trip (default 200). */
  batchSize?: number;
}

/**
 * Reads every db INFO keyspace lists. `client` is the cluster's observer connection (a batch per
 * round trip over all dbs: INFO keyspace, SCAN, TYPE + PTTL, reads; it ends on db 0) or an ioredis
 * client, whose node gets a connection of its own for the digest (closed at the end), so SELECT
 * never changes the db of a connection anyone else uses. Keys that vanish between SCAN and the
 * reads are left out; the dataset is expected to be quiescent at a checkpoint. Strings are read as
 * UTF-8, like the harness writes them.
 */
export async function datasetDigest(client: Redis | CommandPipe, options: DigestOptions = {}): Promise<DatasetDigest> {
  if ("batch" in client) return digestVia(client, options, DIGEST_TIMEOUT_MS);
  const timeoutMs = client.options.commandTimeout ?? DIGEST_TIMEOUT_MS;
  const conn = await createAdminClient({
    host: client.options.host ?? "127.0.0.1",
    port: client.options.port ?? 6379,
    commandTimeoutMs: timeoutMs,
    connectionName: "replcheck-digest",
  });
  try {
    return await digestVia(ioredisPipe(conn), options, timeoutMs);
  } finally {
    conn.disconnect();
  }
}

const DIGEST_TIMEOUT_MS = 5000;

interface DbKeys {
  db: number;
  cursor: string;
  keys: Set<string>;
}

async function digestVia(pipe: CommandPipe, options: DigestOptions, timeoutMs: number): Promise<DatasetDigest> {
  const run = (commands: string[][] | SelectBatch) => exec(pipe, commands, timeoutMs);
  // The first round trip also scans db 0 (where most keys live), from a known db whatever an
  // earlier failed digest left selected.
  const count = String(options.scanCount ?? 200);
  const [, keyspace, firstScan] = await run([
    ["SELECT", "0"],
    ["INFO", "keyspace"],
    ["SCAN", "0", "COUNT", count],
  ]);
  const dbs: DbKeys[] = Object.keys(keyspaceCounts(parseInfo(String(keyspace))))
    .map(Number)
    .sort((a, b) => a - b)
    .map((db) => ({ db, cursor: "0", keys: new Set<string>() }));
  const scanned = (d: DbKeys, reply: unknown) => {
    const [next, batch] = reply as [string, string[]];
    for (const k of batch) d.keys.add(k);
    d.cursor = next;
  };
  let scanning = dbs;
  if (dbs[0]?.db === 0) {
    scanned(dbs[0], firstScan);
    scanning = dbs.slice(1).concat(dbs[0].cursor === "0" ? [] : [dbs[0]]);
  }
  // SCAN every other db at once, round after round until each cursor is back at 0 (a key may come twice: a set).
  for (; scanning.length > 0; scanning = scanning.filter((d) => d.cursor !== "0")) {
    const replies = await run(
      scanning.flatMap((d) => [
        ["SELECT", String(d.db)],
        ["SCAN", d.cursor, "COUNT", count],
      ]),
    );
    scanning.forEach((d, i) => {
      scanned(d, replies[2 * i + 1]);
    });
  }
  const all = dbs.flatMap(({ db, keys }) => [...keys].sort(compareBinary).map((key) => ({ db, key })));
  const digest: DatasetDigest = {};
  const batch = options.batchSize ?? 200;
  for (let i = 0; i < all.length; i += batch) {
    const chunk = all.slice(i, i + batch);
    const meta = await run(
      withSelects(chunk, ({ key }) => [
        ["TYPE", key],
        ["PTTL", key],
      ]),
    );
    const present: { db: number; key: string; type: KeyDigest["type"]; pttl: number }[] = [];
    chunk.forEach(({ db, key }, j) => {
      const type = String(meta[2 * j]);
      const pttl = Number(meta[2 * j + 1]);
      // -2: the key is gone (type "none"); skip it rather than report a key that no longer exists.
      if (type === "none" || pttl === -2) return;
      present.push({ db, key, type: digestType(type, key), pttl });
    });
    const reads = withSelects(present, ({ key, type }) => [readCommand(type, key)]);
    // The connection ends on db 0 (in the last round trip: no extra one for it).
    if (i + batch >= all.length) {
      reads.selects.add(reads.commands.length);
      reads.commands.push(["SELECT", "0"]);
    }
    const values = await run(reads);
    present.forEach(({ db, key, type, pttl }, j) => {
      // Same property order as model/keyspace.ts digestEntry.
      const keys = digest[db] ?? {};
      keys[key] = { type, value: digestValue(type, values[j]), hasExpiry: pttl >= 0 };
      digest[db] = keys;
    });
  }
  if (all.length === 0) await run([["SELECT", "0"]]);
  return digest;
}

/**
 * The commands of `items` in order, each run of one db preceded by its SELECT; the replies come
 * back without the SELECTs' (so they line up with the items' commands).
 */
function withSelects<T extends { db: number }>(items: readonly T[], commands: (item: T) => string[][]): SelectBatch {
  const out: string[][] = [];
  const selects = new Set<number>();
  let db: number | undefined;
  for (const item of items) {
    if (item.db !== db) {
      db = item.db;
      selects.add(out.length);
      out.push(["SELECT", String(db)]);
    }
    out.push(...commands(item));
  }
  return { commands: out, selects };
}

interface SelectBatch {
  commands: string[][];
  /** Positions of the SELECTs, whose replies are dropped. */
  selects: Set<number>;
}

async function exec(pipe: CommandPipe, batch: string[][] | SelectBatch, timeoutMs: number): Promise<unknown[]> {
  const { commands, selects } = Array.isArray(batch) ? { commands: batch, selects: new Set<number>() } : batch;
  if (commands.length === 0) return [];
  let results: unknown[];
  try {
    results = await pipe.batch(commands, timeoutMs);
  } catch (e) {
    throw new ObservationError(`dataset digest of ${pipe.address}: ${(e as Error).message}`);
  }
  return results.flatMap((value, i) => {
    if (value instanceof Error)
      throw new ObservationError(`dataset digest: ${commands[i].join(" ")} failed: ${value.message}`);
    return selects.has(i) ? [] : [value];
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
