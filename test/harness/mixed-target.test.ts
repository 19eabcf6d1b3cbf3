// The mixed target (`--target mixed:MASTER_TARGET,REPLICA_TARGET`): how a value is split into its
// two sides, where link proxies listen, the capabilities it declares, that the first node runs on
// the master's side and every later one on the replica's, that stopAll stops both sides, that a
// side which cannot be made stops the other, and that a scenario checks each node against its own
// profile and names both in its result, the CLI's start line, report and JUnit file.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createAdminClient } from "../../harness/client.js";
import { infoField } from "../../harness/observe/index.js";
import { runConfig } from "../../harness/run/defaults.js";
import { chooseNodeProfiles } from "../../harness/run/profile-choice.js";
import { runScenario } from "../../harness/run/scenario-run.js";
import { parseTarget } from "../../harness/targets/parse.js";
import { intersectCapabilities, sharedProxyHost, splitMixedSpec } from "../../harness/targets/mixed.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { findTargetForm } from "../../harness/targets/registry.js";
import { supports, TargetUnavailable, type Target } from "../../harness/targets/target.js";
import { failover } from "./mixed-failover.js";
import { announceLiveRedis, REDIS_SERVER, redisAvailable } from "./live-redis.js";

announceLiveRedis("mixed target");

const BIN = resolve(import.meta.dirname, "../../bin/replcheck.js");
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "replcheck-mixed-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const isForm = (s: string) => findTargetForm(s) !== undefined;

/** What a synchronous call threw (the test fails if it threw nothing). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("splitting a mixed --target value", () => {
  it("takes any two registered forms, in order: master side first", () => {
    expect(splitMixedSpec("builtin,redis-server", isForm)).toEqual({ master: "builtin", replica: "redis-server" });
    expect(splitMixedSpec("redis-server,builtin", isForm)).toEqual({ master: "redis-server", replica: "builtin" });
    expect(splitMixedSpec("binary:/opt/a b/server,image:valkey/valkey:8", isForm)).toEqual({
      master: "binary:/opt/a b/server",
      replica: "image:valkey/valkey:8",
    });
  });

  it("finds the one comma that separates two forms when a path holds another", () => {
    expect(splitMixedSpec("binary:/opt/x,y/server,builtin", isForm)).toEqual({
      master: "binary:/opt/x,y/server",
      replica: "builtin",
    });
  });

  it("refuses one target, an unknown side, a nested mixed target and an ambiguous path, saying why", () => {
    for (const [bad, message] of [
      ["builtin", /does not name two targets/],
      ["builtin,", /does not name two targets/],
      ["builtin,nonsense", /does not name two targets/],
      ["mixed:builtin,redis-server,builtin", /cannot contain another mixed target/],
      ["binary:a,binary:b,binary:c", /can be read in 2 ways/],
    ] as const) {
      const e = thrown(() => splitMixedSpec(bad, isForm));
      expect(e).toBeInstanceOf(TargetUnavailable);
      expect(e.message).toMatch(message);
      expect((e as TargetUnavailable).hint).not.toBe("");
    }
  });

  it("the registry knows the form; a bad value fails when the target is made (exit 2 in the CLI)", async () => {
    expect(parseTarget("mixed:builtin,redis-server")).toMatchObject({ kind: "mixed", mayBeAbsent: true });
    await expect(parseTarget("mixed:builtin").make({})).rejects.toThrow(/does not name two targets/);
  });
});

/** A target that only has proxy hosts, a description and a stop counter: enough for sharedProxyHost. */
function hostsOnly(listen: string, description = listen): Target & { stops: number } {
  const t = {
    kind: "fake",
    capabilities: supports({}),
    description,
    proxyListenHost: listen,
    proxyAdvertiseHost: listen,
    startNode: () => Promise.reject(new Error("not for starting")),
    stops: 0,
    stopAll: async () => {
      t.stops++;
    },
  };
  return t;
}

describe("where a mixed target's link proxies listen", () => {
  it("both sides local: loopback; one side in containers: its gateway (local processes reach it too)", () => {
    expect(sharedProxyHost(hostsOnly("127.0.0.1"), hostsOnly("127.0.0.1"))).toEqual({
      listen: "127.0.0.1",
      advertise: "127.0.0.1",
    });
    expect(sharedProxyHost(hostsOnly("127.0.0.1"), hostsOnly("10.88.0.1")).listen).toBe("10.88.0.1");
    expect(sharedProxyHost(hostsOnly("10.88.0.1"), hostsOnly("127.0.0.1")).listen).toBe("10.88.0.1");
  });

  it("refuses two different container networks", () => {
    const e = thrown(() => sharedProxyHost(hostsOnly("10.88.0.1", "image a"), hostsOnly("10.89.0.1", "image b")));
    expect(e).toBeInstanceOf(TargetUnavailable);
    expect(e.message).toMatch(/image a: 10\.88\.0\.1; image b: 10\.89\.0\.1/);
  });

  it("has a capability only when both sides have it", () => {
    expect(
      intersectCapabilities(
        supports({ localLogs: true, loopbackAliases: true }),
        supports({ loopbackAliases: true, pause: true }),
      ),
    ).toEqual(supports({ loopbackAliases: true }));
  });
});

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = createConnection({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      done(true);
    });
    s.once("error", () => done(false));
  });
}

/** "builtin" for the built-in server, else redis_version. */
async function serverKind(host: string, port: number): Promise<string | undefined> {
  const c = await createAdminClient({ host, port });
  try {
    const text = String(await c.call("INFO", "server"));
    return infoField(text, "replcheck_version") === undefined ? infoField(text, "redis_version") : "builtin";
  } finally {
    c.disconnect();
  }
}

