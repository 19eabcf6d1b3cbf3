// The replcheck CLI end to end, as real processes: the exit-code contract (0, 2, 3, 130, 143; 1 is
// checked from results in exit-codes.test.ts), option validation before anything starts, reports,
// JUnit, saved scenarios and replay.

import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { writeScenarioFile } from "../../harness/report/scenario-file.js";
import { scenarioArbitrary } from "../../harness/steps/generators.js";
import { TARGETED_SCENARIOS } from "../../harness/scenario/targeted.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { parseTarget } from "../../harness/targets/parse.js";
import { BIN, type Ran, runReplcheck } from "../support/replcheck-process.js";

const VERSION = JSON.parse(readFileSync(resolve(import.meta.dirname, "../../package.json"), "utf8")).version as string;
const REDIS = "/usr/bin/redis-server";
const haveRedis = existsSync(REDIS);
const strict = process.env.REPLCHECK_STRICT === "1";
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "replcheck-cli-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function replcheck(args: string[], cwd?: string): Ran {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd, timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * A server binary that only records that it was executed (even `--version`): a command refused
 * before anything starts never creates the marker.
 */
function markerServer(): { target: string; started: () => boolean } {
  const dir = tempDir();
  const marker = join(dir, "started");
  const path = join(dir, "fake-server");
  writeFileSync(path, `#!/bin/sh\necho "$@" >> '${marker}'\necho "Redis server v=7.0.15 sha=0"\n`);
  chmodSync(path, 0o755);
  return { target: `binary:${path}`, started: () => existsSync(marker) };
}

/** A minimal valid scenario file with these steps. */
function scenarioFile(steps: unknown[], replicas = 1): string {
  const file = join(tempDir(), "scenario.json");
  writeScenarioFile(file, { replicas, nodeConfig: deterministicConfig(), origin: {}, steps: steps as never });
  return file;
}

