// How `replcheck run` talks. Progress is for people and goes to stderr: a start line at once
// (target, profile, seed, time limit), then the live progress line, and with --verbose every step
// as it runs. The report goes to stdout: the rule table, a counterexample, the verdict line.
// --quiet keeps only what a CI log needs on stdout (a counterexample, its replay lines, errors and
// the verdict) and no progress on stderr (errors still go there); --json makes stdout NDJSON
// events for machines (start, scenario, divergence, summary, error), one object a line, and keeps
// progress on stderr.
//
// This module is loaded with the command line itself (light: no model, no harness), so the start
// line comes before the run's own modules are loaded.

import { replcheckVersion } from "../version.js";

export interface OutputOptions {
  quiet?: boolean;
  verbose?: boolean;
  json?: boolean;
}

/** What the start line and the start event say about the run about to begin. */
export interface StartInfo {
  target: string;
  profile?: string;
  seed: number;
  path?: string;
  /** Milliseconds. */
  timeLimit: number;
  runs: number;
  steps: number;
  replicas: number;
}

/** One NDJSON event of `--json`; `event` names it. */
export type RunEvent = { event: "start" | "scenario" | "divergence" | "summary" | "error" } & Record<string, unknown>;

export interface RunOutput {
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly json: boolean;
  /** The start line (stderr) and the start event. */
  start(info: StartInfo): void;
  /** The live progress line (stderr): on a terminal it rewrites itself, elsewhere at most every 5 s. */
  progress(line: string): void;
  /** Ends the progress line. */
  done(): void;
  /** With --verbose: one step, as it ran (stderr). */
  step(text: string): void;
  /** With --json: one event on stdout. */
  event(e: RunEvent): void;
  /** Report text for people (stdout), not with --quiet or --json. */
  report(text: string): void;
  /** Report text a CI log needs even with --quiet (stdout), not with --json. */
  essential(text: string): void;
}

/** "90s", "1500ms": how a --time-limit value is written back. */
export const durationText = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** A seed as fast-check draws one when none is given: chosen here, so the start line can show it. */
export const newSeed = (): number => Date.now() ^ (Math.random() * 0x100000000);

export function startLine(info: StartInfo): string {
  // A mixed target's nodes are of two kinds: each gets the profile its own INFO server names.
  const detected = info.target.startsWith("mixed:")
    ? "profile of each node from its INFO server"
    : "profile from INFO server";
  const profile = info.profile === undefined ? detected : `profile ${info.profile} (--profile)`;
  const path = info.path === undefined ? "" : ` path ${info.path}`;
  return `replcheck ${replcheckVersion()} run: target ${info.target}, ${profile}, seed ${info.seed}${path}, time limit ${durationText(info.timeLimit)}, up to ${info.runs} scenarios of ${info.steps} steps, ${info.replicas} replicas`;
}

/** stdout through console.log (tests capture the report there), stderr written directly. */
export function createRunOutput(options: OutputOptions, stderr: NodeJS.WriteStream = process.stderr): RunOutput {
  const quiet = options.quiet === true;
  const verbose = options.verbose === true && !quiet;
  const json = options.json === true;
  const tty = stderr.isTTY === true && !verbose;
  let last = 0;
  let pending = false;
  let spoken = false;
  const err = (text: string) => {
    if (quiet) return;
    if (pending) {
      stderr.write("\n");
      pending = false;
    }
    stderr.write(`${text}\n`);
  };
  return {
    quiet,
    verbose,
    json,
    start(info) {
      err(startLine(info));
      const { target, profile, seed, path, timeLimit, runs, steps, replicas } = info;
      this.event({
        event: "start",
        replcheck: replcheckVersion(),
        time: new Date().toISOString(),
        target,
        profile: profile ?? null,
        seed,
        path: path ?? null,
        timeLimitMs: timeLimit,
        runs,
        steps,
        replicas,
      });
    },
    progress(line) {
      if (quiet) return;
      if (tty) {
        stderr.write(`\r\x1b[K${line}`);
        pending = true;
      } else if (Date.now() - last > 5000) {
        stderr.write(`${line}\n`);
        last = Date.now();
      }
    },
    done() {
      if (pending) stderr.write("\n");
      pending = false;
    },
    step(text) {
      if (verbose) err(text);
    },
    event(e) {
      if (json) console.log(JSON.stringify(e));
    },
    report(text) {
      if (quiet || json) return;
      console.log(text);
      spoken = true;
    },
    essential(text) {
      if (json) return;
      // With --quiet nothing came before: no blank line to separate it from.
      console.log(quiet && !spoken ? text.replace(/^\n+/, "") : text);
      spoken = true;
    },
  };
}
