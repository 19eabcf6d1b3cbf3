// `npm run schemas`: writes every JSON Schema of harness/report/schemas.ts to schemas/<file>, as
// JSON formatted by Biome (the tree's formatter, so `npm run lint` accepts the files). With
// --check it writes nothing and exits 1 naming the files that are missing or out of date.
//
//   tsx scripts/schemas.ts [--check]

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { SHIPPED_SCHEMAS } from "../harness/report/schemas.js";

const root = resolve(import.meta.dirname, "..");
const dir = join(root, "schemas");
const check = process.argv.includes("--check");
const unknown = process.argv.slice(2).filter((a) => a !== "--check");
if (unknown.length > 0) {
  console.error(`usage: tsx scripts/schemas.ts [--check] (unknown: ${unknown.join(" ")})`);
  process.exit(2);
}

/** Whether the file holds the schema (compared as JSON: the layout is Biome's). */
const current = (file: string, schema: object): boolean =>
  existsSync(file) && JSON.stringify(JSON.parse(readFileSync(file, "utf8"))) === JSON.stringify(schema);

if (check) {
  const stale = SHIPPED_SCHEMAS.filter((s) => !current(join(dir, s.file), s.schema)).map((s) => `schemas/${s.file}`);
  if (stale.length > 0) {
    console.error(`out of date: ${stale.join(", ")}; run npm run schemas`);
    process.exit(1);
  }
  console.log(`schemas/ is up to date (${SHIPPED_SCHEMAS.length} file(s))`);
} else {
  mkdirSync(dir, { recursive: true });
  const files = SHIPPED_SCHEMAS.map((s) => {
    const file = join(dir, s.file);
    writeFileSync(file, `${JSON.stringify(s.schema, null, 2)}\n`);
    return file;
  });
  const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
  const formatted = spawnSync(process.execPath, [biome, "format", "--write", ...files], { stdio: "inherit" });
  if (formatted.status !== 0) {
    console.error(`biome format failed (${formatted.status ?? formatted.signal})`);
    process.exit(1);
  }
  for (const f of files) console.log(`wrote ${f.slice(root.length + 1)}`);
}
