// docs/target-requirements.md stays in step with the code it was derived from: every step family a
// user can --skip has its row, every deterministic start-up option is listed, every INFO field the
// observation reads is named, and the README links the page.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FAMILY_NAMES } from "../../harness/steps/families.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";

const ROOT = resolve(import.meta.dirname, "../..");
const page = readFileSync(join(ROOT, "docs/target-requirements.md"), "utf8");

describe("docs/target-requirements.md", () => {
  it("has a row for every step family", () => {
    const rows = [...page.matchAll(/^\| ((?:`[\w-]+`(?:, )?)+) \|/gm)].flatMap((m) =>
      [...m[1].matchAll(/`([\w-]+)`/g)].map((n) => n[1]),
    );
    expect(FAMILY_NAMES.filter((f) => !rows.includes(f))).toEqual([]);
  });

  it("lists every deterministic start-up option with its value", () => {
    const missing = Object.entries(deterministicConfig())
      .map(([name, value]) => `\`${name} ${value === "" ? '""' : String(value)}\``)
      .filter((text) => !page.includes(text));
    expect(missing).toEqual([]);
  });

  it("names every INFO field the observation reads", () => {
    const source = readFileSync(join(ROOT, "harness/observe/info.ts"), "utf8");
    const fields = [...source.matchAll(/(?:int|flag)\(f, "(\w+)"\)|f\.(\w+)/g)].map((m) => m[1] ?? m[2]);
    expect(fields.length).toBeGreaterThan(15);
    const unnamed = [...new Set(fields)].filter((f) => !page.includes(`\`${f}\``));
    expect(unnamed).toEqual([]);
  });

  it("is linked from the README", () => {
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain("(docs/target-requirements.md)");
  });
});
