// --timers on real servers: the binary target gets the clock capability and makes each timer event
// happen by waiting for redis-server's own timers (targets/real-time-timers.ts), and the model's
// prediction holds; without --timers nothing changes. Each event takes a few seconds of real time.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createAdminClient } from "../../harness/client.js";
import { counterexampleLines, writeScenarioFile } from "../../harness/report/scenario-file.js";
import type { CampaignResult } from "../../harness/run/campaign.js";
import { runConfig } from "../../harness/run/defaults.js";
import { runScenario } from "../../harness/run/scenario-run.js";
import { scenarioArbitrary } from "../../harness/steps/generators.js";
import type { Step } from "../../harness/steps/step.js";
import { createBinaryTarget } from "../../harness/targets/binary.js";
import { createBuiltinTarget } from "../../harness/targets/builtin.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { parseTarget } from "../../harness/targets/parse.js";
import { elapseInRealTime, REAL_TIME_SETTINGS } from "../../harness/targets/real-time-timers.js";
import { OutcomeUnknown } from "../../harness/targets/target.js";
import { waitFor } from "../../harness/util/wait-for.js";
import { runReplcheck } from "../support/replcheck-process.js";
import { announceLiveRedis, REDIS_SERVER, redisAvailable } from "./live-redis.js";

announceLiveRedis("real-time timers");

describe("--timers and the clock capability", () => {
  it("binary, image and mixed targets have the clock only with --timers; builtin always", () => {
    for (const spec of ["redis-server", "binary:/some/server", "image:redis:7.0", "mixed:builtin,redis-server"]) {
      expect(parseTarget(spec).capabilities.clock).toBe(false);
      expect(parseTarget(spec, { timers: true }).capabilities.clock).toBe(true);
    }
    expect(parseTarget("builtin").capabilities.clock).toBe(true);
  });

  it("without --timers no timer step is generated for redis-server; with it they are", () => {
    const kinds = (timers: boolean) =>
      new Set(
        fc
          .sample(scenarioArbitrary(3, 30, { capabilities: parseTarget("redis-server", { timers }).capabilities }), {
            numRuns: 100,
            seed: 5,
          })
          .flat()
          .map((raw) => raw.t),
      );
    expect(kinds(false).has("timer")).toBe(false);
    expect(kinds(true).has("timer")).toBe(true);
  });
});

describe.runIf(redisAvailable)("timer events on redis-server with --timers", () => {
  const make = () => parseTarget("redis-server", { timers: true }).make({});
  const steps: Step[] = [
    { action: { kind: "replicaof", node: "n1", master: "n0" } },
    { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "k", "v"], now: 0 } },
    { action: { kind: "ping-tick", node: "n0" } },
    { action: { kind: "repl-timeout", replica: "n1" } },
    { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "k", "w"], now: 0 } },
    { action: { kind: "replicaof-no-one", node: "n1" } },
    { action: { kind: "config-set", node: "n1", name: "repl-backlog-ttl", value: "3600" } },
    { action: { kind: "backlog-ttl-expired", node: "n1" } },
    { action: { kind: "command", node: "n1", db: 0, argv: ["SET", "k", "x"], now: 0 } },
  ];

  it("the cron's PING, a repl-timeout and a backlog TTL each happen once, as the model predicts", {
    timeout: 180_000,
  }, async () => {
    const result = await runScenario(runConfig(make, { replicas: 1 }), null, steps);
    expect(result.status, result.reason).toBe("passed");
    const at = (kind: string) => result.steps.find((s) => s.step.action.kind === kind)!;
    // Each event really happened (the model also allows nothing to happen nowhere here).
    const ping = at("ping-tick");
    const before = result.steps[ping.index - 2];
    expect(Number(ping.observed.n0.offset) - Number(before.observed.n0.offset)).toBe(14);
    expect(at("repl-timeout").observed.n0.syncs).toContain("ok 1 ");
    expect(at("backlog-ttl-expired").observed.n1.backlog).toBe("none");
    for (const kind of ["ping-tick", "repl-timeout", "backlog-ttl-expired"]) expect(at(kind).failures).toEqual([]);
  });

  it("on a mixed target too: the built-in master's cron at once, the redis-server replica's timeout in real time", {
    timeout: 180_000,
  }, async () => {
    const mixed = parseTarget("mixed:builtin,redis-server", { timers: true });
    const result = await runScenario(
      runConfig(() => mixed.make({}), { replicas: 1 }),
      null,
      steps,
    );
    expect(result.status, result.reason).toBe("passed");
    const at = (kind: string) => result.steps.find((s) => s.step.action.kind === kind)!;
    expect(at("repl-timeout").observed.n0.syncs).toContain("ok 1 ");
    expect(at("backlog-ttl-expired").observed.n1.backlog).toBe("none");
  });

  it("restores the setting and reports an unknown outcome when the event does not come in time", {
    timeout: 60_000,
  }, async () => {
    const target = await createBinaryTarget({ binary: REDIS_SERVER, timers: true });
    const admins: Redis[] = [];
    try {
      const config = { ...deterministicConfig(), "repl-backlog-ttl": "3600" };
      const [n0, n1] = await Promise.all([target.startNode("n0", config), target.startNode("n1", config)]);
      for (const n of [n0, n1]) admins.push(await createAdminClient({ host: n.host, port: n.port }));
      const [, replica] = admins;
      const info = async () => (await replica.call("INFO", "replication")) as string;
      // n1 gets a backlog by replicating n0, then is promoted: the ttl counts from the promotion,
      // so 1 ms is far too short for it.
      await replica.call("REPLICAOF", n0.host, String(n0.port));
      await waitFor(async () => (await info()).includes("master_link_status:up"), { deadlineMs: 30_000 });
      await replica.call("REPLICAOF", "NO", "ONE");
      expect(await info()).toContain("repl_backlog_active:1");
      await expect(elapseInRealTime(n1, "backlog-ttl", {}, { deadlineMs: 1 })).rejects.toThrow(OutcomeUnknown);
      expect(await replica.call("CONFIG", "GET", "repl-backlog-ttl")).toEqual(["repl-backlog-ttl", "3600"]);
    } finally {
      for (const a of admins) a.disconnect();
      await target.stopAll();
    }
  });

  it("changes nothing where the server would do nothing however long the time ran", { timeout: 60_000 }, async () => {
    const target = await createBinaryTarget({ binary: REDIS_SERVER, timers: true });
    let admin: Redis | undefined;
    try {
      const node = await target.startNode("n0", deterministicConfig());
      admin = await createAdminClient({ host: node.host, port: node.port });
      const offset = async () =>
        /master_repl_offset:(\d+)/.exec((await admin!.call("INFO", "replication")) as string)?.[1];
      const start = await offset();
      // No replicas: no PING; not a replica: no repl-timeout; no backlog: no TTL.
      for (const event of ["ping", "repl-timeout", "backlog-ttl"] as const)
        await elapseInRealTime(node, event, {}, { deadlineMs: 1 });
      expect(await offset()).toBe(start);
    } finally {
      admin?.disconnect();
      await target.stopAll();
    }
  });
});

