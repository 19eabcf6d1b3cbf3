// `replcheck run --config name=value` sets a node start-up option and `--config name=` drops one of
// the deterministic defaults; options the harness manages are refused before anything starts.

import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidArgumentError } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { applyConfig, configArgs, configOption } from "../../harness/cli/config-option.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { REPO_ROOT } from "./consumer-project.js";

const BIN = join(REPO_ROOT, "bin/replcheck.js");
const REDIS = "/usr/bin/redis-server";
const haveRedis = existsSync(REDIS);
const strict = process.env.REPLCHECK_STRICT === "1";
const dir = mkdtempSync(join(tmpdir(), "replcheck-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("--config", () => {
  it("sets, overrides and drops options in order", () => {
    const overrides = ["repl-backlog-size=1mb", "hz=", "Repl-Timeout=60", "repl-timeout=120"].reduce(
      (all, t) => configOption(t, all),
      configOption("maxmemory=1gb"),
    );
    const config = applyConfig(deterministicConfig(), overrides);
    expect(config["repl-backlog-size"]).toBe("1mb");
    expect(config).not.toHaveProperty("hz");
    expect(config["repl-timeout"]).toBe("120");
    expect(config.maxmemory).toBe("1gb");
    expect(configArgs(overrides)).toContain("hz=");
  });

  it("refuses what is not name=value, what replcheck manages, and dropping an option that is not a default", () => {
    for (const bad of ["nonsense", "=1", "port=7000", "dir=/tmp", "replicaof=localhost 6379", "save-me="]) {
      expect(() => configOption(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it.skipIf(!haveRedis && !strict)(
    "reaches every node's command line, without the dropped default",
    { timeout: 300_000 },
    () => {
      // A server that records its arguments, then runs redis-server with them.
      const args = join(dir, "args.txt");
      const server = join(dir, "recording-server");
      writeFileSync(server, `#!/bin/sh\necho "$@" >> '${args}'\nexec ${REDIS} "$@"\n`);
      chmodSync(server, 0o755);
      const r = spawnSync(
        process.execPath,
        [
          BIN,
          "run",
          "--target",
          `binary:${server}`,
          "--runs",
          "1",
          "--steps",
          "3",
          "--seed",
          "5",
          "--config",
          "repl-backlog-size=2mb",
          "--config",
          "hz=",
          "--quiet",
        ],
        {
          encoding: "utf8",
          timeout: 300_000,
        },
      );
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const starts = readFileSync(args, "utf8")
        .split("\n")
        .filter((l) => l.includes("--port"));
      expect(starts.length).toBeGreaterThan(0);
      for (const line of starts) {
        expect(line).toContain("--repl-backlog-size 2mb");
        expect(line).not.toContain("--hz");
        expect(line).toContain("--repl-timeout 3600");
      }
    },
  );
});
