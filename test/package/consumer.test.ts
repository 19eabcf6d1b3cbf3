// replcheck as a server project gets it from npm: packed with `npm pack`, installed into a fresh
// temporary project offline from the local npm cache (consumer-project.ts), and used there the ways
// the README shows: the API from plain Node (no loader), `npx replcheck run`, a vitest file using
// `replcheck/vitest`, and a TypeScript file type-checked under strict consumer settings against
// replcheck's own declarations. Every command is bounded; the project is removed afterwards.
// Skipped, with a message, only when npm itself is missing. The redis-server parts are skipped
// when it is not installed, and fail instead under REPLCHECK_STRICT=1 (as in CI).

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  copyConsumerFiles,
  installConsumer,
  npmAvailable,
  packReplcheck,
  REPO_ROOT,
  sh,
  tempDir,
  type Consumer,
} from "./consumer-project.js";

const strict = process.env.REPLCHECK_STRICT === "1";
const haveNpm = npmAvailable();
const haveRedis = spawnSync("redis-server", ["--version"], { encoding: "utf8" }).status === 0;
if (!haveNpm) console.warn("[replcheck] skipping the package test: npm is not installed");
if (haveNpm && !haveRedis && !strict) {
  console.warn(
    "[replcheck] the package test's redis-server parts are skipped: redis-server is not installed (apt-get install redis-server); set REPLCHECK_STRICT=1 to fail instead",
  );
}
const redisPart = haveRedis || strict;
const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

/**
 * The environment of a fresh shell in the consumer project: nothing of this test run (no vitest
 * worker variables, no NODE_OPTIONS loader, no npm script variables such as the outer project's
 * prefix), but the user's own npm settings (cache, registry, config files) stay.
 */
function consumerEnv(): NodeJS.ProcessEnv {
  const keep = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig", "npm_config_globalconfig"]);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|__VITEST|TINYPOOL|NODE_OPTIONS$|NODE_PATH$|REPLCHECK_)/.test(k)) continue;
    if (/^npm_/i.test(k) && !keep.has(k.toLowerCase())) continue;
    env[k] = v;
  }
  return env;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)));
}

