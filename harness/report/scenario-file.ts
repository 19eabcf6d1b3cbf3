// Saved scenarios: the concrete steps of a run, replayable step by step without fast-check and
// against any target (`replcheck replay FILE --target ...`).
//
// Reading validates the whole file before anything starts, against its JSON Schema
// (scenario-schema.ts, built from the step kinds): a step replcheck does not understand is an error
// naming its field (`steps[3].action.kind: unknown step kind "teleport"`), never skipped.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import type { CampaignResult } from "../run/campaign.js";
import { ACTION_KINDS } from "../steps/actions.js";
import type { Step } from "../steps/step.js";
import type { ServerConfig } from "../targets/target.js";
import {
  MAX_REPLICAS,
  SCENARIO_FORMAT as FORMAT,
  SCENARIO_FORMAT_NAME,
  SCENARIO_FORMAT_VERSION,
} from "./scenario-format.js";
import { SCENARIO_SCHEMA } from "./scenario-schema.js";
import { describeSchemaError, firstNull, showValue } from "./schema-errors.js";

export { MAX_REPLICAS };
/** The newest (and only) format version this replcheck reads and writes. */
export const FORMAT_VERSION = SCENARIO_FORMAT_VERSION;

export interface ScenarioFile {
  format: typeof FORMAT;
  /** Replicas next to n0 (nodes n0..n<replicas>). */
  replicas: number;
  nodeConfig: ServerConfig;
  /** Where it came from, for people: target, profile, seed, path, rule broken. */
  origin: Record<string, string>;
  /** Every step including the initial REPLICAOFs. */
  steps: Step[];
}

/** The file cannot be replayed as it is; the message names the file and the offending field. */
export class ScenarioFileError extends Error {}

export function writeScenarioFile(path: string, file: Omit<ScenarioFile, "format">): void {
  writeFileSync(path, `${JSON.stringify({ format: FORMAT, ...file }, null, 2)}\n`);
}

export function readScenarioFile(path: string): ScenarioFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ScenarioFileError(`cannot read scenario file ${path}: ${(e as Error).message}`);
  }
  try {
    return validateScenario(parsed);
  } catch (e) {
    if (e instanceof Invalid) throw new ScenarioFileError(`${path}: ${e.message}`);
    throw e;
  }
}

/** Checks a parsed scenario file completely; throws ScenarioFileError naming the first bad field. */
export function parseScenario(parsed: unknown): ScenarioFile {
  try {
    return validateScenario(parsed);
  } catch (e) {
    if (e instanceof Invalid) throw new ScenarioFileError(e.message);
    throw e;
  }
}

// ---- validation ----

class Invalid extends Error {
  constructor(at: string, problem?: string) {
    super(problem === undefined ? at : `${at}: ${problem}`);
  }
}

const validateSchema = new Ajv({ discriminator: true, verbose: true, allErrors: false }).compile(SCENARIO_SCHEMA);

const unknownKind = (kind: string): string =>
  `unknown step kind ${showValue(kind)} (this replcheck knows ${Object.keys(ACTION_KINDS).join(", ")})`;

function validateScenario(parsed: unknown): ScenarioFile {
  // The format first: a file of another format or version gets that said, not its first odd field.
  const expected = `expected format "${FORMAT}"`;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Invalid("(file)", `not a replcheck scenario file: ${expected}, got ${showValue(parsed)}`);
  const format = (parsed as { format?: unknown }).format;
  const version =
    typeof format === "string" ? new RegExp(`^${SCENARIO_FORMAT_NAME}/(\\d+)$`).exec(format)?.[1] : undefined;
  if (version === undefined)
    throw new Invalid("format", `not a replcheck scenario file: ${expected}, got ${showValue(format ?? "no format")}`);
  if (Number(version) > SCENARIO_FORMAT_VERSION) {
    throw new Invalid(
      "format",
      `${format} is newer than this replcheck reads (${FORMAT}): replay it with the replcheck version that wrote it, or a newer one`,
    );
  }
  if (Number(version) !== SCENARIO_FORMAT_VERSION)
    throw new Invalid("format", `${format} is not supported: this replcheck reads ${FORMAT}`);
  const nullAt = firstNull(parsed);
  if (nullAt !== undefined) throw new Invalid(nullAt, "null is not allowed");
  if (!validateSchema(parsed)) throw new Invalid(describeSchemaError(validateSchema.errors ?? [], unknownKind));
  const file = parsed as unknown as ScenarioFile;
  // Node names depend on the file's replicas: checked after the schema.
  const nodes = Array.from({ length: file.replicas + 1 }, (_, i) => `n${i}`);
  file.steps.forEach(({ action }, i) => {
    const fields = ACTION_KINDS[action.kind].nodeFields as readonly string[];
    for (const field of fields) {
      const v = (action as unknown as Record<string, unknown>)[field];
      if (v !== undefined && !nodes.includes(v as string))
        throw new Invalid(
          `steps[${i}].action.${field}`,
          `unknown node ${showValue(v)} (this scenario has ${nodes.join(", ")})`,
        );
    }
  });
  return file;
}

