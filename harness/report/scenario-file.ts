// Saved scenarios: the concrete steps of a run, replayable step by step without fast-check and
// against any target (`replcheck replay FILE --target ...`).
//
// Reading validates the whole file before anything starts: a step replcheck does not understand
// is an error naming its field (`steps[3].action.kind: unknown step kind "pause"`), never skipped.
// The Action union of model/actions.ts is the source of truth: ACTION_FIELDS below is typed from it,
// so a new action kind or field that the validator does not describe is a compile error.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Action, ConfigName, ModelLinkState } from "../../model/index.js";
import type { CampaignResult } from "../run/campaign.js";
import type { Step } from "../steps/step.js";
import type { ServerConfig } from "../targets/target.js";

const FORMAT_NAME = "replcheck-scenario";
/** The newest (and only) format version this replcheck reads and writes. */
export const FORMAT_VERSION = 1;
const FORMAT = `${FORMAT_NAME}/${FORMAT_VERSION}` as const;

/** Most replicas next to n0 (node names n0..n9): each node is a server process, plus its link proxy. */
export const MAX_REPLICAS = 9;

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
  constructor(at: string, problem: string) {
    super(`${at}: ${problem}`);
  }
}

interface Context {
  /** n0..n<replicas>. */
  nodes: readonly string[];
}

type Check = (value: unknown, at: string, ctx: Context) => void;

/** Whether K is an optional property of A. */
type IsOptional<A, K extends keyof A> = Record<never, never> extends Pick<A, K> ? true : false;
/** One Check per property of A (except `kind`), declared optional exactly where A's is. */
type FieldsOf<A> = {
  [K in Exclude<keyof A, "kind">]-?: IsOptional<A, K> extends true
    ? { check: Check; optional: true }
    : { check: Check; optional?: false };
};

/** The path of a field: "steps[3].action" + "kind"; top-level fields have no leading dot. */
const sub = (at: string, key: string): string => (at === "" ? key : `${at}.${key}`);

