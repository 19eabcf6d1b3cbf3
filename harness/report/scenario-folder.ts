// The scenario files a folder holds: every *.json file in it, in name order (a project's kept
// counterexamples). Shared by `replcheck replay DIR` and the vitest entry's `scenarios` option.

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../cli/exit-codes.js";

/** Whether `path` is a folder (a replay argument may be a file or a folder). */
export function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

/**
 * The *.json files of the folder `dir`, sorted by name, as paths under `dir`. Throws a UsageError
 * when it is not a folder or holds none: an empty regression folder checks nothing, which must not
 * pass unnoticed.
 */
export function scenarioFilesIn(dir: string): string[] {
  if (!isFolder(dir))
    throw new UsageError(`${dir} is not a folder`, "give the folder that holds the scenario files (*.json)");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(dir, f));
  if (files.length === 0)
    throw new UsageError(`no scenario files (*.json) in ${dir}`, "give a scenario file, or a folder of them");
  return files;
}
