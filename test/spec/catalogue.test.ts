// The rule catalogue stays consistent: every id has its section, model-layer rules are cited in
// the model code that implements them and in the tests that check them, and spec references exist.
// spec-refs: rule ids here are data, not rules this file checks (it checks how rules are written).

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

function filesUnder(dir: string, ext: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : [],
  );
}

interface Rule {
  id: string;
  layer: string;
  file: string;
}

function catalogue(): Rule[] {
  const readme = read("spec/README.md");
  const areaFile = new Map<string, string>();
  for (const m of readme.matchAll(/^\| [^|]+ \| \[([\w-]+\.md)\]\([\w-]+\.md\) \| ([A-Z]+)-1 … [A-Z]+-(\d+) \|$/gm)) {
    areaFile.set(m[2], m[1]);
  }
  return [...readme.matchAll(/^\| ([A-Z]+)-(\d+) \| .+ \| ([a-z /]+) \|$/gm)].map((m) => ({
    id: `${m[1]}-${m[2]}`,
    layer: m[3],
    file: `spec/${areaFile.get(m[1])}`,
  }));
}

const rules = catalogue();
// The generated id list names every rule without implementing any.
const modelSource = filesUnder("model", ".ts")
  .filter((f) => f !== "model/rule-ids.ts")
  .map(read)
  .join("\n");
const modelTests = filesUnder("test/model", ".test.ts").map(read).join("\n");
const cites = (text: string, id: string) => new RegExp(`\\b${id}\\b`).test(text);

/** The exported functions of a model file, each with the rule ids of the comment right above it. */
function operations(file: string): { name: string; rules: string[] }[] {
  const lines = read(file).split("\n");
  const ops: { name: string; rules: string[] }[] = [];
  lines.forEach((line, i) => {
    const name = /^export function (\w+)/.exec(line)?.[1];
    if (name === undefined) return;
    let j = i - 1;
    while (j >= 0 && /^\s*(\/\/|\/\*\*|\*)/.test(lines[j])) j--;
    const comment = lines.slice(j + 1, i).join("\n");
    ops.push({ name, rules: [...comment.matchAll(/\b[A-Z]+-\d+\b/g)].map((m) => m[0]) });
  });
  return ops;
}

/**
 * Rules that change a node's replication history or its master link: each is applied by exactly
 * one named operation of its module (the operation's comment cites it), which the rest of the
 * model calls (test/model/operations.test.ts checks that nothing else writes those fields).
 */
const ONE_OPERATION: Record<string, string[]> = {
  // The start of a history (REPLID-1) lives apart from its changes: the node constructor uses it.
  "model/history-fields.ts": ["REPLID-1"],
  "model/history.ts": ["REPLID-2", "REPLID-3", "REPLID-4", "REPLID-5", "REPLID-6", "RESTART-1", "RESTART-2"],
  "model/master-link.ts": ["LINK-3"],
};

