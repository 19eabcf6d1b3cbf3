// The vitest entry point (replcheck/vitest) decides, before registering tests, whether to run,
// skip or fail: only what a machine may legitimately lack is skipped, and never under strict.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { suitePlan } from "../../harness/vitest.js";

const emptyDir = mkdtempSync(join(tmpdir(), "replcheck-empty-path-"));
afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

/** Runs `fn` with a PATH in which no redis-server can be found. */
async function withoutRedisInPath<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = emptyDir;
  try {
    return await fn();
  } finally {
    process.env.PATH = saved;
  }
}

describe("replicationConformanceSuite: run, skip or fail", () => {
  it("an explicit binary:PATH that does not exist fails, also without strict", async () => {
    const plan = await suitePlan("binary:/no/such/dir/my-server", false);
    expect(plan).toMatchObject({
      kind: "fail",
      reason: expect.stringMatching(/\/no\/such\/dir\/my-server does not exist/),
    });
  });

  it("an unknown target form fails", async () => {
    expect((await suitePlan("binary:", false)).kind).toBe("fail");
    expect((await suitePlan("redis", false)).kind).toBe("fail");
  });

  it("the default redis-server, when not installed, is skipped with the reason, or fails under strict", async () => {
    const lax = await withoutRedisInPath(() => suitePlan("redis-server", false));
    expect(lax).toMatchObject({ kind: "skip", reason: expect.stringMatching(/redis-server not found in PATH/) });
    expect((await withoutRedisInPath(() => suitePlan("redis-server", true))).kind).toBe("fail");
  });

  it("a mixed target fails when the side that is missing is a path the user named, and is skipped when it is redis-server", async () => {
    // Which side failed decides: a machine may lack redis-server, not a binary:PATH it was given.
    for (const spec of ["mixed:builtin,binary:/no/such/dir/my-server", "mixed:binary:/no/such/dir/my-server,builtin"])
      expect(await suitePlan(spec, false), spec).toMatchObject({
        kind: "fail",
        reason: expect.stringMatching(/\/no\/such\/dir\/my-server does not exist/),
      });
    // Both sides missing: the named path is the one reported, and it fails.
    const both = await withoutRedisInPath(() => suitePlan("mixed:redis-server,binary:/no/such/dir/my-server", false));
    expect(both).toMatchObject({ kind: "fail", reason: expect.stringMatching(/my-server does not exist/) });
    const lax = await withoutRedisInPath(() => suitePlan("mixed:builtin,redis-server", false));
    expect(lax).toMatchObject({ kind: "skip", reason: expect.stringMatching(/redis-server not found in PATH/) });
    expect((await withoutRedisInPath(() => suitePlan("mixed:builtin,redis-server", true))).kind).toBe("fail");
  });

  it("the builtin target always runs", async () => {
    expect(await suitePlan("builtin", true)).toEqual({ kind: "run" });
  });
});
