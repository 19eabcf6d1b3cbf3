// ServerHandle.freeze/thaw: the built-in server's pause fault (LINK-9). A frozen replica reads
// nothing and acks nothing but closes nothing; its master keeps the stream for it, and after thaw
// the replica catches up with no resync.

import { afterEach, describe, expect, it } from "vitest";
import { inSync, info, linkUp, Nodes, num, offset, stats, waitFor } from "./helpers/replication-nodes.js";

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

describe("freeze and thaw (LINK-9)", () => {
  it("a frozen replica keeps its link; after thaw it catches up without a resync", async () => {
    const master = await nodes.start();
    const replica = await nodes.start();
    await replica.client.call("REPLICAOF", "127.0.0.1", String(master.port));
    await linkUp(replica);
    await master.client.call("SET", "before", "1");
    await inSync(master, replica);
    const before = await stats(master);
    const replicaOffset = await offset(replica);

    replica.handle.freeze();
    for (let i = 0; i < 20; i++) await master.client.call("INCR", "n");
    // The master still lists the replica (nothing was closed) and its offset is ahead of the
    // replica's, which has applied nothing.
    const m = await info(master);
    expect(num(m.connected_slaves)).toBe(1);
    expect(num(m.master_repl_offset)).toBeGreaterThan(replicaOffset);
    expect(replica.handle.replication.stream.offset).toBe(replicaOffset);

    replica.handle.thaw();
    await inSync(master, replica);
    await waitFor(
      "the replica's data after thaw",
      async () => (await replica.client.call("GET", "n")) === "20",
      60_000,
    );
    expect(await stats(master)).toEqual(before); // no full or partial resync
    await waitFor("the link up after thaw", async () => (await info(replica)).master_link_status === "up", 60_000);
  });
});