describe("spec catalogue", () => {
  it("lists the areas and rules", () => {
    expect(rules.length).toBeGreaterThan(90);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it.each(rules.map((r) => [r.id, r] as const))("%s has its section in its area file", (id, r) => {
    expect(existsSync(join(ROOT, r.file)), r.file).toBe(true);
    expect(read(r.file)).toMatch(new RegExp(`^## ${id} — `, "m"));
  });

  const modelRules = rules.filter((r) => r.layer.includes("model"));
  it.each(modelRules.map((r) => [r.id] as const))("%s is cited in the model code that implements it", (id) => {
    expect(cites(modelSource, id)).toBe(true);
  });
  it.each(modelRules.map((r) => [r.id] as const))("%s is checked by a model test", (id) => {
    expect(cites(modelTests, id)).toBe(true);
  });

  for (const [file, ids] of Object.entries(ONE_OPERATION)) {
    it(`every operation of ${file} cites the rule it applies`, () => {
      const ops = operations(file);
      expect(ops.length).toBeGreaterThan(0);
      expect(ops.filter((o) => o.rules.length === 0).map((o) => o.name)).toEqual([]);
    });
    it.each(ids.map((id) => [id] as const))(`%s is one operation of ${file}`, (id) => {
      expect(rules.some((r) => r.id === id)).toBe(true);
      expect(
        operations(file)
          .filter((o) => o.rules.includes(id))
          .map((o) => o.name),
      ).toHaveLength(1);
    });
  }

  it("every rule section has its fields in order, a Redis source and how it was verified", () => {
    const FIELDS = ["Statement", "Source", "Versions", "Verified", "Layer", "Model", "Checked by"];
    const problems: string[] = [];
    for (const file of filesUnder("spec", ".md")) {
      for (const section of read(file).split(/^## /m).slice(1)) {
        const id = section.split(" ")[0];
        if (!/^[A-Z]+-\d+$/.test(id)) continue;
        // Optional fields (PSYNC-1's and OFFSET-1's *Naming*) may sit between the required ones.
        const fields = [...section.matchAll(/^\*\*([A-Z][a-z ]+)\.\*\*/gm)]
          .map((m) => m[1])
          .filter((f) => FIELDS.includes(f));
        if (fields.join() !== FIELDS.join()) problems.push(`${id}: fields ${fields.join(", ")}`);
        const field = (name: string) =>
          new RegExp(`\\*\\*${name}\\.\\*\\*([\\s\\S]*?)(?=\\n\\n|$)`).exec(section)?.[1].trim() ?? "";
        // The Redis source file (server.c, replication.c, rdb.h, …) or replcheck's own design.
        if (!/\b[\w-]+\.[ch]\b|replcheck's own/.test(field("Source")))
          problems.push(`${id}: Source names no Redis source file`);
        if (field("Verified").length < 20) problems.push(`${id}: Verified says nothing`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("no file refers to a document outside the repository", () => {
    // The rules say in their own words what they rest on; a clone must be able to follow every reference.
    // Built from pieces so that this file does not name what it looks for (the same grep finds it).
    const OUTSIDE = new RegExp(
      ["facts" + " §", "replication-" + "facts", "\\.\\./" + "shared" + "/", "DESIGN" + "\\.md"].join("|"),
    );
    const files = ["model", "harness", "server", "test", "scripts", "bench", "spec", "bin", ".ci"].flatMap((d) => [
      ...filesUnder(d, ".ts"),
      ...filesUnder(d, ".js"),
      ...filesUnder(d, ".md"),
      ...filesUnder(d, ".sh"),
    ]);
    const rootDocs = readdirSync(ROOT).filter((f) => f.endsWith(".md"));
    const found = [...files, ...rootDocs, ".ci/run"]
      .filter((f) => existsSync(join(ROOT, f)))
      .filter((f) => OUTSIDE.test(read(f)));
    expect(found).toEqual([]);
  });

  it("every rule id cited in code, tests, scripts or spec exists in the catalogue", () => {
    // Code that names a rule has RuleId type (model/rule-ids.ts), so a typo there does not compile;
    // this catches ids in comments, test names, strings and prose.
    const known = new Set(rules.map((r) => r.id));
    const prefixes = [...new Set(rules.map((r) => r.id.split("-")[0]))].join("|");
    const cited = new RegExp(`\\b(?:${prefixes})-\\d+\\b`, "g");
    const unknown: string[] = [];
    const files = ["model", "harness", "server", "test", "scripts", "bench", "spec"].flatMap((d) => [
      ...filesUnder(d, ".ts"),
      ...filesUnder(d, ".md"),
    ]);
    for (const file of [...files, "README.md"]) {
      for (const m of read(file).matchAll(cited)) if (!known.has(m[0])) unknown.push(`${file}: ${m[0]}`);
    }
    expect(unknown).toEqual([]);
  });

  it("every test or model file a rule names exists, and an existing test file cites the rule", () => {
    const problems: string[] = [];
    for (const file of filesUnder("spec", ".md")) {
      const text = read(file);
      for (const section of text.split(/^## /m).slice(1)) {
        const id = section.split(" ")[0];
        for (const field of ["Model", "Checked by"]) {
          const body =
            new RegExp(`\\*\\*${field}\\.\\*\\*([^\\n]*(?:\\n(?!\\*\\*|## )[^\\n]*)*)`).exec(section)?.[1] ?? "";
          for (const ref of body.matchAll(/`((?:model|test|server|harness)\/[\w./-]+\.ts)`/g)) {
            const path = ref[1];
            const planned = new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\`[^;]*\\(planned\\)`).test(body);
            if (!existsSync(join(ROOT, path))) {
              if (!planned) problems.push(`${id}: ${field} names ${path}, which does not exist`);
            } else if (
              field === "Checked by" &&
              path.startsWith("test/") &&
              !path.startsWith("test/conformance/") &&
              !cites(read(path), id)
            ) {
              // Conformance suites run every rule through the harness; other test files must name the rule.
              problems.push(`${id}: ${path} does not cite ${id}`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
