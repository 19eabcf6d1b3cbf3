// min-replicas-to-write (spec/min-replicas.md).

import { describe, expect, it } from "vitest";
import { step } from "../../model/step.js";
import { blackhole, cmd, configSet, cut, heal, info, multi, NOW, replicated, run } from "./helpers.js";

const NOREPLICAS = { kind: "error", value: "NOREPLICAS Not enough good replicas to write." };

describe("MINREP-1 / MINREP-2: refusing writes without enough good replicas", () => {
  it("active only when both settings are non-zero", () => {
    const s = run(
      replicated("redis-7.0"),
      cut("r1"),
      configSet("m", "min-replicas-to-write", "1"),
      configSet("m", "min-replicas-max-lag", "0"),
    ).state;
    expect(run(s, cmd("m", "SET", "k", "v")).last.reply).toEqual({ kind: "status", value: "OK" });
  });
  it("with one good replica of one required, writes pass; once it is cut, NOREPLICAS", () => {
    let s = run(replicated("redis-7.0"), configSet("m", "min-replicas-to-write", "1")).state;
    expect(run(s, cmd("m", "SET", "k", "v")).last.reply).toEqual({ kind: "status", value: "OK" });
    s = run(s, cut("r1")).state;
    const { last } = run(s, cmd("m", "SET", "k", "v"));
    expect(last.reply).toEqual(NOREPLICAS);
    expect(last.state.nodes.m.offset).toBe(s.nodes.m.offset);
    expect(run(s, cmd("m", "GET", "k")).last.reply).toMatchObject({ kind: "bulk" });
  });
  it("inside MULTI the EXEC aborts", () => {
    const s = run(replicated("redis-7.0"), configSet("m", "min-replicas-to-write", "2")).state;
    expect(run(s, multi("m", ["SET", "k", "v"])).last.reply).toMatchObject({
      kind: "error",
      value: expect.stringMatching(/^EXECABORT/),
    });
  });
  it("a blackholed replica may or may not still count as good: both outcomes", () => {
    const s = run(replicated("redis-7.0"), configSet("m", "min-replicas-to-write", "1"), blackhole("r1")).state;
    expect(
      step(s, cmd("m", "SET", "k", "v"))
        .map((o) => o.reply?.kind)
        .sort(),
    ).toEqual(["error", "status"]);
  });
});

describe("MINREP-1: a replica whose acks stopped more than max-lag + 3 s ago is not good", () => {
  const at = (ms: number, ...argv: string[]) => ({ ...cmd("m", ...argv), now: NOW + ms });
  const silent = () =>
    run(
      replicated("redis-7.0"),
      configSet("m", "min-replicas-to-write", "1"),
      configSet("m", "min-replicas-max-lag", "1"),
      blackhole("r1"),
      at(0, "GET", "k"),
    ).state;
  const replies = (s: ReturnType<typeof silent>, ms: number) =>
    step(s, at(ms, "SET", "k", "v"))
      .map((o) => o.reply?.kind)
      .sort();
  it("up to max-lag + 3 s after the first clocked step behind the blackhole, either", () => {
    expect(replies(silent(), 4000)).toEqual(["error", "status"]);
  });
  it("later, NOREPLICAS only, and INFO counts it out", () => {
    const s = silent();
    expect(replies(s, 4001)).toEqual(["error"]);
    expect(info(run(s, at(4001, "GET", "k")).state, "m").minSlavesGoodSlaves).toEqual({ min: 0, max: 0 });
  });
  it("a heal forgets the silence: a new blackhole starts it again", () => {
    const s = run(silent(), heal("r1"), blackhole("r1"), at(3000, "GET", "k")).state;
    expect(replies(s, 6000)).toEqual(["error", "status"]);
    expect(replies(s, 7001)).toEqual(["error"]);
  });
});

describe("MINREP-3: replicas ignore it", () => {
  it("a writable replica with min-replicas-to-write set still writes", () => {
    const s = run(
      replicated("redis-7.0"),
      configSet("r1", "replica-read-only", "no"),
      configSet("r1", "min-replicas-to-write", "3"),
    ).state;
    expect(run(s, cmd("r1", "SET", "k", "v")).last.reply).toEqual({ kind: "status", value: "OK" });
  });
});

describe("MINREP-4: INFO min_slaves_good_slaves", () => {
  it("is shown by a replica with the settings too, counting its own replicas", () => {
    const s = run(replicated("redis-7.0", ["r1"]), configSet("r1", "min-replicas-to-write", "1")).state;
    expect(info(s, "r1").minSlavesGoodSlaves).toEqual({ min: 0, max: 0 });
  });
  it("appears only while the feature is active", () => {
    const s = replicated("redis-7.0", ["r1", "r2"]);
    expect(info(s, "m").minSlavesGoodSlaves).toBeUndefined();
    expect(info(run(s, configSet("m", "min-replicas-to-write", "1")).state, "m").minSlavesGoodSlaves).toEqual({
      min: 2,
      max: 2,
    });
  });
});
