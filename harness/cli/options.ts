// Option parsers for commander: every value is checked while the command line is parsed, before
// anything starts; a bad one ends the command with exit 2 and one line saying what is expected.

import { InvalidArgumentError, Option } from "commander";
import { MAX_REPLICAS } from "../report/scenario-format.js";
import { RUN_DEFAULTS } from "../run/defaults.js";
import { PROFILE_IDS } from "../run/profile-choice.js";
import { FAMILIES, FAMILY_NAMES, type Family, isFamily } from "../steps/families.js";
import { parseTarget } from "../targets/parse.js";
import { targetChoices, targetHelpLines, targetSynopsis } from "../targets/registry.js";
import { TargetUnavailable } from "../targets/target.js";

/** A whole number in [min, max]; `example` shows a valid use. */
export function integerIn(min: number, max: number, example: string): (value: string) => number {
  return (value) => {
    const n = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      const range =
        max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
      throw new InvalidArgumentError(`Expected ${range}, e.g. ${example}.`);
    }
    return n;
  };
}

/** "60s", "2m", "500ms", "1h", "90" (seconds) → milliseconds (more than 0). */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms =
    m === null
      ? Number.NaN
      : Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
  if (!(ms > 0) || !Number.isFinite(ms))
    throw new InvalidArgumentError("Expected a duration such as 60s, 5m, 500ms or 1h.");
  return ms;
}

/** fast-check seeds are 32-bit integers (it prints them signed). */
export const parseSeed = integerIn(-(2 ** 31), 2 ** 32 - 1, "--seed 42 (a 32-bit integer, as printed by a run)");

/** A fast-check path: colon-separated non-negative integers, as printed by a run ("187:3:0"). */
export function parsePath(value: string): string {
  if (!/^\d+(:\d+)*$/.test(value))
    throw new InvalidArgumentError(
      'Expected a fast-check path as printed by a run: non-negative integers separated by colons, e.g. "187:3:0".',
    );
  return value;
}

export function parseTargetSpec(value: string): string {
  try {
    parseTarget(value);
  } catch (e) {
    if (e instanceof TargetUnavailable) throw new InvalidArgumentError(`Use ${targetChoices()}.`);
    throw e;
  }
  return value;
}

export const targetOption = () =>
  new Option("--target <target>", targetSynopsis()).default(RUN_DEFAULTS.target).argParser(parseTargetSpec);

/** The targets section of a command's help, from the registry. */
export function targetHelp(): string {
  return `\nTargets (--target):\n${targetHelpLines()
    .map((l) => `  ${l}`)
    .join("\n")}`;
}

export const profileOption = () =>
  new Option(
    "--profile <name>",
    "the model profile to check against instead of the one INFO server's version picks",
  ).choices(PROFILE_IDS);

export const replicasOption = () =>
  new Option("--replicas <n>", "replicas next to the first master")
    .default(RUN_DEFAULTS.replicas)
    .argParser(integerIn(0, MAX_REPLICAS, `--replicas ${RUN_DEFAULTS.replicas}`));

/** --skip / --only: comma-separated step families, repeatable. */
export function familyList(value: string, previous: Family[] = []): Family[] {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (names.length === 0) throw new InvalidArgumentError(`expected family names, one of: ${FAMILY_NAMES.join(", ")}`);
  for (const name of names) {
    if (!isFamily(name))
      throw new InvalidArgumentError(`unknown step family "${name}": one of ${FAMILY_NAMES.join(", ")}`);
  }
  return [...new Set([...previous, ...(names as Family[])])];
}

/** The step families for --help. */
export function familyHelp(): string {
  const width = Math.max(...FAMILY_NAMES.map((f) => f.length));
  return ["Step families (--skip/--only):", ...FAMILY_NAMES.map((f) => `  ${f.padEnd(width)}  ${FAMILIES[f]}`)].join(
    "\n",
  );
}

/** --timers: real servers run the timer steps by waiting for real time. */
export const timersOption = () =>
  new Option(
    "--timers",
    "redis-server, binary:PATH and image targets run timer steps (cron PING, repl-backlog-ttl, repl-timeout) by waiting for their real timers, a few seconds each; the builtin target always runs them at once",
  );

/** Why `--timers` makes no sense with this family choice, or undefined. */
export function timersProblem(opts: { timers?: boolean; skip?: Family[]; only?: Family[] }): string | undefined {
  if (opts.timers !== true) return undefined;
  if (opts.skip?.includes("timers") === true) return "--timers with --skip timers: no timer step would run";
  if (opts.only !== undefined && !opts.only.includes("timers"))
    return "--timers with --only that leaves out timers: no timer step would run";
  return undefined;
}