describe.skipIf(!haveNpm)("the published package, installed into a fresh project", () => {
  let root = "";
  let consumer: Consumer;
  let installed = "";

  beforeAll(() => {
    root = tempDir("replcheck-package-");
    const tarball = packReplcheck(root);
    consumer = installConsumer(join(root, "consumer"), tarball, ["vitest", "typescript", "@types/node"]);
    copyConsumerFiles(consumer.dir);
    installed = join(consumer.dir, "node_modules/replcheck");
  }, 900_000);

  afterAll(() => {
    if (root !== "") rmSync(root, { recursive: true, force: true });
  });

  const run = (command: string, args: string[], timeoutMs = 300_000) =>
    sh(command, args, consumer.dir, { env: consumerEnv(), timeoutMs, allowFailure: true });

  it("installs offline from the cache, and ships compiled code, declarations, LICENSE and README only", () => {
    expect(consumer.install, "npm ci --offline from the cache worked").toBe("offline");
    const files = filesUnder(installed);
    expect(new Set(files.map((f) => f.split("/")[0]))).toEqual(
      new Set(["LICENSE", "README.md", "package.json", "bin", "dist", "spec", "schemas"]),
    );
    // The JSON Schemas (npm run schemas), to validate report.json with any tool.
    expect(files.filter((f) => f.startsWith("schemas/"))).toContain("schemas/report.schema.json");
    expect(files.filter((f) => f.startsWith("bin/"))).toEqual(["bin/replcheck.js"]);
    // The rules a counterexample names, to read next to it.
    expect(files).toContain("spec/README.md");
    expect(files.filter((f) => f.startsWith("spec/") && !f.endsWith(".md"))).toEqual([]);
    for (const entry of ["harness/api", "harness/vitest", "server/index", "model/index"]) {
      for (const ext of [".js", ".d.ts", ".js.map"]) expect(files).toContain(`dist/${entry}${ext}`);
    }
    // Only model/, server/ and harness/ are compiled, with whatever they import: a module of the
    // package that imports test code would ship it, so nothing else may appear.
    const outside = files.filter(
      (f) => f.startsWith("dist/") && !/^dist\/(model|server|harness)\/|^dist\/package\.json$/.test(f),
    );
    expect(
      outside,
      "compiled from outside model/, server/, harness/: a shipped module imports it (move it under harness/)",
    ).toEqual([]);
    // No test files, no TypeScript sources (only declarations), no CI script.
    expect(files.filter((f) => /\.test\.|(^|\/)test\/|\.ci\/|(?<!\.d)\.ts$/.test(f))).toEqual([]);
    // The differential fuzzer of `replcheck fuzz` ships as harness code.
    expect(files).toContain("dist/harness/fuzz/report.js");
    expect(readFileSync(join(installed, "LICENSE"), "utf8")).toMatch(/^MIT License/);
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain("tsx");
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain("testcontainers");
    expect(manifest.peerDependenciesMeta?.testcontainers).toEqual({ optional: true });
    // The shipped bin needs no loader: nothing brought tsx (or testcontainers) into the project.
    expect(existsSync(join(consumer.dir, "node_modules/tsx"))).toBe(false);
    expect(existsSync(join(consumer.dir, "node_modules/testcontainers"))).toBe(false);
  });

  it("imports every entry point from plain Node, without a loader; the image target says testcontainers is missing", () => {
    const r = run(process.execPath, ["api-smoke.mjs"]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}");
    expect(out).toMatchObject({ version, cluster: "function", kind: "binary", okCode: 0, verdict: { code: 0 } });
    expect(out.profiles).toContain("redis-7.0");
    expect(out.port).toBeGreaterThan(0);
    expect(out.scenarios).toBeGreaterThan(0);
    expect(out.image).toMatch(/testcontainers package, which is not installed .*npm install testcontainers/);
  });

  it("npx replcheck --version, and a clear exit 2 for an image target without testcontainers", () => {
    const v = run("npx", ["--no", "--", "replcheck", "--version"]);
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const image = run("npx", ["--no", "--", "replcheck", "run", "--target", "image:redis:7.4"]);
    expect(image.status).toBe(2);
    expect(image.stderr).toMatch(/needs the testcontainers package, which is not installed/);
    expect(image.stderr).toMatch(/what to do: install it next to replcheck: npm install testcontainers/);
  });

  it.skipIf(!redisPart)(
    "npx replcheck run --target redis-server --runs 5 exits 0 and writes --out and --junit",
    () => {
      const r = run(
        "npx",
        [
          "--no",
          "replcheck",
          "run",
          "--target",
          "redis-server",
          "--runs",
          "5",
          "--time-limit",
          "5m",
          "--out",
          "out",
          "--junit",
          "out/junit.xml",
        ],
        600_000,
      );
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(
        /every check held \(\d+ steps in 5 scenarios, after \d+ targeted scenarios\) \(exit 0\)/,
      );
      const report = JSON.parse(readFileSync(join(consumer.dir, "out/report.json"), "utf8")) as { exitCode: number };
      expect(report.exitCode).toBe(0);
      expect(readFileSync(join(consumer.dir, "out/junit.xml"), "utf8")).toMatch(/^<\?xml/);
    },
    700_000,
  );

  it.skipIf(!redisPart)(
    "npx replcheck fuzz runs the differential fuzzer from the installed package",
    () => {
      const r = run("npx", ["--no", "--", "replcheck", "fuzz", "--frames", "300", "--lanes", "1"], 600_000);
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/^replcheck fuzz: 300 frames, seed \d+, 1 lane\(s\)$/m);
      expect(r.stdout).toMatch(/verdict: every difference is a known one \(exit 0\)/);
    },
    700_000,
  );

  it.skipIf(!redisPart)(
    "runs a vitest file that uses replcheck/vitest against redis-server",
    () => {
      const env: NodeJS.ProcessEnv = { ...consumerEnv(), REPLCHECK_STRICT: "1", NO_COLOR: "1" };
      delete env.FORCE_COLOR;
      const r = sh("npx", ["--no", "--", "vitest", "run", "--reporter=verbose", "conformance.spec.ts"], consumer.dir, {
        env,
        timeoutMs: 600_000,
        allowFailure: true,
      });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/✓ .*generated scenarios \(5 runs\) conform to the model/);
      // Every registered test ran and passed, none failed; the only ones skipped are the targeted
      // scenarios that need the clock capability (redis-server has it only with timers: true).
      const [, passed, skipped, total] = /Tests\s+(\d+) passed(?: \| (\d+) skipped)? \((\d+)\)/.exec(r.stdout) ?? [];
      expect(passed, r.stdout).toBeDefined();
      expect(Number(passed) + Number(skipped ?? 0)).toBe(Number(total));
      const skippedLines = r.stdout.split("\n").filter((l) => l.includes("↓"));
      expect(skippedLines).toHaveLength(Number(skipped ?? 0));
      for (const l of skippedLines) expect(l).toMatch(/skipped: needs making a node's timers elapse on demand/);
    },
    700_000,
  );

  it("type-checks a consumer file with strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess and replcheck's declarations checked", () => {
    const r = run("npx", ["--no", "--", "tsc", "-p", "tsconfig.json", "--listFiles"]);
    const errors = r.stdout.split("\n").filter((l) => /error TS\d+/.test(l));
    expect(errors, r.stdout).toEqual([]);
    expect(r.status, r.stderr).toBe(0);
    // skipLibCheck is false: replcheck's own declaration files were in the program, and checked.
    const declarations = r.stdout
      .split("\n")
      .filter((l) => l.includes("/node_modules/replcheck/dist/") && l.endsWith(".d.ts"));
    expect(declarations.length).toBeGreaterThan(20);
    expect(declarations.some((l) => l.endsWith("harness/api.d.ts"))).toBe(true);
  }, 300_000);
});