describe("replcheck CLI: usage and start-up (exit 2)", () => {
  it("--version prints the package version", () => {
    const r = replcheck(["--version"]);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(VERSION);
  });

  it("every bad option exits 2 with one line, before anything starts", { timeout: 300_000 }, async () => {
    const fake = markerServer();
    const file = scenarioFile([{ action: { kind: "replicaof", node: "n1", master: "n0" } }]);
    const run = (...args: string[]) => ["run", "--target", fake.target, ...args];
    const cases: [string[], RegExp][] = [
      [run("--runs", "abc"), /--runs.*'abc' is invalid.*whole number ≥ 1/],
      [run("--runs", "-1"), /--runs.*'-1' is invalid/],
      [run("--runs", "0"), /--runs.*'0' is invalid/],
      [run("--time-limit", "xyz"), /--time-limit.*'xyz' is invalid.*60s/],
      [run("--time-limit", "0s"), /--time-limit.*'0s' is invalid/],
      [run("--seed", "1.5"), /--seed.*'1\.5' is invalid.*32-bit integer/],
      [run("--seed", "1", "--path", "garbage"), /--path.*'garbage' is invalid.*colons/],
      [run("--seed", "1", "--path", "1:-2"), /--path.*'1:-2' is invalid/],
      [run("--path", "3:1"), /--path needs --seed/],
      [run("--replicas", "abc"), /--replicas.*'abc' is invalid/],
      [run("--replicas", "100"), /--replicas.*'100' is invalid.*from 0 to 9/],
      [run("--steps", "abc"), /--steps.*'abc' is invalid/],
      [
        run("--profile", "redis-9"),
        /--profile.*'redis-9' is invalid.*builtin, redis-6\.2, redis-7\.0, redis-7\.2, valkey-8/,
      ],
      [run("--no-such-option"), /unknown option '--no-such-option'/],
      [["run", "--target", "nonsense"], /--target.*'nonsense' is invalid.*binary:PATH/],
      [["run", "--target", "binary:"], /--target.*'binary:' is invalid/],
      [["replay", file, "--target", "nonsense"], /--target.*'nonsense' is invalid/],
      [["replay", file, "--target", fake.target, "--profile", "nope"], /--profile.*'nope' is invalid/],
      [["replay"], /missing required argument 'file'/],
      [["frobnicate"], /unknown command 'frobnicate'/],
    ];
    const results = await Promise.all(cases.map(([args]) => runReplcheck(args, process.cwd())));
    results.forEach((r, i) => {
      const [args, message] = cases[i];
      const what = `replcheck ${args.join(" ")}: ${r.err}`;
      expect(r.code, what).toBe(2);
      expect(r.err.trim().split("\n"), what).toHaveLength(1);
      expect(r.err, what).toMatch(message);
      expect(r.out, what).toBe("");
    });
    expect(fake.started()).toBe(false);
  });

  it("exits 2 with what to do when the target cannot start", () => {
    const r = replcheck(["run", "--target", "binary:/no/such/server", "--runs", "1"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot start: .*\/no\/such\/server/);
    expect(r.err).toMatch(/what to do: /);
  });

  it("--out and --junit that cannot be created exit 2 at start", { timeout: 300_000 }, async () => {
    const fake = markerServer();
    const blocker = join(tempDir(), "a-file");
    writeFileSync(blocker, "");
    const [out, junit] = await Promise.all([
      runReplcheck(["run", "--target", fake.target, "--out", join(blocker, "out")], process.cwd()),
      runReplcheck(["run", "--target", fake.target, "--junit", join(blocker, "reports", "junit.xml")], process.cwd()),
    ]);
    expect(out.code).toBe(2);
    expect(out.err).toMatch(/cannot create or write the --out directory .*a-file\/out/);
    expect(junit.code).toBe(2);
    expect(junit.err).toMatch(/cannot create or write the --junit directory .*a-file\/reports/);
    expect(fake.started()).toBe(false);
  });

  it("replay validates the whole file before starting nodes: exit 2 naming the field", {
    timeout: 300_000,
  }, async () => {
    const fake = markerServer();
    const attach = { action: { kind: "replicaof", node: "n1", master: "n0" } };
    const set = { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "k", "v"], now: 0 } };
    const teleport = scenarioFile([attach, set, set, { action: { kind: "teleport", node: "n0" } }, set]);
    const node = scenarioFile([
      attach,
      { action: { kind: "command", node: "n7", db: 0, argv: ["SET", "k", "v"], now: 0 } },
    ]);
    const nullField = scenarioFile([attach, { action: { kind: "link", replica: "n1", state: null } }]);
    const newer = scenarioFile([attach]);
    writeFileSync(newer, readFileSync(newer, "utf8").replace("replcheck-scenario/1", "replcheck-scenario/7"));
    const other = scenarioFile([]);
    writeFileSync(other, readFileSync(other, "utf8").replace("replcheck-scenario/1", "other"));
    const cases: [string, RegExp][] = [
      [teleport, /steps\[3\]\.action\.kind: unknown step kind "teleport"/],
      [node, /steps\[1\]\.action\.node: unknown node "n7" \(this scenario has n0, n1\)/],
      [nullField, /steps\[1\]\.action\.state: null is not allowed/],
      [newer, /format: replcheck-scenario\/7 is newer than this replcheck reads \(replcheck-scenario\/1\)/],
      [other, /not a replcheck scenario file/],
      [join(tempDir(), "missing.json"), /cannot read scenario file/],
    ];
    const results = await Promise.all(
      cases.map(([f]) => runReplcheck(["replay", f, "--target", fake.target], process.cwd())),
    );
    results.forEach((r, i) => {
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(cases[i][1]);
      expect(r.err).toContain(cases[i][0]);
    });
    expect(fake.started()).toBe(false);
  });
});

describe("replcheck CLI: verdicts on the builtin target", () => {
  it("exit 0: a short run checked steps and every check held; --out and --junit parents are created", {
    timeout: 300_000,
  }, () => {
    const dir = tempDir();
    const out = join(dir, "deep", "out");
    const junit = join(dir, "reports", "ci", "junit.xml");
    const r = replcheck([
      "run",
      "--target",
      "builtin",
      "--runs",
      "2",
      "--steps",
      "5",
      "--seed",
      "7",
      "--out",
      out,
      "--junit",
      junit,
    ]);
    expect(r.code, r.out + r.err).toBe(0);
    // The targeted scenarios ran first, then the two generated ones.
    expect(r.out).toMatch(/\n\d+ targeted scenarios: \d+ passed, \d+ steps checked in [\d.]+s\n2 generated scenarios/);
    expect(r.out).toMatch(
      /replcheck: every check held \(\d+ steps in 2 scenarios, after \d+ targeted scenarios\) \(exit 0\)/,
    );
    expect(existsSync(junit)).toBe(true);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(report.exitCode).toBe(0);
    expect(report.steps).toBeGreaterThan(0);
    expect(report.targeted.outcomes.every((o: { status: string }) => o.status === "passed")).toBe(true);
  });

  it("exit 3: a run whose only generated step resolves to nothing checks nothing", { timeout: 300_000 }, () => {
    // One node and one raw step: a fault, failover or REPLICAOF on a lone master resolves to no step.
    const nothing = new Set([
      "link",
      "throttle",
      "failover",
      "lagging-failover",
      "replicaof",
      "resync",
      "lagging-resize",
      "writable-replica",
      "pause",
    ]);
    // The run draws from the generators the builtin target's capabilities allow, as here.
    const arbitrary = scenarioArbitrary(1, 1, { capabilities: parseTarget("builtin").capabilities });
    let seed = 1;
    while (!nothing.has(fc.sample(arbitrary, { seed, numRuns: 1 })[0][0].t)) seed++;
    const r = replcheck([
      "run",
      "--target",
      "builtin",
      "--replicas",
      "0",
      "--steps",
      "1",
      "--runs",
      "1",
      "--seed",
      String(seed),
      // The targeted scenarios would check steps of their own.
      "--no-targeted",
    ]);
    expect(r.code, r.out + r.err).toBe(3);
    expect(r.out).toMatch(/no verdict: nothing was checked \(exit 3\)/);
  });

  it("exit 3: replaying a scenario without steps checks nothing", () => {
    const r = replcheck(["replay", scenarioFile([]), "--target", "builtin"]);
    expect(r.code, r.out + r.err).toBe(3);
    expect(r.out).toMatch(/no verdict: nothing was checked/);
  });

  it("--profile is passed to the run: the builtin checked as Redis 7.0", () => {
    const s = TARGETED_SCENARIOS[0];
    const r = replcheck(["replay", scenarioFile(s.steps, s.replicas), "--target", "builtin", "--profile", "redis-7.0"]);
    expect(r.out).toMatch(/\(Redis 7\.0 \(replcheck [^)]*, chosen with --profile redis-7\.0\)\)/);
  });
});

