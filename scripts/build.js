// `npm run build` (and `prepare`, so `npm ci`, `npm pack` and git dependencies build too): compiles
// model/, server/ and harness/ to dist/ with tsc (tsconfig.build.json: ESM JavaScript,
// declarations, source maps with their sources) and writes dist/package.json, which makes dist/
// an ES module scope of its own and carries the version that the CLI and the built-in server's
// INFO read from ../package.json. Plain JavaScript: it runs before anything else is built.
//
//   node scripts/build.js [--out DIR]   (default dist/; the package test builds into a temp dir)

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const at = process.argv.indexOf("--out");
const out = at === -1 ? join(root, "dist") : resolve(process.argv[at + 1] ?? "");
if (at !== -1 && process.argv[at + 1] === undefined) {
  console.error("usage: node scripts/build.js [--out DIR]");
  process.exit(2);
}

// A clean tree: a module deleted from the sources must not survive in dist/.
rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const built = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--outDir", out], {
  stdio: "inherit",
});
if (built.status !== 0) {
  console.error(`replcheck build: tsc failed (${built.status ?? built.signal})`);
  process.exit(1);
}
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "package.json"), `${JSON.stringify({ type: "module", version }, null, 2)}\n`);