describe.runIf(redisAvailable)("a live mixed target", () => {
  it("starts the first node on the master's side and the rest on the replica's; stopAll stops both", {
    timeout: 120_000,
  }, async () => {
    const target = await parseTarget("mixed:builtin,redis-server").make({});
    try {
      expect(target.kind).toBe("mixed");
      expect(target.description).toMatch(/^mixed: replcheck built-in server .* \+ redis-server 7\.0\.15 /);
      // builtin has no log file and redis-server no clock: each only if both sides have it; both pause.
      expect(target.capabilities).toEqual(supports({ loopbackAliases: process.platform === "linux", pause: true }));
      const nodes = [];
      for (const name of ["n0", "n1", "n2"]) nodes.push(await target.startNode(name, deterministicConfig()));
      expect(await Promise.all(nodes.map((n) => serverKind(n.host, n.port)))).toEqual(["builtin", "7.0.15", "7.0.15"]);
      await target.stopAll();
      expect(await Promise.all(nodes.map((n) => listening(n.port)))).toEqual([false, false, false]);
    } finally {
      await target.stopAll();
    }
  });

  it("a side that cannot be made fails the target and the other side is stopped (its directory removed)", async () => {
    const workRoot = tempDir();
    const made = parseTarget(`mixed:redis-server,binary:${join(workRoot, "no-such-server")}`).make({ workRoot });
    await expect(made).rejects.toBeInstanceOf(TargetUnavailable);
    // The redis-server side had created its per-run root; stopping it removed it again.
    expect(readdirSync(workRoot)).toEqual([]);
  });
});

describe.runIf(redisAvailable)("a scenario on a mixed target", () => {
  for (const [spec, masterProfile, replicaProfile] of [
    ["mixed:builtin,redis-server", "replcheck built-in server", "Redis 7.0 (7.0.15)"],
    ["mixed:redis-server,builtin", "Redis 7.0 (7.0.15)", "replcheck built-in server"],
  ] as const) {
    it(`${spec}: each node has its own profile, a failover promotes across kinds, every check holds`, {
      timeout: 180_000,
    }, async () => {
      const result = await runScenario(runConfig(spec, { checkpointEvery: 1 }), null, failover);
      expect(result.reason).toBeUndefined();
      expect(result.status).toBe("passed");
      expect(result.steps).toHaveLength(failover.length);
      expect(result.profile.startsWith(masterProfile)).toBe(true);
      expect(result.profile).toContain(` on n0 + ${replicaProfile}`);
      expect(result.profile.endsWith(" on n1, n2")).toBe(true);
      // No one profile for clause coverage: the nodes differ.
      expect(result.profileId).toBeUndefined();
      expect(result.target).toMatch(/^mixed: /);
      // The promotion moved n1 (the other kind) to master, with n0 and n2 its replicas.
      const last = result.steps[result.steps.length - 1];
      expect([last.observed.n0.role, last.observed.n1.role, last.observed.n2.role]).toEqual([
        "replica of n1",
        "master",
        "replica of n1",
      ]);
    });
  }
});

describe("choosing each node's profile", () => {
  const builtin = { replcheck_version: "0.1.0", redis_version: "7.0.0" };
  const redis = { redis_version: "7.0.15" };

  it("one profile: named as before, with its id for coverage", () => {
    expect(chooseNodeProfiles({ n0: redis, n1: redis })).toMatchObject({
      text: "Redis 7.0 (7.0.15)",
      sole: "redis-7.0",
    });
  });

  it("several: each with its nodes, and no single id", () => {
    const p = chooseNodeProfiles({ n0: builtin, n1: redis, n2: redis });
    expect(p.text).toBe("replcheck built-in server (0.1.0) on n0 + Redis 7.0 (7.0.15) on n1, n2");
    expect(p.sole).toBeUndefined();
    expect(Object.fromEntries(Object.entries(p.byNode).map(([n, i]) => [n, i.profile.id]))).toEqual({
      n0: "builtin",
      n1: "redis-7.0",
      n2: "redis-7.0",
    });
  });

  it("--profile applies to every node; an unknown version names the node", () => {
    expect(chooseNodeProfiles({ n0: builtin, n1: redis }, "redis-7.0").sole).toBe("redis-7.0");
    const e = thrown(() => chooseNodeProfiles({ n0: redis, n1: { redis_version: "9.9.9" } }));
    expect(e).toBeInstanceOf(TargetUnavailable);
    expect(e.message).toMatch(/^node n1: unsupported server version: Redis 9\.9\.9/);
  });
});

describe.runIf(redisAvailable && existsSync(REDIS_SERVER))("replcheck run --target mixed:...", () => {
  it("the start line, the report and the JUnit file name both kinds and both profiles", { timeout: 300_000 }, () => {
    const dir = tempDir();
    const junit = join(dir, "junit.xml");
    const r = spawnSync(
      process.execPath,
      [BIN, "run", "--target", "mixed:redis-server,builtin", "--runs", "3", "--seed", "5", "--junit", junit],
      { encoding: "utf8", timeout: 280_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/target mixed:redis-server,builtin, profile of each node from its INFO server,/);
    const both =
      /mixed: redis-server 7\.0\.15 \(.*\) \+ replcheck built-in server \(in process\), profile Redis 7\.0 \(7\.0\.15\) on n0 \+ replcheck built-in server \(.*\) on n1, n2/;
    expect(r.stdout).toMatch(both);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/<property name="target" value="mixed: redis-server 7\.0\.15 .* \+ replcheck built-in server/);
    expect(xml).toMatch(/<property name="profile" value="Redis 7\.0 \(7\.0\.15\) on n0 \+ replcheck built-in server/);
  });
});