// ---- saving a counterexample and saying how to replay it ----

/** How the run that found it was started: what a command line replaying it must repeat. */
export interface RunOrigin {
  /** The --target text. */
  target: string;
  replicas: number;
  /** Most generated steps per scenario (--steps). */
  steps: number;
  /** An explicit --profile, if one was given. */
  profile?: string;
  /** --timers: a real server's timer steps need it again. */
  timers?: boolean;
  nodeConfig: ServerConfig;
}

export interface SavedCounterexample {
  /** The scenario file written, unless writing it failed (then `writeError`). */
  file?: string;
  writeError?: string;
  /** `replcheck run ... --seed S --path P`: the same fast-check case again. */
  rerun: string;
  /** `replcheck replay FILE --target T`: its steps, without fast-check. */
  replay?: string;
}

const SAFE_ARG = /^[A-Za-z0-9_./:=@%+,-]+$/;
/** A shell word for a command line people copy. */
export const shellQuote = (arg: string): string => (SAFE_ARG.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);

/** Where a campaign's counterexample is saved in `dir`. */
export const counterexampleFile = (result: CampaignResult, dir: string): string =>
  join(dir, `replcheck-counterexample-${result.seed}.json`);

/**
 * The command lines that reproduce a counterexample: the same fast-check case again, and, given
 * its saved scenario `file`, its steps replayed without fast-check. One place for every report.
 */
export function counterexampleLines(
  result: CampaignResult,
  origin: Pick<RunOrigin, "target" | "replicas" | "steps" | "profile" | "timers">,
  file?: string,
): SavedCounterexample {
  const options = [
    ...(origin.profile === undefined ? [] : ["--profile", origin.profile]),
    ...(origin.timers === true ? ["--timers"] : []),
  ];
  const rerunArgs = [
    "run",
    "--target",
    origin.target,
    "--replicas",
    String(origin.replicas),
    "--steps",
    String(origin.steps),
    "--seed",
    String(result.seed),
  ];
  if (result.path !== undefined) rerunArgs.push("--path", result.path);
  const saved: SavedCounterexample = { rerun: ["replcheck", ...rerunArgs, ...options].map(shellQuote).join(" ") };
  if (file !== undefined) {
    saved.file = file;
    saved.replay = ["replcheck", "replay", file, "--target", origin.target, ...options].map(shellQuote).join(" ");
  }
  return saved;
}

/**
 * Writes the campaign's counterexample as a scenario file in `dir` (replcheck-counterexample-SEED.json)
 * and returns the command lines that replay it. Shared by the CLI and the vitest entry point.
 */
export function saveCounterexample(
  result: CampaignResult,
  origin: RunOrigin,
  dir: string,
): SavedCounterexample | undefined {
  const ce = result.counterexample;
  if (ce === undefined) return undefined;
  const file = counterexampleFile(result, dir);
  const { rerun } = counterexampleLines(result, origin);
  try {
    writeScenarioFile(file, {
      replicas: origin.replicas,
      nodeConfig: origin.nodeConfig,
      origin: {
        target: result.target ?? origin.target,
        profile: result.profile ?? "",
        seed: String(result.seed),
        path: result.path ?? "",
        diverged: ce.reason ?? "",
        rerun,
      },
      steps: ce.executed,
    });
  } catch (e) {
    return { rerun, writeError: `could not write the scenario file ${file}: ${(e as Error).message}` };
  }
  return counterexampleLines(result, origin, file);
}

/** The lines a report prints under a counterexample. */
export function replayHint(saved: SavedCounterexample): string {
  const lines = ["Replay this counterexample:", `  ${saved.rerun}`];
  if (saved.replay !== undefined) lines.push("or step by step, against any target:", `  ${saved.replay}`);
  if (saved.writeError !== undefined) lines.push(`(${saved.writeError})`);
  return lines.join("\n");
}
