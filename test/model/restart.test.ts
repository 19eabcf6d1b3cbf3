// Restarts with RDB replication info (spec/restart.md).

import { describe, expect, it } from "vitest";
import type { ProfileId } from "../../model/profile.js";
import { cmd, configSet, info, replicated, run } from "./helpers.js";

const restart = (node: string, save = true) => ({ kind: "restart" as const, node, save });

describe("RESTART-1: a replica restarted on its RDB resumes with PSYNC", () => {
  it("asks for its saved id and offset + 1 and continues partially (psync2.tcl)", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).state;
    const { state, last } = run(s, restart("r1"));
    expect(last.syncs).toMatchObject([
      { replica: "r1", request: { replid: info(s, "r1").replid, offset: 51 }, outcome: "continue" },
    ]);
    expect(info(state, "m").syncFull).toEqual(info(s, "m").syncFull);
    expect(info(state, "r1").dataset).toEqual(info(state, "m").dataset);
  });
  it("without an RDB it asks PSYNC ? -1 (not counted in sync_partial_err)", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).state;
    const withoutFile = { ...s, nodes: { ...s.nodes, r1: { ...s.nodes.r1, saved: null } } };
    const { state, last } = run(withoutFile, restart("r1", false));
    expect(last.syncs[0].request).toEqual({ replid: "?", offset: -1 });
    expect(info(state, "m").syncPartialErr).toEqual(info(s, "m").syncPartialErr);
  });
});

describe("RESTART-2: a restarted master", () => {
  it.each([
    ["redis-7.0", "continue"],
    ["builtin", "continue"],
    ["redis-6.2", "fullresync"],
  ] as [ProfileId, string][])("%s: replicas reconnect with a %s", (profile, outcome) => {
    const s = run(replicated(profile), cmd("m", "SET", "k", "v")).state;
    const { state, last } = run(s, restart("m"));
    expect(last.syncs).toMatchObject([{ replica: "r1", outcome }]);
    expect(info(state, "r1").dataset).toEqual(info(s, "m").dataset);
    if (profile !== "redis-6.2") {
      expect(info(state, "m")).toMatchObject({
        replid2: info(s, "m").replid,
        secondReplOffset: 51,
        masterReplOffset: 50,
      });
    } else {
      expect(info(state, "m").masterReplOffset).toBe(0);
    }
  });
});

describe("RESTART-3: which RDBs carry repl info", () => {
  it("a master without a backlog saves none; with one it does; a replica does", () => {
    const s = replicated("redis-7.0");
    expect(run(s, { kind: "save", node: "m" }).state.nodes.m.saved?.replInfo).not.toBeNull();
    expect(run(s, { kind: "save", node: "r1" }).state.nodes.r1.saved?.replInfo).not.toBeNull();
    const lone = run(replicated("redis-7.0", []), { kind: "save", node: "m" }).state;
    expect(lone.nodes.m.saved?.replInfo).toBeNull();
  });
});

describe("RESTART-4: a restart forgets runtime settings and counters", () => {
  it("CONFIG SET values revert, INFO stats restart at zero, data comes from the last save", () => {
    let s = run(
      replicated("redis-7.0"),
      configSet("m", "repl-backlog-size", "32768"),
      cmd("m", "SET", "a", "1"),
      { kind: "save", node: "m" },
      cmd("m", "SET", "b", "2"),
    ).state;
    s = run(s, restart("m", false)).state;
    expect(info(s, "m").backlogSize).toBe(1024 * 1024);
    expect(Object.keys(info(s, "m").dataset[0])).toEqual(["a"]);
  });
});
