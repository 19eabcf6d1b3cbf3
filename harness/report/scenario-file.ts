// Saved scenarios: the concrete steps of a run, replayable step by step without fast-check and
// against any target (`replcheck replay FILE --target ...`).

import { readFileSync, writeFileSync } from "node:fs";
import type { Step } from "../scenario/resolve.js";
import type { ServerConfig } from "../targets/target.js";

export interface ScenarioFile {
  format: "replcheck-scenario/1";
  /** Replicas next to n0 (nodes n0..n<replicas>). */
  replicas: number;
  nodeConfig: ServerConfig;
  /** Where it came from, for people: target, profile, seed, path, rule broken. */
  origin: Record<string, string>;
  /** Every step including the initial REPLICAOFs. */
  steps: Step[];
}

export function writeScenarioFile(path: string, file: Omit<ScenarioFile, "format">): void {
  writeFileSync(path, JSON.stringify({ format: "replcheck-scenario/1", ...file }, null, 2) + "\n");
}

export function readScenarioFile(path: string): ScenarioFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`cannot read scenario file ${path}: ${(e as Error).message}`);
  }
  const f = parsed as Partial<ScenarioFile>;
  if (f.format !== "replcheck-scenario/1" || !Array.isArray(f.steps) || typeof f.replicas !== "number" || typeof f.nodeConfig !== "object") {
    throw new Error(`${path} is not a replcheck scenario file (expected format "replcheck-scenario/1" with replicas, nodeConfig and steps)`);
  }
  for (const [i, s] of f.steps.entries()) {
    if (typeof s !== "object" || s === null || typeof (s as Step).action?.kind !== "string") throw new Error(`${path}: step ${i + 1} has no action`);
  }
  return f as ScenarioFile;
}
