// RDB transfer across kinds, both ways: a full sync from a real redis-server 7.0 master to a
// built-in replica, and from a built-in master to a real redis-server replica, disk-based and
// diskless, with every data type the scenario generator draws in every encoding Redis 7.0 writes
// (mixed-rdb-dataset.ts). The replica must hold exactly the master's dataset, byte for byte, with
// each key's absolute expiry. A mixed target (harness/targets/mixed.ts) depends on this.

import type { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createAdminClient } from "../../harness/client.js";
import { infoField } from "../../harness/observe/index.js";
import { createBinaryTarget } from "../../harness/targets/binary.js";
import { createBuiltinTarget } from "../../harness/targets/builtin.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import type { NodeHandle, ServerConfig, Target } from "../../harness/targets/target.js";
import { waitFor } from "../../harness/util/wait-for.js";
import { announceLiveRedis, REDIS_SERVER, redisAvailable } from "../harness/live-redis.js";
import {
  expectedExpiries,
  expiryAgrees,
  mixedDataset,
  readDataset,
  withoutTtl,
  type DatasetContent,
} from "./mixed-rdb-dataset.js";

announceLiveRedis("mixed RDB transfer");

type Kind = "redis-server" | "builtin";

const DBS = [0, 1, 9, 10, 15];
// Loading a few MiB on a machine whose every core is busy: generous, and only an upper bound.
const SYNC_DEADLINE_MS = 120_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function start(kind: Kind, name: string, config: ServerConfig): Promise<{ node: NodeHandle; client: Redis }> {
  const target: Target =
    kind === "builtin" ? await createBuiltinTarget() : await createBinaryTarget({ binary: REDIS_SERVER });
  cleanups.push(() => target.stopAll());
  const node = await target.startNode(name, config);
  const client = await createAdminClient({ host: node.host, port: node.port, commandTimeoutMs: 60_000 });
  cleanups.push(() => client.disconnect());
  return { node, client };
}

async function replication(client: Redis): Promise<string> {
  return String(await client.call("INFO", "replication"));
}

/** Redis 7.0's in-memory encodings of the dataset's keys: the dataset must reach every one. */
async function encodings(client: Redis): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const db of DBS) {
    await client.call("SELECT", String(db));
    const keys = (await client.callBuffer("KEYS", "*")) as Buffer[];
    for (const k of keys) seen.add(`${await client.call("TYPE", k)}:${await client.call("OBJECT", "ENCODING", k)}`);
  }
  await client.call("SELECT", "0");
  return seen;
}

/** The dataset and its TTLs on `client`, with the interval in which it was read. */
async function readTimed(client: Redis): Promise<{ content: DatasetContent; before: number; after: number }> {
  const before = Date.now();
  const content = await readDataset(client, DBS);
  return { content, before, after: Date.now() };
}

async function fullSync(masterKind: Kind, replicaKind: Kind, diskless: boolean): Promise<void> {
  const base: ServerConfig = { ...deterministicConfig(), "repl-diskless-sync": diskless ? "yes" : "no" };
  // Compressed quicklist nodes are written as LZF blobs: let a Redis master compress all but the ends.
  const master = await start(
    masterKind,
    "master",
    masterKind === "redis-server" ? { ...base, "list-compress-depth": "1" } : base,
  );
  const writes = mixedDataset();
  let db = 0;
  for (const w of writes) {
    if (w.db !== db) {
      await master.client.call("SELECT", String(w.db));
      db = w.db;
    }
    await master.client.call(String(w.argv[0]), ...w.argv.slice(1));
  }
  await master.client.call("SELECT", "0");
  if (masterKind === "redis-server") {
    expect([...(await encodings(master.client))].sort()).toEqual([
      "hash:hashtable",
      "hash:listpack",
      "list:quicklist",
      "set:hashtable",
      "set:intset",
      "string:embstr",
      "string:int",
      "string:raw",
      "zset:listpack",
      "zset:skiplist",
    ]);
  }

  const replica = await start(replicaKind, "replica", base);
  await replica.client.call("REPLICAOF", master.node.host, String(master.node.port));
  await waitFor(
    async () => {
      const [r, m] = await Promise.all([replication(replica.client), replication(master.client)]);
      return (
        infoField(r, "master_link_status") === "up" &&
        infoField(r, "master_repl_offset") === infoField(m, "master_repl_offset")
      );
    },
    { deadlineMs: SYNC_DEADLINE_MS, intervalMs: 50, what: `the ${replicaKind} replica to finish its full sync` },
  );
  expect(infoField(await replication(master.client), "slave0")).toMatch(/state=online/);
  expect(String(await master.client.call("INFO", "stats"))).toMatch(/sync_full:1\r\n/);

  const fromMaster = await readTimed(master.client);
  const onReplica = await readTimed(replica.client);
  // The master holds every key written (none lost before the sync), the replica exactly the same.
  const keysPerDb = (c: DatasetContent) =>
    Object.fromEntries(Object.entries(c).map(([d, k]) => [d, Object.keys(k).length]));
  expect(keysPerDb(fromMaster.content)).toEqual(writtenKeysPerDb(writes));
  expect(withoutTtl(onReplica.content)).toEqual(withoutTtl(fromMaster.content));
  // Every expiry reached the replica as the same absolute time.
  const expiries = expectedExpiries(writes);
  for (const [dbName, keys] of Object.entries(expiries)) {
    for (const [key, at] of Object.entries(keys)) {
      const pttl = onReplica.content[Number(dbName)]?.[key]?.pttl;
      expect(
        pttl !== undefined && expiryAgrees(pttl, at, onReplica.before, onReplica.after),
        `db ${dbName} key ${Buffer.from(key, "hex")}: PTTL ${pttl} on the replica, expiry at ${at}`,
      ).toBe(true);
    }
  }
  const expiring = Object.values(onReplica.content).flatMap((keys) => Object.values(keys).filter((k) => k.pttl >= 0));
  expect(expiring.length).toBe(Object.values(expiries).flatMap((k) => Object.keys(k)).length);
}

/** How many distinct keys the writes create per db. */
function writtenKeysPerDb(writes: ReturnType<typeof mixedDataset>): Record<string, number> {
  const keys: Record<string, Set<string>> = {};
  for (const { db, argv } of writes) {
    keys[db] ??= new Set();
    keys[db].add(Buffer.from(argv[1]).toString("hex"));
  }
  return Object.fromEntries(Object.entries(keys).map(([db, set]) => [db, set.size]));
}

describe.runIf(redisAvailable)("a full sync across kinds carries every encoding Redis 7.0 writes", () => {
  for (const diskless of [false, true]) {
    const how = diskless ? "diskless" : "disk-based";
    it(`redis-server 7.0 master -> built-in replica (${how})`, { timeout: 300_000 }, () =>
      fullSync("redis-server", "builtin", diskless),
    );
    it(`built-in master -> redis-server 7.0 replica (${how})`, { timeout: 300_000 }, () =>
      fullSync("builtin", "redis-server", diskless),
    );
  }
});