const show = (v: unknown): string =>
  typeof v === "string"
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? "a list"
      : v === null
        ? "null"
        : typeof v === "object"
          ? "an object"
          : String(v);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const string: Check = (v, at) => {
  if (typeof v !== "string") throw new Invalid(at, `expected a string, got ${show(v)}`);
};
const boolean: Check = (v, at) => {
  if (typeof v !== "boolean") throw new Invalid(at, `expected true or false, got ${show(v)}`);
};
/** A finite number (JSON's 1e999 parses to Infinity). */
const finite: Check = (v, at) => {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Invalid(at, `expected a finite number, got ${show(v)}`);
};
const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER): Check =>
  (v, at) => {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) {
      throw new Invalid(
        at,
        `expected a whole number ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`}, got ${show(v)}`,
      );
    }
  };
const node: Check = (v, at, ctx) => {
  string(v, at, ctx);
  if (!ctx.nodes.includes(v as string))
    throw new Invalid(at, `unknown node ${show(v)} (this scenario has ${ctx.nodes.join(", ")})`);
};
const oneOf =
  (values: Readonly<Record<string, true>>): Check =>
  (v, at, ctx) => {
    string(v, at, ctx);
    if (!Object.hasOwn(values, v as string))
      throw new Invalid(at, `expected one of ${Object.keys(values).join(", ")}, got ${show(v)}`);
  };
const listOf =
  (item: Check, minLength: number): Check =>
  (v, at, ctx) => {
    if (!Array.isArray(v)) throw new Invalid(at, `expected a list, got ${show(v)}`);
    if (v.length < minLength) throw new Invalid(at, `expected at least ${minLength} item${minLength === 1 ? "" : "s"}`);
    v.forEach((x, i) => {
      if (x === null) throw new Invalid(`${at}[${i}]`, "null is not allowed");
      item(x, `${at}[${i}]`, ctx);
    });
  };
const argv = listOf(string, 1);

// Records keyed by the model's unions: a new link state or config name must be added here.
const LINK_STATES: Record<ModelLinkState, true> = { up: true, down: true, blackhole: true };
const CONFIG_NAMES: Record<ConfigName, true> = {
  "repl-backlog-size": true,
  "repl-backlog-ttl": true,
  "min-replicas-to-write": true,
  "min-replicas-max-lag": true,
  "replica-read-only": true,
  "replica-serve-stale-data": true,
  "repl-diskless-sync": true,
};

const req = (check: Check) => ({ check });
const opt = (check: Check) => ({ check, optional: true as const });

/** Every action kind and its fields. A kind or field of Action missing here does not compile. */
const ACTION_FIELDS: { [K in Action["kind"]]: FieldsOf<Extract<Action, { kind: K }>> } = {
  command: { node: req(node), db: req(integer(0)), argv: req(argv), now: req(finite) },
  transaction: { node: req(node), db: req(integer(0)), commands: req(listOf(argv, 1)), now: req(finite) },
  wait: { node: req(node), numReplicas: req(integer(0)), timeoutMs: req(integer(0)) },
  link: { replica: req(node), state: req(oneOf(LINK_STATES)), master: opt(node) },
  replicaof: { node: req(node), master: req(node) },
  "replicaof-no-one": { node: req(node) },
  "config-set": { node: req(node), name: req(oneOf(CONFIG_NAMES)), value: req(string) },
  save: { node: req(node) },
  restart: { node: req(node), save: req(boolean) },
  "ping-tick": { node: req(node) },
  "backlog-ttl-expired": { node: req(node) },
  "repl-timeout": { replica: req(node) },
};

/** Checks an object against its fields: no unknown field, no null, every required field present. */
function checkFields(
  value: Record<string, unknown>,
  fields: Readonly<Record<string, { check: Check; optional?: boolean }>>,
  at: string,
  ctx: Context,
  skip: readonly string[] = [],
): void {
  for (const key of Object.keys(value)) {
    if (!skip.includes(key) && !Object.hasOwn(fields, key)) throw new Invalid(sub(at, key), "unknown field");
  }
  for (const [key, field] of Object.entries(fields)) {
    const v = value[key];
    if (v === null) throw new Invalid(sub(at, key), "null is not allowed");
    if (v === undefined) {
      if (field.optional !== true) throw new Invalid(sub(at, key), "missing");
      continue;
    }
    field.check(v, sub(at, key), ctx);
  }
}

const action: Check = (v, at, ctx) => {
  if (!isRecord(v)) throw new Invalid(at, `expected an object, got ${show(v)}`);
  const kind = v.kind;
  if (kind === null || kind === undefined)
    throw new Invalid(`${at}.kind`, kind === null ? "null is not allowed" : "missing");
  if (typeof kind !== "string" || !Object.hasOwn(ACTION_FIELDS, kind)) {
    throw new Invalid(
      `${at}.kind`,
      `unknown step kind ${show(kind)} (this replcheck knows ${Object.keys(ACTION_FIELDS).join(", ")})`,
    );
  }
  checkFields(v, ACTION_FIELDS[kind as Action["kind"]], at, ctx, ["kind"]);
};

const STEP_FIELDS: FieldsOf<Step> = { action: req(action), throttle: opt(integer(1)) };

const step: Check = (v, at, ctx) => {
  if (!isRecord(v)) throw new Invalid(at, `expected an object, got ${show(v)}`);
  checkFields(v, STEP_FIELDS, at, ctx);
};

const configValue: Check = (v, at, ctx) => (Array.isArray(v) ? listOf(string, 0)(v, at, ctx) : string(v, at, ctx));
const recordOf =
  (item: Check): Check =>
  (v, at, ctx) => {
    if (!isRecord(v)) throw new Invalid(at, `expected an object, got ${show(v)}`);
    for (const [k, x] of Object.entries(v)) {
      if (x === null) throw new Invalid(sub(at, k), "null is not allowed");
      item(x, sub(at, k), ctx);
    }
  };

const FILE_FIELDS: FieldsOf<ScenarioFile> = {
  format: req(() => {}), // checked first, see validateScenario
  replicas: req(integer(0, MAX_REPLICAS)),
  nodeConfig: req(recordOf(configValue)),
  origin: req(recordOf(string)),
  steps: req(listOf(step, 0)),
};

function validateScenario(parsed: unknown): ScenarioFile {
  const expected = `expected format "${FORMAT}"`;
  if (!isRecord(parsed)) throw new Invalid("(file)", `not a replcheck scenario file: ${expected}, got ${show(parsed)}`);
  const format = parsed.format;
  const version = typeof format === "string" ? new RegExp(`^${FORMAT_NAME}/(\\d+)$`).exec(format)?.[1] : undefined;
  if (version === undefined)
    throw new Invalid("format", `not a replcheck scenario file: ${expected}, got ${show(format ?? "no format")}`);
  if (Number(version) > FORMAT_VERSION) {
    throw new Invalid(
      "format",
      `${format} is newer than this replcheck reads (${FORMAT}): replay it with the replcheck version that wrote it, or a newer one`,
    );
  }
  if (Number(version) !== FORMAT_VERSION)
    throw new Invalid("format", `${format} is not supported: this replcheck reads ${FORMAT}`);
  // replicas first: it decides which node names the steps may use.
  if (parsed.replicas === null) throw new Invalid("replicas", "null is not allowed");
  if (parsed.replicas === undefined) throw new Invalid("replicas", "missing");
  FILE_FIELDS.replicas.check(parsed.replicas, "replicas", { nodes: [] });
  const ctx: Context = { nodes: Array.from({ length: (parsed.replicas as number) + 1 }, (_, i) => `n${i}`) };
  checkFields(parsed, FILE_FIELDS, "", ctx);
  return parsed as unknown as ScenarioFile;
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
  origin: Pick<RunOrigin, "target" | "replicas" | "steps" | "profile">,
  file?: string,
): SavedCounterexample {
  const profile = origin.profile === undefined ? [] : ["--profile", origin.profile];
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
  const saved: SavedCounterexample = { rerun: ["replcheck", ...rerunArgs, ...profile].map(shellQuote).join(" ") };
  if (file !== undefined) {
    saved.file = file;
    saved.replay = ["replcheck", "replay", file, "--target", origin.target, ...profile].map(shellQuote).join(" ");
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
