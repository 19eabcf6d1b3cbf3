// The link proxy between a real redis-server master and replica (Debian's 7.0.15 at /usr/bin),
// started through the binary target and read through the harness's own RESP connection.

import { afterEach, describe, expect, it } from "vitest";
import { infoField } from "../../harness/observe/index.js";
import { startLinkProxy, type LinkProxy } from "../../harness/proxy/index.js";
import { createBinaryTarget, type BinaryTarget } from "../../harness/targets/binary.js";
import type { ServerConfig } from "../../harness/targets/target.js";
import { RespConnection } from "../../harness/util/resp-connection.js";
import { waitFor } from "../../harness/util/wait-for.js";
import { announceLiveRedis, REDIS_SERVER, redisAvailable } from "./live-redis.js";

announceLiveRedis("link-proxy-redis");

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A node's connection with the two reads the tests need. */
class Node {
  constructor(private readonly conn: RespConnection) {}

  async call(...argv: string[]): Promise<string | number | null> {
    const r = await this.conn.send(argv, 5000);
    if (r.kind !== "reply" || r.value.kind === "array") throw new Error(`${argv.join(" ")}: ${JSON.stringify(r)}`);
    return r.value.value;
  }

  async replication(field: string): Promise<string | undefined> {
    return infoField(String(await this.call("INFO", "replication")), field);
  }
}

async function start(
  target: BinaryTarget,
  name: string,
  config: ServerConfig = {},
): Promise<{ node: Node; upstream: { host: string; port: number } }> {
  const handle = await target.startNode(name, { save: "", appendonly: "no", ...config });
  const conn = await RespConnection.open({ host: handle.host, port: handle.port });
  cleanups.push(() => conn.close());
  return { node: new Node(conn), upstream: handle.upstream };
}

const waitForLinkStatus = (replica: Node, status: "up" | "down") =>
  waitFor(async () => (await replica.replication("master_link_status")) === status, {
    deadlineMs: 20_000,
    what: `replica master_link_status:${status}`,
  });

/** A master, a proxy in front of it, and a replica that replicates through the proxy. */
async function replicatedPair(
  options: { master?: ServerConfig; replica?: ServerConfig } = {},
): Promise<{ master: Node; replica: Node; proxy: LinkProxy }> {
  const target = await createBinaryTarget({ binary: REDIS_SERVER });
  cleanups.push(() => target.stopAll());
  const master = await start(target, "master", options.master);
  const proxy = await startLinkProxy({
    targetHost: master.upstream.host,
    targetPort: master.upstream.port,
    name: "replica->master",
  });
  cleanups.push(() => proxy.close());
  const { node: replica } = await start(target, "replica", {
    replicaof: ["127.0.0.1", String(proxy.port)],
    ...options.replica,
  });
  await waitForLinkStatus(replica, "up");
  return { master: master.node, replica, proxy };
}

describe.runIf(redisAvailable)("link proxy with a real redis-server", () => {
  it("cut takes the replica's link down; heal brings it back up with the writes made meanwhile", async () => {
    const { master, replica, proxy } = await replicatedPair();
    await master.call("SET", "k", "before");
    await waitFor(async () => (await replica.call("GET", "k")) === "before", {
      deadlineMs: 20_000,
      what: "the write to replicate",
    });

    await proxy.setState("cut");
    await waitForLinkStatus(replica, "down");
    await waitFor(async () => (await master.replication("connected_slaves")) === "0", {
      deadlineMs: 20_000,
      what: "the master to drop its replica",
    });
    await master.call("SET", "k", "during-cut");
    await waitFor(() => proxy.stats().parked >= 1, {
      deadlineMs: 20_000,
      what: "the replica's reconnect attempt to be parked",
    });

    await proxy.setState("up");
    await waitForLinkStatus(replica, "up");
    await waitFor(async () => (await replica.call("GET", "k")) === "during-cut", {
      deadlineMs: 20_000,
      what: "the write made during the cut to arrive",
    });
    expect(proxy.stats().released).toBeGreaterThanOrEqual(1);
  });

  it("blackhole lets repl-timeout take the link down; heal closes the dead stream and the link comes back", async () => {
    // repl-timeout stays long until the link is black-holed: on a busy machine a short one could
    // drop the link before the blackhole, and the replica's reconnect (black-holed, no upstream)
    // would then never carry the master's bytes.
    const { master, replica, proxy } = await replicatedPair({ master: { "repl-ping-replica-period": "1" } });
    await waitFor(() => proxy.stats().forwarding === 1, {
      deadlineMs: 20_000,
      what: "the replication link to forward through the proxy",
    });
    await proxy.setState("blackhole");
    await master.call("SET", "k", "during-blackhole");
    // The proxy reads the write (and the pings after it) and drops them: polled, not assumed.
    await waitFor(() => proxy.stats().bytesDroppedToClient > 0, {
      deadlineMs: 20_000,
      what: "the proxy to drop the master's bytes",
    });
    await replica.call("CONFIG", "SET", "repl-timeout", "3");
    await waitForLinkStatus(replica, "down");
    expect(await replica.call("GET", "k")).toBeNull();

    await proxy.setState("up");
    await waitForLinkStatus(replica, "up");
    await waitFor(async () => (await replica.call("GET", "k")) === "during-blackhole", {
      deadlineMs: 20_000,
      what: "the write made during the blackhole to arrive",
    });
  });
});
