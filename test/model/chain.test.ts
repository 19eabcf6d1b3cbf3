// Chained replication (spec/chain.md).

import { describe, expect, it } from "vitest";
import { cluster, cmd, cmdDb, cut, heal, info, offsetOf, promote, replicaof, run } from "./helpers.js";
import type { ProfileId } from "../../model/profile.js";

const chain = (profile: ProfileId = "redis-7.0") =>
  run(cluster(profile, ["a", "b", "c", "d"]), replicaof("b", "a"), replicaof("c", "b"), cmd("a", "SET", "k", "v"))
    .state;

describe("CHAIN-1 / CHAIN-2: every node of a connected chain carries the root's replid and offset", () => {
  it("A->B->C share replid and offset after writes in several dbs", () => {
    const s = run(chain(), cmdDb("a", 3, "SET", "x", "1"), cmd("a", "DEL", "k")).state;
    for (const n of ["b", "c"]) {
      expect(info(s, n)).toMatchObject({
        replid: info(s, "a").replid,
        masterReplOffset: info(s, "a").masterReplOffset,
      });
      expect(info(s, n).dataset).toEqual(info(s, "a").dataset);
    }
  });
  it("an intermediate replica injects nothing: a PING tick on B changes no offset", () => {
    const s = chain();
    const { state } = run(s, { kind: "ping-tick", node: "b" });
    expect(offsetOf(state, "c")).toBe(offsetOf(s, "c"));
  });
});

describe("CHAIN-3: a replica serves PSYNC only while connected", () => {
  it("C cannot resync from B while B's own link is cut", () => {
    let s = run(chain(), cut("b"), cut("c"), heal("c")).state;
    expect(info(s, "c").masterLinkStatus).toBe("down");
    s = run(s, heal("b")).state;
    expect(info(s, "c").masterLinkStatus).toBe("up");
  });
});

describe("CHAIN-4: sub-replicas stay connected when the intermediate loses its master", () => {
  it("C stays up and receives nothing; after B heals partially, C gets the tail through B", () => {
    let s = run(chain(), cut("b")).state;
    expect(info(s, "c").masterLinkStatus).toBe("up");
    s = run(s, cmd("a", "SET", "k", "w")).state;
    expect(offsetOf(s, "c")).toBe(offsetOf(s, "b"));
    const { state, last } = run(s, heal("b"));
    expect(last.syncs).toMatchObject([{ replica: "b", outcome: "continue" }]);
    expect(offsetOf(state, "c")).toBe(offsetOf(state, "a"));
    expect(info(state, "b").syncPartialOk.max).toBe(0); // C never reconnected
  });
});

describe("CHAIN-5: when sub-replicas are dropped", () => {
  it("7.0: REPLICAOF host port keeps them; 6.2 drops them at once", () => {
    for (const [profile, dropped] of [
      ["redis-7.0", false],
      ["redis-6.2", true],
    ] as const) {
      const s = run(chain(profile), replicaof("d", "a")).state;
      const { last } = run(s, replicaof("b", "d"));
      expect(last.notes.some((n) => n === "CHAIN-5: b disconnects its replica c")).toBe(dropped);
    }
  });
  it("7.0: a full sync of the intermediate drops them before loading; they then full sync too", () => {
    const s = run(chain(), promote("d"), cmd("d", "SET", "z", "1")).state; // d's history diverged from a's
    const { state, last } = run(s, replicaof("b", "d"));
    expect(last.syncs.map((e) => [e.replica, e.master, e.outcome])).toEqual([
      ["b", "d", "fullresync"],
      ["c", "b", "fullresync"],
    ]);
    expect(info(state, "c").dataset).toEqual(info(state, "d").dataset);
  });
  it("7.0: a partial resync of the intermediate with the same id keeps them connected", () => {
    const s = run(chain(), replicaof("d", "a")).state;
    const { last } = run(s, replicaof("b", "d")); // d has a's replid and the same offset
    expect(last.syncs).toMatchObject([{ replica: "b", master: "d", outcome: "continue" }]);
    expect(last.notes.filter((n) => n.includes("disconnects"))).toEqual([]);
  });
});
