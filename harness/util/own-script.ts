// Node processes replcheck starts from a module of its own (the reaper, the container cleanup
// helper). The published package runs compiled JavaScript, which Node runs as it is; a source
// checkout (tests, `npm start`) runs the TypeScript sources, which need tsx's loader — a dev
// dependency that the published package does not have and does not need.

import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * The node arguments that run `name` (a module next to `from`, without extension) in the same form
 * as `from`: `[script.js]` beside compiled code, `["--import", tsx, script.ts]` beside sources.
 */
export function ownScriptArgs(from: string, name: string): string[] {
  if (!from.endsWith(".ts")) return [fileURLToPath(new URL(`./${name}.js`, from))];
  const tsx = pathToFileURL(createRequire(from).resolve("tsx")).href;
  return ["--import", tsx, fileURLToPath(new URL(`./${name}.ts`, from))];
}
