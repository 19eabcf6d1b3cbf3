// What clients see around replication on the builtin server: WAIT, read-only replicas, stale
// data, min-replicas-to-write.
// Rules: WAIT-1..6, OFFSET-5, LINK-5, RO-1, RO-2, RO-3, RO-5, MINREP-1..4.

import { afterEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { info, inSync, linkUp, Nodes, num, offset, waitFor, type TestNode } from "./helpers/replication-nodes.js";

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

const replicaOf = (master: TestNode | { port: number }) => ({ replicaof: `127.0.0.1 ${master.port}` });

/** Runs `WAIT n t` and reports whether it has replied yet. */
function waitCall(client: Redis, n: number, timeoutMs: number) {
  const state: { done: boolean; value?: unknown; error?: unknown } = { done: false };
  const promise = client.wait(n, timeoutMs).then(
    (v) => Object.assign(state, { done: true, value: v }),
    (e) => Object.assign(state, { done: true, error: e }),
  );
  return { state, promise };
}

describe("WAIT", () => {
  it("counts acked replicas; a blocking WAIT injects one 37-byte GETACK, an immediate one nothing (WAIT-1/3, OFFSET-5, LINK-5)", async () => {
    const m = await nodes.start();
    const r1 = await nodes.start(replicaOf(m));
    const r2 = await nodes.start(replicaOf(m));
    await linkUp(r1);
    await linkUp(r2);
    await inSync(m, r1, r2);

    // pipelined SET + WAIT: the replicas cannot have acked the SET yet, so WAIT blocks
    const o = await offset(m);
    const [[, setReply], [, waited]] = (await m.client.pipeline().set("k", "v").wait(2, 5000).exec()) as [
      unknown,
      unknown,
    ][];
    expect(setReply).toBe("OK");
    expect(waited).toBe(2);
    expect(await offset(m)).toBe(o + 50 + 37);
    await inSync(m, r1, r2);
    // the GETACK's own ACK reports the offset before the GETACK (LINK-5)
    const slaves = await info(m);
    expect([slaves.slave0, slaves.slave1].every((s) => /offset=(\d+)/.test(s))).toBe(true);

    // once acks are in, WAIT returns at once and adds nothing
    await waitFor("acks at the current offset", async () => {
      const i = await info(m);
      const off = i.master_repl_offset;
      return [i.slave0, i.slave1].every((s) => s.includes(`offset=${off},`));
    });
    const o2 = await offset(m);
    expect(await m.client.wait(2, 0)).toBe(2);
    expect(await m.client.wait(0, 0)).toBe(2);
    expect(await offset(m)).toBe(o2);

    // more replicas than exist: the timeout returns the current count
    expect(await m.client.wait(3, 100)).toBe(2);
  });

  it("inside MULTI it returns the count without blocking (WAIT-6); errors (WAIT-5)", async () => {
    const m = await nodes.start();
    const res = await m.client.multi().set("a", "1").wait(1, 0).exec();
    expect(res).toEqual([
      [null, "OK"],
      [null, 0],
    ]);
    await expect(m.client.call("WAIT", "x", "0")).rejects.toThrow("ERR value is not an integer or out of range");
    await expect(m.client.call("WAIT", "1", "-1")).rejects.toThrow("ERR timeout is negative");
    await expect(m.client.call("WAIT", "1", "1.5")).rejects.toThrow("ERR timeout is not an integer or out of range");
    expect(await m.client.call("WAIT", "-1", "0")).toBe(0);
    const r = await nodes.start(replicaOf(m));
    await expect(r.client.wait(1, 0)).rejects.toThrow(
      "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.",
    );
    // no backlog, no replica: a blocking WAIT adds nothing (OFFSET-10 is 7.2+ only)
    const lone = await nodes.start();
    expect(await lone.client.wait(1, 50)).toBe(0);
    expect(await offset(lone)).toBe(0);
  });

  it("WAIT n 0 blocks while the replica is cut off and returns once it is back (WAIT-4)", async () => {
    const m = await nodes.start();
    const proxy = await nodes.proxy(m);
    const r = await nodes.start(replicaOf(proxy));
    await linkUp(r);
    await inSync(m, r);
    await proxy.setState("cut");
    await waitFor("master lost the replica", async () => (await info(m)).connected_slaves === "0");
    await m.client.set("during", "partition");
    const writer = nodes.redis(m.port);
    await writer.set("during2", "partition");
    const w = waitCall(writer, 1, 0);
    await waitFor("the WAIT is blocked", () => m.handle.replication.waits.blockedCount === 1);
    await waitFor("the cut replica is still down", async () => (await info(r)).master_link_status === "down");
    expect(w.state.done).toBe(false);
    expect((await info(m, "clients")).blocked_clients).toBe("1");
    await proxy.setState("up");
    await w.promise;
    expect(w.state.value).toBe(1);
    await inSync(m, r);
    expect(await r.client.get("during2")).toBe("partition");
  });

  it("a blocked WAIT is unblocked with an error when its master becomes a replica", async () => {
    const m = await nodes.start();
    const other = await nodes.start();
    const waiter = nodes.redis(m.port);
    const w = waitCall(waiter, 1, 0);
    await waitFor("blocked", () => m.handle.replication.waits.blockedCount === 1);
    await m.client.replicaof("127.0.0.1", String(other.port));
    await w.promise;
    expect(String(w.state.error)).toContain(
      "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)",
    );
  });
});

describe("read-only replicas and stale data", () => {
  it("writes are refused, also inside MULTI; the master link still writes (RO-1, RO-5)", async () => {
    const m = await nodes.start();
    const r = await nodes.start(replicaOf(m));
    await linkUp(r);
    await expect(r.client.set("x", "1")).rejects.toThrow("READONLY You can't write against a read only replica.");
    const multi = await r.client
      .multi()
      .set("x", "1")
      .exec()
      .catch((e: Error) => e);
    expect(String(multi)).toContain("EXECABORT Transaction discarded because of previous errors.");
    await m.client.set("x", "from master");
    await inSync(m, r);
    expect(await r.client.get("x")).toBe("from master");
  });

  it("a writable replica's local writes do not move its offset (RO-3)", async () => {
    const m = await nodes.start();
    const r = await nodes.start({ ...replicaOf(m), "replica-read-only": "no" });
    const sub = await nodes.start(replicaOf(r));
    await linkUp(r);
    await linkUp(sub);
    await inSync(m, r, sub);
    const before = await offset(r);
    expect(await r.client.set("local", "1")).toBe("OK");
    expect(await offset(r)).toBe(before);
    await m.client.set("k", "v");
    await inSync(m, r, sub);
    expect(await sub.client.get("local")).toBeNull();
  });

  it("replica-serve-stale-data no: MASTERDOWN while the link is down; 7.0 refuses PING, allows ECHO (RO-2)", async () => {
    const r = await nodes.start({ replicaof: "127.0.0.1 1", "replica-serve-stale-data": "no" });
    const stale = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
    await expect(r.client.get("k")).rejects.toThrow(stale);
    await expect(r.client.ping()).rejects.toThrow(stale);
    expect(await r.client.echo("hi")).toBe("hi");
    expect((await info(r)).role).toBe("slave");
    expect(await r.client.config("GET", "replica-serve-stale-data")).toEqual(["replica-serve-stale-data", "no"]);
    const multi = await r.client
      .multi()
      .get("k")
      .exec()
      .catch((e: Error) => e);
    expect(String(multi)).toContain("EXECABORT");

    const m = await nodes.start();
    await m.client.set("k", "v");
    await r.client.replicaof("127.0.0.1", String(m.port));
    await linkUp(r);
    expect(await r.client.get("k")).toBe("v");
    expect(await r.client.ping()).toBe("PONG");
  });
});

describe("min-replicas-to-write", () => {
  it("NOREPLICAS with too few good replicas, INFO line only while active (MINREP-1/2/4)", async () => {
    const m = await nodes.start();
    expect((await info(m)).min_slaves_good_slaves).toBeUndefined();
    await m.client.config("SET", "min-replicas-to-write", "1");
    expect((await info(m)).min_slaves_good_slaves).toBe("0");
    await expect(m.client.set("x", "1")).rejects.toThrow("NOREPLICAS Not enough good replicas to write.");
    expect(await m.client.get("x")).toBeNull(); // reads pass
    const multi = await m.client
      .multi()
      .set("x", "1")
      .exec()
      .catch((e: Error) => e);
    expect(String(multi)).toContain("EXECABORT Transaction discarded because of previous errors.");

    const r = await nodes.start(replicaOf(m));
    await linkUp(r);
    await waitFor("one good replica", async () => (await info(m)).min_slaves_good_slaves === "1");
    expect(await m.client.set("x", "1")).toBe("OK");

    await m.client.config("SET", "min-replicas-max-lag", "0"); // inactive (MINREP-1)
    expect((await info(m)).min_slaves_good_slaves).toBeUndefined();
  });

  it("EXEC refused at execution time: EXECABORT ... because of: NOREPLICAS (MINREP-2); replicas ignore it (MINREP-3)", async () => {
    const m = await nodes.start();
    const r = await nodes.start({ ...replicaOf(m), "min-replicas-to-write": "3" });
    await linkUp(r);
    await m.client.set("k", "v");
    await inSync(m, r); // the replica applies its master's writes whatever min-replicas says
    const c = nodes.redis(m.port);
    await c.call("MULTI");
    await c.call("SET", "a", "1");
    await m.client.config("SET", "min-replicas-to-write", "5");
    await expect(c.call("EXEC")).rejects.toThrow(
      "EXECABORT Transaction discarded because of: NOREPLICAS Not enough good replicas to write.",
    );
    expect(num((await info(m)).min_slaves_good_slaves)).toBe(1);
  });
});
