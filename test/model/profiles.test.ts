// Implementation profiles (spec/profiles.md): detection and every version difference the profiles carry.

import { describe, expect, it } from "vitest";
import { chooseProfile, profileList } from "../../harness/run/profile-choice.js";
import { TargetUnavailable } from "../../harness/targets/target.js";
import {
  detectProfile,
  getProfile,
  PROFILES,
  rdbVersionForRelease,
  UnsupportedVersion,
  type ProfileId,
} from "../../model/profile.js";
import { cluster, cmd, run } from "./helpers.js";

describe("PROFILE-1: detection from INFO server", () => {
  it.each([
    [{ redis_version: "6.2.16" }, "redis-6.2"],
    [{ redis_version: "7.0.15" }, "redis-7.0"],
    [{ redis_version: "7.2.6" }, "redis-7.2"],
    [{ redis_version: "7.4.1" }, "redis-7.2"],
    [{ redis_version: "7.2.4", valkey_version: "8.0.1" }, "valkey-8"],
    // Valkey 7.2 is Redis 7.2.4 renamed.
    [{ server_name: "valkey", redis_version: "7.2.4", valkey_version: "7.2.5" }, "redis-7.2"],
    [{ redis_version: "7.0.15", replcheck_version: "0.1.0" }, "builtin"],
  ] as [Record<string, string>, ProfileId][])("%j -> %s", (fields, id) => {
    expect(detectProfile(fields).profile.id).toBe(id);
  });
  it("unknown versions are refused with a message naming the version", () => {
    expect(() => detectProfile({ redis_version: "5.0.14" })).toThrow(/5\.0\.14/);
    expect(() => detectProfile({ redis_version: "7.2.4", valkey_version: "9.0.0" })).toThrow(/9\.0\.0/);
    expect(() => detectProfile({})).toThrow(/redis_version/);
    expect(() => detectProfile({ redis_version: "8.0.0" })).toThrow(UnsupportedVersion);
  });
  it("Valkey 7.2 gets Redis 7.2's RDB version (11) and says it is Valkey", () => {
    const id = detectProfile({ server_name: "valkey", redis_version: "7.2.4", valkey_version: "7.2.5" });
    expect(id.profile.rdbVersion).toBe(11);
    expect(id.version).toBe("Valkey 7.2.5");
  });
});

describe("PROFILE-1: choosing a profile (--profile, or detection)", () => {
  const unavailable = (fn: () => unknown): TargetUnavailable => {
    try {
      fn();
    } catch (e) {
      if (e instanceof TargetUnavailable) return e;
      throw e;
    }
    throw new Error("expected TargetUnavailable");
  };
  it("without --profile it is detection", () => {
    expect(chooseProfile({ redis_version: "7.0.15" }).profile.id).toBe("redis-7.0");
    expect(chooseProfile({ redis_version: "7.2.4", valkey_version: "7.2.5" }).profile.id).toBe("redis-7.2");
  });
  it("an unknown version cannot start (exit 2): the message names it, the hint lists every profile and --profile", () => {
    for (const info of [{ redis_version: "8.0.0" }, { redis_version: "7.2.4", valkey_version: "9.0.1" }, {}] as Record<
      string,
      string
    >[]) {
      const e = unavailable(() => chooseProfile(info));
      expect(e.hint).toMatch(/--profile NAME/);
      for (const p of Object.values(PROFILES)) expect(e.hint).toContain(p.id);
    }
    expect(unavailable(() => chooseProfile({ redis_version: "8.0.0" })).message).toMatch(/Redis 8\.0\.0/);
    expect(profileList().split(", ")).toHaveLength(Object.values(PROFILES).length);
  });
  it("--profile NAME wins over the version, also an unknown one, and keeps what detection refines when they agree", () => {
    for (const p of Object.values(PROFILES)) {
      const chosen = chooseProfile({ redis_version: "8.0.0" }, p.id);
      expect(chosen.profile.id).toBe(p.id);
      expect(chosen.version).toMatch(/Redis 8\.0\.0, chosen with --profile/);
    }
    expect(chooseProfile({ redis_version: "7.0.15" }, "redis-6.2").profile.id).toBe("redis-6.2");
    // Agreeing with detection keeps the 7.2 release's RDB version (11), not 7.4's (12).
    expect(chooseProfile({ redis_version: "7.2.6" }, "redis-7.2").profile.rdbVersion).toBe(11);
  });
  it("an unknown --profile id cannot start", () => {
    expect(unavailable(() => chooseProfile({ redis_version: "7.0.15" }, "redis-9")).message).toMatch(
      /unknown model profile "redis-9"/,
    );
  });
});

