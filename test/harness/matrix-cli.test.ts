// `replcheck matrix` end to end, as a real process: bad usage exits 2 before anything starts, a
// target that cannot start is a column saying why (and no target with a verdict exits 3), Ctrl-C
// exits 130 with the matrix so far, a short real matrix over builtin and redis-server writes
// matrix.html/md/json whose cells are the per-rule counts of each target's own report.json, and a
// redis-server started with a setting the model is not told about diverges (exit 1) with its
// failed cells linking to the saved counterexample.

import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { matrixVerdict } from "../../harness/matrix/matrix-verdict.js";
import type { Matrix } from "../../harness/matrix/matrix.js";
import { runReportErrors } from "../../harness/report/report-validation.js";
import { readScenarioFile } from "../../harness/report/scenario-file.js";

const BIN = resolve(import.meta.dirname, "../../bin/replcheck.js");
const haveRedis = existsSync("/usr/bin/redis-server");
const strict = process.env.REPLCHECK_STRICT === "1";
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "replcheck-matrix-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

/**
 * One CLI process; `timeout` stops it (SIGTERM: the matrix stops its nodes) if it ever hangs.
 * `onErr` sees stderr as it grows and may signal the process.
 */
function replcheck(
  args: string[],
  timeout = 240_000,
  onErr?: (err: string, signal: (s: NodeJS.Signals) => void) => void,
): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"], timeout });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => {
      err += d;
      onErr?.(err, (s) => child.kill(s));
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, out, err }));
  });
}

const readMatrix = (dir: string): Matrix => JSON.parse(readFileSync(join(dir, "matrix.json"), "utf8")) as Matrix;

describe("replcheck matrix: usage", () => {
  it("exits 2 with one clear line for an unknown target, before anything starts or is written", async () => {
    const out = join(tempDir(), "never");
    const r = await replcheck(["matrix", "--targets", "builtin,redis", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown target "redis"; use builtin, redis-server, binary:PATH');
    expect(r.err).not.toContain("starting");
    expect(existsSync(out)).toBe(false);
  });

  it("exits 2 without --targets, for a target named twice, a bad --time-limit and an --out it cannot write", async () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "");
    const [none, twice, limit, unwritable] = await Promise.all([
      replcheck(["matrix"]),
      replcheck(["matrix", "--targets", "builtin", "--targets", "redis-server,builtin"]),
      replcheck(["matrix", "--targets", "builtin", "--time-limit", "soon"]),
      replcheck(["matrix", "--targets", "builtin", "--out", join(file, "matrix")]),
    ]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.err).toContain(`cannot create or write the --out directory ${join(file, "matrix")}`);
    expect(unwritable.err).not.toContain("starting");
    expect(none.code).toBe(2);
    expect(none.err).toContain("--targets <list>");
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('target "builtin" is listed twice in --targets');
    expect(limit.code).toBe(2);
    expect(limit.err).toContain("Expected a duration such as 60s");
  });
});

describe("replcheck matrix: a target that cannot start", () => {
  it("is a column saying why; with no target giving a verdict the matrix exits 3", async () => {
    const out = tempDir();
    const missing = join(out, "no-such-server");
    const r = await replcheck(["matrix", "--targets", `binary:${missing}`, "--time-limit", "5s", "--out", out]);
    expect(r.code).toBe(3);
    const matrix = readMatrix(out);
    expect(matrix.format).toBe("replcheck-matrix/1");
    expect(matrix.exitCode).toBe(3);
    expect(matrix.columns).toHaveLength(1);
    expect(matrix.columns[0]).toMatchObject({ target: `binary:${missing}`, status: "unavailable", exitCode: 2 });
    expect(matrix.columns[0].verdict).toMatch(/^cannot start: .*no-such-server/);
    expect(matrix.columns[0].hint).toBeTruthy();
    expect(matrix.areas.flatMap((a) => a.rules).every((row) => row.cells[0].state === "not-run")).toBe(true);
    expect(readFileSync(join(out, "matrix.md"), "utf8")).toContain(`| ✗ ${matrix.columns[0].verdict}`);
    expect(r.out).toContain("replcheck matrix: no verdict: no target gave one (1 target) (exit 3)");
  });
});

describe("replcheck matrix: interrupted", () => {
  it("stops at Ctrl-C, writes the matrix with the columns so far and exits 130", async () => {
    const out = tempDir();
    let sent = false;
    // Ctrl-C once the first target's campaign has checked something (its first progress line).
    const r = await replcheck(
      ["matrix", "--targets", "builtin,binary:/usr/bin/redis-server", "--time-limit", "5m", "--out", out],
      240_000,
      (err, signal) => {
        if (!sent && /\[1\/2\] builtin: runs \d+/.test(err)) {
          sent = true;
          signal("SIGINT");
        }
      },
    );
    expect(r.code, r.err).toBe(130);
    const matrix = readMatrix(out);
    expect(matrix.exitCode).toBe(130);
    expect(matrix.columns.map((c) => [c.target, c.status, c.exitCode])).toEqual([
      ["builtin", "interrupted", 130],
      ["binary:/usr/bin/redis-server", "interrupted", 130],
    ]);
    expect(matrix.columns[0].steps).toBeGreaterThan(0);
    expect(matrix.columns[1].verdict).toBe("not run: interrupted by SIGINT");
    expect(r.out).toContain(
      "replcheck matrix: interrupted by SIGINT (each column says how far its target got) (exit 130)",
    );
  }, 300_000);
});