/** redis-server processes whose parent is `ppid`, with their start times (to tell a reused pid). */
function redisChildren(ppid: number): Map<number, string> {
  const found = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat !== undefined && stat.ppid === ppid && stat.comm === "redis-server") found.set(Number(entry), stat.start);
  }
  return found;
}

function procStat(pid: number): { comm: string; state: string; ppid: number; start: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  const comm = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { comm, state: fields[0], ppid: Number(fields[1]), start: fields[19] };
}

/** The same process (pid and start time), still running (not a zombie). */
function stillRunning(pid: number, start: string): boolean {
  const s = procStat(pid);
  return s !== undefined && s.start === start && s.state !== "Z" && s.state !== "X";
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (haveRedis || strict) {
  describe("replcheck CLI on redis-server", () => {
    it("runs a campaign: rule table, JUnit, JSON report and node logs, exit 0", { timeout: 300_000 }, () => {
      const out = tempDir();
      const junit = join(out, "junit.xml");
      const r = replcheck([
        "run",
        "--target",
        "redis-server",
        "--runs",
        "3",
        "--steps",
        "8",
        "--seed",
        "7",
        "--out",
        out,
        "--junit",
        junit,
      ]);
      expect(r.err + r.out).not.toMatch(/cannot start/);
      expect(r.code, r.out + r.err).toBe(0);
      expect(r.out).toMatch(/profile Redis 7\.0 \(7\.0\.15\), seed 7/);
      expect(r.out).toMatch(/^PSYNC-4\s+\d+\s+0$/m);
      const xml = readFileSync(junit, "utf8");
      expect(xml).toMatch(/<testsuites name="replcheck" tests="\d+" failures="0"/);
      expect(xml).toMatch(/<testcase classname="replcheck\.[a-z-]+" name="REPLID-3"/);
      const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
      expect(report.rules["PSYNC-4"].checked).toBeGreaterThan(0);
      const logs = readdirSync(join(out, "nodes"), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith("server.log"));
      expect(logs.length).toBeGreaterThan(0);
    });

    it("replays a saved scenario step by step and prints each step", { timeout: 300_000 }, () => {
      const s = TARGETED_SCENARIOS.find((t) => t.name.startsWith("failover"))!;
      const r = replcheck(["replay", scenarioFile(s.steps, s.replicas), "--target", "redis-server"]);
      expect(r.code, r.out + r.err).toBe(0);
      expect(r.out).toMatch(/n1: REPLICAOF NO ONE/);
      expect(r.out).toMatch(/REPLID-4: n1 promoted/);
      expect(r.out).toMatch(/: passed$/m);
    });

    it("a server whose --version is not in Redis's format runs: INFO server picks the profile", {
      timeout: 300_000,
    }, () => {
      const dir = tempDir();
      const wrapper = join(dir, "my-server");
      // Debian's redis-server picks its mode from argv[0]: keep the name.
      writeFileSync(
        wrapper,
        `#!/bin/bash\nif [ "$1" = "--version" ]; then echo "my-server 1.0 (speaks RESP)"; exit 0; fi\nexec -a redis-server ${REDIS} "$@"\n`,
      );
      chmodSync(wrapper, 0o755);
      const s = TARGETED_SCENARIOS[0];
      const r = replcheck(["replay", scenarioFile(s.steps, s.replicas), "--target", `binary:${wrapper}`]);
      expect(r.code, r.out + r.err).toBe(0);
      expect(r.out).toMatch(/my-server \(.*\) \(Redis 7\.0 \(7\.0\.15\)\): passed/);
    });

    const campaign = (out: string) => [
      "run",
      "--target",
      "redis-server",
      "--out",
      out,
      "--junit",
      join(out, "junit.xml"),
      "--time-limit",
      "10m",
    ];
    /** After the first scenario was reported. */
    const campaignRunning = (_stdout: string, stderr: string) => /runs [1-9]/.test(stderr);

    /**
     * Starts `args(out)` on redis-server, sends `signal` (`times` times) once `running` says it is
     * mid-run with nodes up, and checks that it said so and left no redis-server behind.
     */
    async function interrupt(
      args: (out: string) => string[],
      running: (stdout: string, stderr: string) => boolean,
      signal: "SIGINT" | "SIGTERM",
      times: 1 | 2,
    ): Promise<{ code: number | null; stdout: string; stderr: string; out: string }> {
      const out = tempDir();
      const child = spawn(process.execPath, [BIN, ...args(out)], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d));
      child.stderr.on("data", (d: Buffer) => (stderr += d));
      const exited = new Promise<number | null>((done) => child.on("close", (c) => done(c)));
      let ended = false;
      void exited.then(() => (ended = true));
      const seen = new Map<number, string>();
      const record = () => {
        for (const [pid, start] of redisChildren(child.pid!)) seen.set(pid, start);
      };
      try {
        const ready = () => {
          if (!running(stdout, stderr)) return false;
          record();
          return seen.size > 0;
        };
        while (!ended && !ready()) await pause(20);
        expect(ended, stdout + stderr).toBe(false);
        for (let i = 0; i < times; i++) child.kill(signal);
        while (!ended) {
          record();
          await pause(20);
        }
        const code = await exited;
        expect(stdout + stderr).not.toMatch(/cannot start|internal error|harness bug|failed with an error/);
        // Every node was stopped (a SIGKILLed one may take a moment to be reaped).
        for (let i = 0; i < 100 && [...seen].some(([pid, start]) => stillRunning(pid, start)); i++) await pause(50);
        expect([...seen].filter(([pid, start]) => stillRunning(pid, start)).map(([pid]) => pid)).toEqual([]);
        return { code, stdout, stderr, out };
      } finally {
        if (!ended) child.kill("SIGKILL");
        for (const [pid, start] of seen) if (stillRunning(pid, start)) process.kill(pid, "SIGKILL");
      }
    }

    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      it(`${signal}: stops the run, writes the partial report, leaves no redis-server, exits ${code}`, {
        timeout: 300_000,
      }, async () => {
        const r = await interrupt(campaign, campaignRunning, signal, 1);
        expect(r.code, r.stdout + r.stderr).toBe(code);
        expect(r.stdout).toMatch(/^interrupted after \d+ scenarios$/m);
        const report = JSON.parse(readFileSync(join(r.out, "report.json"), "utf8"));
        expect(report.interrupted).toBe(true);
        expect(report.exitCode).toBe(code);
        expect(readFileSync(join(r.out, "junit.xml"), "utf8")).toMatch(/<testsuites/);
      });
    }

    it("a second SIGINT stops at once: still exit 130 and no redis-server left", { timeout: 300_000 }, async () => {
      const r = await interrupt(campaign, campaignRunning, "SIGINT", 2);
      expect(r.code, r.stdout + r.stderr).toBe(130);
      expect(r.stdout).toMatch(/interrupted after \d+ scenarios/);
    });

    it("SIGTERM stops a replay between steps: exit 143, no redis-server left", { timeout: 300_000 }, async () => {
      // Forty WAITs for a second replica that does not exist: each returns at its 1.5 s timeout.
      const wait = { action: { kind: "wait", node: "n0", numReplicas: 2, timeoutMs: 1500 } };
      const file = scenarioFile([
        { action: { kind: "replicaof", node: "n1", master: "n0" } },
        ...Array.from({ length: 40 }, () => wait),
      ]);
      const r = await interrupt(
        () => ["replay", file, "--target", "redis-server"],
        (stdout) => /n0: WAIT 2 1500/.test(stdout),
        "SIGTERM",
        1,
      );
      expect(r.code, r.stdout + r.stderr).toBe(143);
      expect(r.stdout).toMatch(/^interrupted after \d+ checked steps$/m);
      expect(r.stdout).toMatch(/: interrupted — /);
    });
  });
}
