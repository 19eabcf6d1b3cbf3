// Rewrites the **Model.** and **Checked by.** fields of every rule in spec/*.md from the code:
// the model files and test files that cite the rule id. References to files that do not exist yet
// are kept and marked (planned). Run with `npm run spec:refs` after adding checks.

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { RULE_IDS_FILE } from "./spec-ids.js";

/** The marker of a test file whose rule ids are data, not rules it checks. */
export const DATA_ONLY = "spec-refs: rule ids here are data";

const ROOT = resolve(import.meta.dirname, "..");

function filesUnder(dir: string, pred: (name: string) => boolean): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), pred) : pred(e.name) ? [join(dir, e.name)] : [],
  );
}

const sources = new Map<string, string>();
for (const f of [
  ...filesUnder("model", (n) => n.endsWith(".ts")),
  ...filesUnder("test", (n) => n.endsWith(".test.ts")),
  ...filesUnder("harness", (n) => n.endsWith(".ts")),
]) {
  // The generated id list names every rule; it implements none of them.
  if (f === RULE_IDS_FILE) continue;
  const text = readFileSync(join(ROOT, f), "utf8");
  // A test that uses rule ids only as data (report formats, the id list) checks none of them.
  if (f.startsWith("test/") && text.includes(DATA_ONLY)) continue;
  sources.set(f, text);
}

/**
 * Rules a model decision carries (the id as a string literal in model code): the checker names
 * every check of a field that decision set by it, so the rule is checked live.
 */
const decided = (id: string): boolean =>
  [...sources].some(([f, text]) => f.startsWith("model/") && text.includes(`"${id}"`));
const CHECKER = "harness/check/compare.ts";

const citing = (id: string, prefix: string): string[] =>
  [...sources]
    .filter(([f, text]) => f.startsWith(prefix) && new RegExp(`\\b${id}\\b`).test(text))
    .map(([f]) => f)
    .sort();

const list = (files: string[]): string => files.map((f) => `\`${f}\``).join(", ");

/** Planned references (files that do not exist yet) from the old field text. */
function planned(old: string): string[] {
  return [...old.matchAll(/`((?:test|server|harness)\/[\w./*-]+)`/g)]
    .map((m) => m[1])
    .filter((p) =>
      p.includes("*")
        ? !existsSync(join(ROOT, p.split("*")[0])) ||
          filesUnder(p.split("*")[0], (n) => n.endsWith(".test.ts")).length === 0
        : !existsSync(join(ROOT, p)),
    );
}

const FIELD = (name: string) => new RegExp(`^\\*\\*${name}\\.\\*\\*[^\\n]*(?:\\n(?!\\n)[^\\n]*)*`, "m");

let changed = 0;
for (const file of filesUnder("spec", (n) => n.endsWith(".md") && n !== "README.md")) {
  const text = readFileSync(join(ROOT, file), "utf8");
  const parts = text.split(/(?=^## )/m);
  const out = parts.map((section) => {
    const id = /^## ([A-Z]+-\d+) /.exec(section)?.[1];
    if (id === undefined) return section;
    let s = section;
    const model = citing(id, "model/");
    if (model.length > 0) s = s.replace(FIELD("Model"), `**Model.** ${list(model)}`);
    const oldChecked = FIELD("Checked by").exec(s)?.[0] ?? "";
    const tests = citing(id, "test/");
    // Live checks: the checker names the rule on every step; targeted scenarios and special checks
    // run through the conformance suites (test/conformance/*).
    const cited = citing(id, "harness/").filter((f) =>
      /harness\/(check|scenario\/targeted|run\/special-checks)/.test(f),
    );
    const live = decided(id) && !cited.includes(CHECKER) ? [CHECKER, ...cited].sort() : cited;
    const conformance = filesUnder("test/conformance", (n) => n.endsWith(".test.ts"));
    const todo = [...new Set(planned(oldChecked))].filter(
      (p) => !(p.startsWith("test/conformance") && live.length > 0 && conformance.length > 0),
    );
    const parts: string[] = [];
    if (tests.length > 0) parts.push(list(tests));
    if (live.length > 0 && conformance.length > 0)
      parts.push(`live targets: ${list(live)}, run by ${list(conformance)}`);
    if (todo.length > 0) parts.push(`${todo.map((p) => `\`${p}\``).join(", ")} (planned)`);
    if (parts.length > 0) s = s.replace(FIELD("Checked by"), `**Checked by.** ${parts.join("; ")}.`);
    return s;
  });
  const next = out.join("");
  if (next !== text) {
    writeFileSync(join(ROOT, file), next);
    changed++;
  }
}
console.log(`spec references updated in ${changed} file(s) (${relative(process.cwd(), join(ROOT, "spec"))})`);
