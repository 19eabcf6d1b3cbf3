// replcheck's own version, from package.json. In a checkout that is the repository's package.json
// (../package.json from harness/); in the published package the build writes dist/package.json
// with the same version (dist/harness/version.js reads ../package.json too).

import { readFileSync } from "node:fs";

let cached: string | undefined;

/** The version of the replcheck package this code belongs to ("0.0.0" if package.json cannot be read). */
export function replcheckVersion(): string {
  if (cached !== undefined) return cached;
  try {
    cached =
      (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string }).version ??
      "0.0.0";
  } catch {
    cached = "0.0.0";
  }
  return cached;
}