describe.skipIf(!haveRedis && !strict)("replcheck matrix: builtin and redis-server, a real short run", () => {
  it("runs the same seeded campaign on each and writes the matrix of their rule counts", async () => {
    const out = tempDir();
    const r = await replcheck([
      "matrix",
      "--targets",
      "builtin,redis-server",
      "--time-limit",
      "15s",
      "--seed",
      "1234",
      "--out",
      out,
    ]);
    const matrix = readMatrix(out);
    expect(r.code, r.err).toBe(matrix.exitCode);
    expect(matrixVerdict(matrix.columns).code).toBe(matrix.exitCode);
    expect(r.out).toContain(`replcheck matrix: ${matrix.verdict} (exit ${matrix.exitCode})`);
    // A real conforming pair: any divergence here is a finding to look at, shown with its verdict.
    expect(matrix.columns.map((c) => `${c.target}: ${c.verdict}`).join("\n")).not.toMatch(/divergence/);
    expect(matrix.options).toMatchObject({ targets: ["builtin", "redis-server"], seed: 1234, timeLimit: 15_000 });

    const [builtin, redis] = matrix.columns;
    expect(builtin).toMatchObject({ target: "builtin", profile: "builtin", folder: "1-builtin" });
    expect(redis).toMatchObject({ target: "redis-server", profile: "redis-7.0", version: "7.0.15" });
    for (const [i, column] of matrix.columns.entries()) {
      expect(column.steps, column.target).toBeGreaterThan(0);
      expect(existsSync(join(out, column.folder!, "report.html"))).toBe(true);
      // Every cell is that target's own report.json count for the rule, under the same seed.
      const report = JSON.parse(readFileSync(join(out, column.folder!, "report.json"), "utf8"));
      expect(runReportErrors(report), column.target).toEqual([]);
      expect(report.seed).toBe(1234);
      expect(report.steps + (report.targeted?.steps ?? 0)).toBe(column.steps);
      for (const row of matrix.areas.flatMap((a) => a.rules)) {
        const stats = report.rules[row.rule] ?? { checked: 0, failed: 0 };
        expect(row.cells[i].checked, `${column.target} ${row.rule}`).toBe(stats.checked);
        const broken = stats.failed > 0 || column.brokenRules.includes(row.rule);
        expect(row.cells[i].state).toBe(broken ? "failed" : stats.checked > 0 ? "checked" : "not-exercised");
      }
    }
    const markdown = readFileSync(join(out, "matrix.md"), "utf8");
    expect(r.out).toContain(markdown.trimEnd());
    expect(markdown).toContain("| `builtin` | replcheck built-in server (in process) |");
    const html = readFileSync(join(out, "matrix.html"), "utf8");
    expect(html).toContain(`<a href="1-builtin/report.html">builtin</a>`);
    expect(html).toContain(`<a href="2-redis-server/report.html">redis-server</a>`);
  }, 300_000);
});

describe.skipIf(!haveRedis && !strict)("replcheck matrix: a target that diverges", () => {
  it("exits 1, and every failed cell links to the target's saved counterexample", async () => {
    const out = tempDir();
    // redis-server refusing writes without two good replicas, which the model is not told about.
    const server = join(out, "strict-redis");
    writeFileSync(
      server,
      '#!/bin/sh\nexec /usr/bin/redis-server "$@" --min-replicas-to-write 2 --min-replicas-max-lag 3600\n',
    );
    chmodSync(server, 0o755);
    const r = await replcheck([
      "matrix",
      "--targets",
      `binary:${server}`,
      "--time-limit",
      "30s",
      "--seed",
      "11",
      "--out",
      out,
    ]);
    expect(r.code, r.err).toBe(1);
    const matrix = readMatrix(out);
    const [column] = matrix.columns;
    expect(column).toMatchObject({ status: "diverged", exitCode: 1, profile: "redis-7.0" });
    expect(column.counterexample).toMatch(/^1-binary-.*strict-redis\/replcheck-counterexample-11\.json$/);
    expect(readScenarioFile(join(out, column.counterexample!)).origin.seed).toBe("11");
    const failed = matrix.areas.flatMap((a) => a.rules).filter((row) => row.cells[0].state === "failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(column.brokenRules.length).toBeGreaterThan(0);
    for (const rule of column.brokenRules) expect(failed.map((row) => row.rule)).toContain(rule);
    for (const row of failed) expect(row.cells[0].link, row.rule).toBe(column.counterexample);
    const markdown = readFileSync(join(out, "matrix.md"), "utf8");
    expect(markdown).toContain(`| ${failed[0].rule} `);
    expect(markdown).toContain(`](${column.counterexample}) |`);
    expect(r.out).toContain(`replcheck matrix: a divergence from the model was found on binary:${server} (exit 1)`);
  }, 300_000);
});
