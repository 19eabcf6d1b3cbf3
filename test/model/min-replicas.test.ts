// min-replicas-to-write (spec/min-replicas.md).

import { describe, expect, it } from "vitest";
import { step } from "../../model/step.js";
import { blackhole, cmd, configSet, cut, info, multi, replicated, run } from "./helpers.js";

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
