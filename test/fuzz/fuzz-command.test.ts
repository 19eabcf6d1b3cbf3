// `replcheck fuzz` as a user runs it, a real process from this checkout: a short seeded run
// against redis-server exits 0 with the statistics and the verdict, and a missing redis-server is
// a clear exit 2 before any server starts. (The installed package runs it in
// test/package/consumer.test.ts.)

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_REDIS_SERVER, redisServerAvailable } from "../../harness/fuzz/servers.js";

const BIN = resolve(import.meta.dirname, "../../bin/replcheck.js");
const strict = process.env.REPLCHECK_STRICT === "1";
const available = redisServerAvailable();
const dir = mkdtempSync(join(tmpdir(), "replcheck-fuzz-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function replcheck(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 600_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("replcheck fuzz", () => {
  it("says what to do, exit 2, when the redis-server to compare with does not exist", () => {
    const missing = join(dir, "no-such-redis-server");
    const r = replcheck(["fuzz", "--frames", "10", "--redis-server", missing]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`replcheck fuzz: ${missing} does not exist`);
    expect(r.err).toMatch(/what to do: install redis-server 7\.0 .* or give --redis-server PATH/);
  });

  it("refuses a bad option value at parse time (exit 2)", () => {
    const r = replcheck(["fuzz", "--lanes", "9"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--lanes/);
  });

  it.skipIf(!available && !strict)(
    "runs a seeded short campaign against redis-server: statistics, peak RSS and verdict, exit 0",
    () => {
      if (!available) throw new Error(`${DEFAULT_REDIS_SERVER} is absent and REPLCHECK_STRICT=1`);
      const r = replcheck(["fuzz", "--frames", "300", "--lanes", "1", "--seed", "7"]);
      expect(r.code, `${r.out}\n${r.err}`).toBe(0);
      expect(r.out).toMatch(/^replcheck fuzz: 300 frames, seed 7, 1 lane\(s\)$/m);
      expect(r.out).toMatch(/differential fuzz against .*redis-server: seed 7, 1 lane\(s\)/);
      expect(r.out).toMatch(/^crashes: built-in 0, redis-server 0$/m);
      expect(r.out).toMatch(/^peak RSS \(VmHWM, largest process\): built-in [\d.]+ MB, redis-server [\d.]+ MB$/m);
      expect(r.out).toMatch(/verdict: every difference is a known one \(exit 0\)/);
    },
    700_000,
  );
});
