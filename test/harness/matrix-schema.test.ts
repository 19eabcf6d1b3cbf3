// matrix.json's JSON Schema (harness/matrix/matrix-schema.ts, shipped as schemas/matrix.schema.json;
// test/report/report-schema.test.ts checks the shipped file is current): the matrix.json of a real
// `replcheck matrix` conforms to the shipped file as any JSON Schema tool reads it, so does a
// diverged matrix with its counterexample links, and a corrupted one is rejected with each bad
// field named by its path.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assembleMatrix } from "../../harness/matrix/assemble-matrix.js";
import type { Matrix } from "../../harness/matrix/matrix.js";
import { matrixErrors } from "../../harness/matrix/matrix-validation.js";
import { matrixJson } from "../../harness/matrix/write-matrix.js";
import { BIN } from "../support/replcheck-process.js";
import { fixtureRuns, OPTIONS, STARTED } from "./matrix-fixtures.js";

const ROOT = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "replcheck-matrix-schema-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The shipped file, compiled by a fresh ajv as a user's tool would: not the TypeScript object. */
const validateShipped = new Ajv({ allErrors: true }).compile(
  JSON.parse(readFileSync(join(ROOT, "schemas/matrix.schema.json"), "utf8")),
);

describe("matrix.json against schemas/matrix.schema.json", () => {
  let real: Matrix;

  beforeAll(() => {
    // Two columns: one target that runs, one that cannot start (its column says why, with a hint).
    const out = join(dir, "out");
    const missing = join(dir, "no-such-server");
    const r = spawnSync(
      process.execPath,
      [
        BIN,
        "matrix",
        "--targets",
        `builtin,binary:${missing}`,
        "--runs",
        "3",
        "--steps",
        "8",
        "--time-limit",
        "5m",
        "--out",
        out,
        "--quiet",
      ],
      { encoding: "utf8", timeout: 600_000 },
    );
    if (r.status !== 0) throw new Error(`replcheck matrix exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
    real = JSON.parse(readFileSync(join(out, "matrix.json"), "utf8")) as Matrix;
  }, 700_000);

  it("a real matrix conforms (a column that ran, one that could not start, every rule's cells)", () => {
    expect(real.columns.map((c) => c.status)).toEqual(["passed", "unavailable"]);
    expect(real.columns[1].hint).toBeTruthy();
    expect(real.columns[0].folder).toBeTruthy();
    const cells = real.areas.flatMap((a) => a.rules.flatMap((r) => r.cells));
    expect(cells.some((c) => c.state === "checked")).toBe(true);
    expect(validateShipped(real), JSON.stringify(validateShipped.errors, null, 2)).toBe(true);
    expect(matrixErrors(real)).toEqual([]);
  });

  it("a diverged matrix, with its counterexample and the failed cells' links, conforms", () => {
    const diverged = JSON.parse(matrixJson(assembleMatrix(fixtureRuns(), OPTIONS, STARTED))) as Matrix;
    expect(diverged.columns[1].counterexample).toBeTruthy();
    expect(diverged.areas.flatMap((a) => a.rules.flatMap((r) => r.cells)).some((c) => c.link !== undefined)).toBe(true);
    expect(validateShipped(diverged), JSON.stringify(validateShipped.errors, null, 2)).toBe(true);
    expect(matrixErrors(diverged)).toEqual([]);
  });

  it("a corrupted matrix is rejected, each error naming the field by its path and what was expected", () => {
    const bad = structuredClone(real) as unknown as Record<string, unknown> & {
      options: Record<string, unknown>;
      columns: Record<string, unknown>[];
      areas: { rules: { cells: Record<string, unknown>[] }[] }[];
    };
    bad.columns[0].status = "maybe";
    bad.columns[1].brokenRules = ["psync two"];
    delete bad.options.seed;
    bad.areas[0].rules[0].cells[0].checked = -1;
    bad.surprise = true;
    expect(validateShipped(bad)).toBe(false);
    const errors = matrixErrors(bad);
    expect(errors).toContain(
      'columns[0].status: expected one of passed, diverged, no-verdict, unavailable, interrupted, got "maybe"',
    );
    expect(errors.some((e) => e.startsWith("columns[1].brokenRules[0]: must match pattern"))).toBe(true);
    expect(errors).toContain("options.seed: missing");
    expect(errors).toContain("areas[0].rules[0].cells[0].checked: expected a whole number ≥ 0, got -1");
    expect(errors).toContain("surprise: unknown field");
    expect(errors).toHaveLength(5);
  });

  it("another format is named as such; a null where a field may only be left out is refused", () => {
    expect(matrixErrors({ ...real, format: "replcheck-matrix/2" })).toEqual([
      'format: expected "replcheck-matrix/1", got "replcheck-matrix/2"',
    ]);
    const withNull = structuredClone(real);
    (withNull.columns[0] as unknown as Record<string, unknown>).report = null;
    expect(matrixErrors(withNull)).toEqual(["columns[0].report: null is not allowed (leave the field out)"]);
    expect(matrixErrors([])).toEqual(["(file): not a matrix.json: expected an object, got a list"]);
  });
});

describe("the package API", () => {
  it("exports the matrix schema and its validation next to report.json's", async () => {
    const api = await import("../../harness/api.js");
    expect(api.MATRIX_SCHEMA).toEqual(JSON.parse(readFileSync(resolve("schemas/matrix.schema.json"), "utf8")));
    expect(api.matrixErrors({ format: "replcheck-matrix/1" }).length).toBeGreaterThan(0);
    expect(api.matrixErrors({ format: "replcheck-matrix/1" })).toEqual(matrixErrors({ format: "replcheck-matrix/1" }));
  });
});