describe("PROFILE-2: exact vs bounded backlogs", () => {
  it("builtin and 6.2 are rings; 7.x and Valkey are blocks", () => {
    const kinds = Object.fromEntries(Object.values(PROFILES).map((p) => [p.id, p.backlogKind]));
    expect(kinds).toEqual({
      builtin: "ring",
      "redis-6.2": "ring",
      "redis-7.0": "blocks",
      "redis-7.2": "blocks",
      "valkey-8": "blocks",
    });
  });
});

describe("PROFILE-3: every version difference the profiles carry", () => {
  const row = <K extends keyof ReturnType<typeof getProfile>>(key: K) =>
    Object.fromEntries(
      (["redis-6.2", "redis-7.0", "redis-7.2", "valkey-8", "builtin"] as ProfileId[]).map((id) => [
        id,
        getProfile(id)[key],
      ]),
    );
  it.each([
    [
      "defaults",
      {
        "redis-6.2": [false, 1048576, false],
        "redis-7.0": [true, 1048576, false],
        "redis-7.2": [true, 1048576, false],
        "valkey-8": [true, 10485760, true],
        builtin: [true, 1048576, false],
      },
    ],
  ])("%s (diskless sync, backlog size, lazyfree)", (_name, expected) => {
    const d = Object.fromEntries(
      Object.entries(row("defaults")).map(([id, v]) => [id, [v.replDisklessSync, v.replBacklogSize, v.lazyfree]]),
    );
    expect(d).toEqual(expected);
  });
  it.each([
    ["setExpireForm", "px-relative", "pxat", "pxat", "pxat", "pxat"],
    ["expireForm", "verbatim", "pexpireat", "pexpireat", "pexpireat", "pexpireat"],
    ["wrapping", "any-transaction", "multiple-ops", "multiple-ops", "multiple-ops", "multiple-ops"],
    ["selectInsideMulti", false, false, true, true, false],
    ["spopCountForm", "srem-each", "srem-each", "srem-batch", "srem-batch", "srem-each"],
    ["emptyFlushdbPropagated", false, true, true, true, true],
    ["waitTarget", "every-command", "every-command", "offset-moving", "offset-moving", "every-command"],
    ["waitInScripts", false, false, true, true, false],
    ["noBacklogGetackPlusOne", false, false, true, true, false],
    ["masterRestartKeepsHistory", false, true, true, true, true],
    ["dropSubReplicasOnReplicaof", true, false, false, false, false],
    ["stalePingAllowed", true, false, false, false, false],
    // OFFSET-12: 7.0+ masters propagate DELs of keys found expired in their RDB at start-up.
    ["startupExpiredKeysPropagated", false, true, true, true, true],
    ["backlogResize", "drop-history", "trim-blocks", "trim-blocks", "trim-blocks", "keep-newest"],
    ["backlogInfoWithoutBacklog", "stale", "zero", "zero", "zero", "zero"],
    ["doubleReply", "g17", "g17", "shortest", "shortest", "g17"],
    ["replicaLimitAtLeastBacklog", false, true, true, true, true],
  ] as const)("%s: 6.2 %j, 7.0 %j, 7.2+ %j, valkey %j, builtin %j", (key, r62, r70, r72, valkey, builtin) => {
    expect(row(key as keyof ReturnType<typeof getProfile>)).toEqual({
      "redis-6.2": r62,
      "redis-7.0": r70,
      "redis-7.2": r72,
      "valkey-8": valkey,
      builtin,
    });
  });
  it("error texts: WAIT on a replica (Valkey drops 'since Redis 4.0'), unknown command quoting (6.2 backticks)", () => {
    expect(getProfile("valkey-8").errors.waitOnReplica).toBe(
      getProfile("redis-7.0").errors.waitOnReplica.replace("since Redis 4.0 ", ""),
    );
    const unknown = (p: ProfileId) => run(cluster(p, ["m"]), cmd("m", "NOPE")).last.reply;
    expect(unknown("redis-6.2")).toEqual({
      kind: "error",
      value: "ERR unknown command `NOPE`, with args beginning with: ",
    });
    expect(unknown("redis-7.0")).toEqual({
      kind: "error",
      value: "ERR unknown command 'NOPE', with args beginning with: ",
    });
  });
});

describe("PROFILE-4: RDB versions", () => {
  it("6.2 = 9, 7.0 = 10, 7.2 = 11, 7.4 = 12, Valkey 8 = 11, builtin = 10", () => {
    expect(Object.fromEntries(Object.values(PROFILES).map((p) => [p.id, p.rdbVersion]))).toEqual({
      builtin: 10,
      "redis-6.2": 9,
      "redis-7.0": 10,
      "redis-7.2": 12,
      "valkey-8": 11,
    });
    expect(["6.2.16", "7.0.15", "7.2.6", "7.4.1"].map(rdbVersionForRelease)).toEqual([9, 10, 11, 12]);
    expect(detectProfile({ redis_version: "7.2.6" }).profile.rdbVersion).toBe(11);
  });
});
