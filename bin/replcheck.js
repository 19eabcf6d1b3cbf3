#!/usr/bin/env node
// The `replcheck` command. The published package runs its compiled JavaScript (dist/), with no
// loader. A source checkout runs the TypeScript sources through tsx (a dev dependency), so that
// what runs is always what is in the tree, never a stale dist/; without tsx there (an install
// that omitted dev dependencies) it runs dist/ if it was built.
import { existsSync } from "node:fs";

const source = new URL("../harness/cli/main.ts", import.meta.url);
const compiled = new URL("../dist/harness/cli/main.js", import.meta.url);

async function loadTsx() {
  try {
    return await import("tsx/esm/api");
  } catch {
    return undefined;
  }
}

const tsx = existsSync(source) ? await loadTsx() : undefined;
if (tsx !== undefined) {
  tsx.register();
  await import(source.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  process.stderr.write(
    "replcheck: dist/ is not built and tsx is not installed: run `npm ci` (or `npm run build`) in the replcheck checkout\n",
  );
  process.exit(2);
}
