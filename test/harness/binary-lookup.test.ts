// `--version` of a server binary: only a binary that cannot run at all is refused; a version line
// that is not Redis's format leaves the version to INFO server (which picks the model profile).

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { identifyServer } from "../../harness/targets/binary-lookup.js";
import { TargetUnavailable } from "../../harness/targets/target.js";

const dir = mkdtempSync(join(tmpdir(), "replcheck-version-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string, mode = 0o755): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, mode);
  return path;
}

describe("identifyServer", () => {
  it("reads Redis's and Valkey's format", async () => {
    const redis = await identifyServer(
      script("redis-like", 'echo "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=1"'),
    );
    expect(redis).toEqual({ description: `redis-like 7.0.15 (${join(dir, "redis-like")})`, version: "7.0.15" });
    expect((await identifyServer(script("valkey-like", 'echo "Valkey server v=8.0.1 sha=0"'))).version).toBe("8.0.1");
  });

  it("accepts another format, or a failing --version, without a version", async () => {
    const other = script("my-kv", 'echo "my-kv 2.1 (Redis protocol compatible)"');
    expect(await identifyServer(other)).toEqual({ description: `my-kv (${other})`, version: undefined });
    expect(
      (await identifyServer(script("no-version-flag", 'echo "unknown option --version" >&2; exit 1'))).version,
    ).toBeUndefined();
  });

  it("refuses a file that cannot be executed", async () => {
    await expect(identifyServer(script("not-executable", "echo hi", 0o644))).rejects.toBeInstanceOf(TargetUnavailable);
    await expect(identifyServer(join(dir, "missing"))).rejects.toThrow(/cannot be executed/);
  });
});
