// Read-only replicas and stale data (spec/read-only.md).

import { describe, expect, it } from "vitest";
import { cmd, configSet, cut, info, multi, offsetOf, replicated, run } from "./helpers.js";
import type { ProfileId } from "../../model/profile.js";

const READONLY = { kind: "error", value: "READONLY You can't write against a read only replica." };
const MASTERDOWN = {
  kind: "error",
  value: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
};

describe("RO-1: writes on a read-only replica", () => {
  it("are refused with READONLY, whether or not the link is up; reads work", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v")).state;
    expect(run(s, cmd("r1", "SET", "k", "w")).last.reply).toEqual(READONLY);
    expect(run(s, cmd("r1", "DEL", "nokey")).last.reply).toEqual(READONLY);
    expect(run(s, cut("r1"), cmd("r1", "SET", "k", "w")).last.reply).toEqual(READONLY);
    expect(run(s, cmd("r1", "GET", "k")).last.reply).toEqual({ kind: "bulk", value: "v" });
  });
  it("inside MULTI the EXEC aborts with EXECABORT", () => {
    const s = replicated("redis-7.0");
    expect(run(s, multi("r1", ["GET", "k"], ["SET", "k", "v"])).last.reply).toEqual({
      kind: "error",
      value: "EXECABORT Transaction discarded because of previous errors.",
    });
  });
});

describe("RO-2: replica-serve-stale-data no", () => {
  it.each([
    ["redis-7.0", MASTERDOWN, { kind: "bulk", value: "x" }],
    ["redis-6.2", { kind: "status", value: "PONG" }, MASTERDOWN],
  ] as [ProfileId, unknown, unknown][])(
    "%s: with the link down, data commands get MASTERDOWN; PING %j, ECHO %j",
    (profile, ping, echo) => {
      const s = run(
        replicated(profile),
        cmd("m", "SET", "k", "v"),
        configSet("r1", "replica-serve-stale-data", "no"),
        cut("r1"),
      ).state;
      expect(run(s, cmd("r1", "GET", "k")).last.reply).toEqual(MASTERDOWN);
      expect(run(s, cmd("r1", "PING")).last.reply).toEqual(ping);
      expect(run(s, cmd("r1", "ECHO", "x")).last.reply).toEqual(echo);
    },
  );
  it("with the link up, data is served", () => {
    const s = run(
      replicated("redis-7.0"),
      cmd("m", "SET", "k", "v"),
      configSet("r1", "replica-serve-stale-data", "no"),
    ).state;
    expect(run(s, cmd("r1", "GET", "k")).last.reply).toEqual({ kind: "bulk", value: "v" });
  });
  it("READONLY is checked before MASTERDOWN for writes", () => {
    const s = run(replicated("redis-7.0"), configSet("r1", "replica-serve-stale-data", "no"), cut("r1")).state;
    expect(run(s, cmd("r1", "SET", "k", "v")).last.reply).toEqual(READONLY);
  });
});

describe("RO-3: a writable replica's writes stay local", () => {
  it("they change its dataset, not its offset, and its sub-replicas never see them", () => {
    let s = run(replicated("redis-7.0"), configSet("r1", "replica-read-only", "no")).state;
    const before = offsetOf(s, "r1");
    s = run(s, cmd("r1", "SET", "local", "1")).state;
    expect(offsetOf(s, "r1")).toBe(before);
    expect(info(s, "r1").dataset[0].local).toBeDefined();
    expect(info(s, "m").dataset[0]).toBeUndefined();
  });
});

describe("RO-4: replicas never expire keys themselves", () => {
  it("an expiry in the past applied on a replica is not modelled (it would keep a hidden key)", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v"), configSet("r1", "replica-read-only", "no")).state;
    expect(() => run(s, cmd("r1", "PEXPIREAT", "k", "1"))).toThrow(/not modelled/);
  });
  it("an expiry in the past on the master reaches the replica as DEL", () => {
    const s = run(replicated("redis-7.0"), cmd("m", "SET", "k", "v"), cmd("m", "PEXPIREAT", "k", "1")).state;
    expect(info(s, "r1").dataset).toEqual({});
  });
});