describe("--timers on the command line", () => {
  it.each([
    [["run", "--timers=yes"], /unknown option '--timers=yes'/],
    [["run", "--timers", "--skip", "timers"], /--timers with --skip timers: no timer step would run/],
    [["run", "--timers", "--only", "writes"], /--timers with --only that leaves out timers/],
  ])("refuses %j with exit 2 before starting", async (args, message) => {
    const r = await runReplcheck(args, process.cwd());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it("is in the help of run, replay and matrix", async () => {
    for (const command of ["run", "replay", "matrix"]) {
      const r = await runReplcheck([command, "--help"], process.cwd());
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/--timers\s+redis-server, binary:PATH and image targets run timer\s+steps/);
    }
  });

  it.runIf(redisAvailable)(
    "replay of timer steps on redis-server: refused without --timers, checked with it",
    {
      timeout: 180_000,
    },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "replcheck-timers-"));
      try {
        const file = join(dir, "timers.json");
        writeScenarioFile(file, { replicas: 1, nodeConfig: deterministicConfig(), origin: {}, steps: steps3() });
        const refused = await runReplcheck(["replay", file, "--target", "redis-server"], process.cwd());
        expect(refused.code).toBe(2);
        expect(refused.err).toContain("steps[1] (ping-tick) needs making a node's timers elapse on demand");
        const r = await runReplcheck(["replay", file, "--target", "redis-server", "--timers"], process.cwd());
        expect(r.code, r.out + r.err).toBe(0);
        expect(r.out).toContain("replication cron PING");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

function steps3(): Step[] {
  return [
    { action: { kind: "replicaof", node: "n1", master: "n0" } },
    { action: { kind: "ping-tick", node: "n0" } },
    { action: { kind: "repl-timeout", replica: "n1" } },
    { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "k", "v"], now: 0 } },
  ];
}

describe("docs/target-requirements.md", () => {
  it("names every setting --timers lowers, with its values", () => {
    const page = readFileSync(resolve(import.meta.dirname, "../../docs/target-requirements.md"), "utf8");
    const missing = Object.values(REAL_TIME_SETTINGS)
      .flatMap(({ name, values }) => values.map((v) => `\`CONFIG SET ${name} ${v}\``))
      .filter((text) => !page.includes(text));
    expect(missing).toEqual([]);
  });
});

describe("a --timers run's counterexample", () => {
  it("is rerun and replayed with --timers", () => {
    const result = { seed: 7, path: "3:1" } as CampaignResult;
    const origin = { target: "redis-server", replicas: 2, steps: 30 };
    const lines = counterexampleLines(result, { ...origin, timers: true }, "ce.json");
    expect(lines.rerun).toMatch(/^replcheck run --target redis-server .* --timers$/);
    expect(lines.replay).toBe("replcheck replay ce.json --target redis-server --timers");
    expect(counterexampleLines(result, origin, "ce.json").replay).toBe(
      "replcheck replay ce.json --target redis-server",
    );
  });
});

describe("a timer the target cannot make happen exactly once", () => {
  it("makes the scenario inconclusive with the reason, not a divergence or a crash", async () => {
    const make = () =>
      createBuiltinTarget({
        onStart: (server) => {
          server.replication.elapse = () => {
            throw new OutcomeUnknown("the cron ticked twice");
          };
        },
      });
    const result = await runScenario(runConfig(make, { replicas: 1 }), null, [
      { action: { kind: "replicaof", node: "n1", master: "n0" } },
      { action: { kind: "ping-tick", node: "n0" } },
      { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "k", "v"], now: 0 } },
    ]);
    expect(result.status).toBe("inconclusive");
    expect(result.reason).toBe("n0: replication cron PING: the cron ticked twice");
    expect(result.steps).toHaveLength(2);
  });
});
