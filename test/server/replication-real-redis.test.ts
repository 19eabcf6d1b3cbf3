// Interoperability with the real thing (Debian redis-server 7.0.15): a real replica of the builtin
// server (both framings) and the builtin server as a replica of a real master must end with the
// same dataset and the same master_repl_offset; redis-cli talks to the builtin server.
// Rules: LINK-1, LINK-5, FULLSYNC-1, FULLSYNC-3, OFFSET-2/3/7/8, CHAIN-1, CONV-1.

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import type { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { startRealRedis, type RealRedis } from "./helpers/real-redis.js";
import { dataset, info, inSync, linkUp, Nodes, num, waitFor, type TestNode } from "./helpers/replication-nodes.js";

const REDIS_SERVER = "/usr/bin/redis-server";
const REDIS_CLI = "/usr/bin/redis-cli";
const available = existsSync(REDIS_SERVER);
const strict = Boolean(process.env.REPLCHECK_STRICT);
if (!available && !strict) {
  console.warn(
    `[replication interop] skipping the real-Redis tests: ${REDIS_SERVER} is missing (Debian: apt-get install redis-server redis-tools, 7.0.15)`,
  );
}

const DETERMINISTIC_REAL = ["--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "3600"];

const nodes = new Nodes();
const reals: RealRedis[] = [];
afterEach(async () => {
  await nodes.stopAll();
  for (const r of reals.splice(0)) await r.stop();
});

async function real(args: string[]): Promise<{ proc: RealRedis; node: TestNode }> {
  const proc = await startRealRedis([...DETERMINISTIC_REAL, ...args]);
  reals.push(proc);
  const client = nodes.redis(proc.port);
  const node = {
    handle: undefined as never,
    client,
    dir: "",
    config: {},
    get port() {
      return proc.port;
    },
  } satisfies TestNode;
  return { proc, node };
}

/** Writes of every type in several dbs, with rewrites (PXAT, INCRBYFLOAT), MULTI/EXEC and flushes. */
async function writeLoad(c: Redis, round: number): Promise<void> {
  for (const db of [0, 3, 12]) {
    await c.select(db);
    await c.set(`s:${round}`, `value-${round}-${db}`);
    await c.append(`s:${round}`, "+tail");
    await c.incr(`n:${db}`);
    await c.incrbyfloat(`f:${db}`, "1.25");
    await c.set(`ex:${round}`, "expiring", "EX", 10_000);
    await c.expire(`s:${round}`, 20_000);
    await c.persist(`s:${round}`);
    await c.rpush(`l:${db}`, `a${round}`, `b${round}`, `c${round}`);
    await c.lpush(`l:${db}`, `z${round}`);
    await c.lpop(`l:${db}`);
    await c.hset(`h:${db}`, `f${round}`, `v${round}`, "common", String(round));
    await c.hincrby(`h:${db}`, "counter", 3);
    await c.hdel(`h:${db}`, "missing");
    await c.sadd(`set:${db}`, `m${round}`, "shared", String(round));
    await c.srem(`set:${db}`, "nope");
    await c.zadd(`z:${db}`, round * 1.5, `m${round}`, -round, `neg${round}`);
    await c.zincrby(`z:${db}`, 0.25, `m${round}`);
    await c.multi().set(`tx:${round}`, "1").incr(`n:${db}`).rpush(`l:${db}`, "tx").exec();
    await c.del(`gone:${round}`, `s:${round - 1}`);
    await c.set(`big:${db}`, "B".repeat(5000 + round));
  }
  await c.select(7);
  await c.set("tmp", "x");
  await c.flushdb();
  await c.select(0);
}

describe.runIf(available)("real redis-server replicates from the builtin server", () => {
  it.each([
    ["diskless", "yes"],
    ["disk", "no"],
  ])(
    "full sync (%s framing), then the stream of every type in several dbs: same dataset and offset",
    async (_mode, diskless) => {
      const master = await nodes.start({ "repl-diskless-sync": diskless });
      await writeLoad(master.client, 1);
      const { node: replica } = await real(["--replicaof", "127.0.0.1", String(master.port)]);
      await linkUp(replica);
      for (let round = 2; round <= 6; round++) await writeLoad(master.client, round);
      await inSync(master, replica);
      expect(await dataset(replica)).toEqual(await dataset(master));
      const m = await info(master);
      const r = await info(replica);
      expect(r.master_repl_offset).toBe(m.master_repl_offset);
      expect(r.master_replid).toBe(m.master_replid);
      // the real replica's ACKs reach us
      await waitFor(
        "the real replica acks the offset",
        async () => (await info(master)).slave0?.includes(`offset=${m.master_repl_offset},`) ?? false,
      );
      expect(await master.client.wait(1, 5000)).toBe(1);
    },
  );

  it("redis-cli works against the builtin server", async () => {
    const master = await nodes.start();
    const run = (...args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(REDIS_CLI, ["-p", String(master.port), ...args], (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
        ),
      );
    expect((await run("set", "k", "v")).trim()).toBe("OK");
    expect((await run("get", "k")).trim()).toBe("v");
    const text = await run("info", "replication");
    expect(text).toContain("role:master");
    expect(text).toContain("master_repl_offset:0");
  });
});

describe.runIf(available)("the builtin server replicates from a real redis-server", () => {
  it.each([
    ["diskless", "yes"],
    ["disk", "no"],
  ])("full sync (%s framing) then the stream: same dataset and offset", async (_mode, diskless) => {
    const { node: master } = await real(["--repl-diskless-sync", diskless]);
    await writeLoad(master.client, 1);
    const replica = await nodes.start({ replicaof: `127.0.0.1 ${master.port}` });
    await linkUp(replica);
    for (let round = 2; round <= 6; round++) await writeLoad(master.client, round);
    await inSync(master, replica);
    expect(await dataset(replica)).toEqual(await dataset(master));
    const m = await info(master);
    expect(m.slave0).toMatch(/state=online/);
    await waitFor(
      "our ACKs reach the real master",
      async () => (await info(master)).slave0?.includes(`offset=${m.master_repl_offset},`) ?? false,
    );
    expect(num((await info(replica)).master_repl_offset)).toBe(num(m.master_repl_offset));
  });
});

if (!available && strict) {
  describe("real redis-server required (REPLCHECK_STRICT)", () => {
    it("has /usr/bin/redis-server", () => {
      expect.fail(
        `${REDIS_SERVER} is missing and REPLCHECK_STRICT is set (Debian: apt-get install redis-server redis-tools)`,
      );
    });
  });
}
