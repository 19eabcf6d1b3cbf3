// `replcheck matrix --targets A,B,... [--time-limit D] [--seed S] [--runs N] [--out DIR]`: the same
// seeded campaign against each target, one after the other, and the matrix of rules × targets in
// DIR/matrix.html, DIR/matrix.md and DIR/matrix.json, each target's own run in a folder of DIR.
// Every option and every target is checked before the first campaign starts (bad usage exits 2);
// the exit code follows exit-codes.ts (matrix/matrix-verdict.ts says how columns combine).

import { type Command, InvalidArgumentError, Option } from "commander";
import { progressLine } from "../report/text.js";
import { RUN_DEFAULTS } from "../run/defaults.js";
import { splitTargetList, TargetListError } from "../matrix/target-list.js";
import { replcheckVersion } from "../version.js";
import { EXIT_CANNOT_START, EXIT_INCONCLUSIVE, EXIT_SIGINT, EXIT_SIGTERM, UsageError } from "./exit-codes.js";
import { handleInterrupts } from "./interrupt.js";
import { integerIn, parseDuration, parseSeed, replicasOption, targetHelp, timersOption } from "./options.js";
import { createRunOutput, durationText, newSeed } from "./run-output.js";
import { TargetUnavailable } from "../targets/target.js";

/** The matrix command's options, parsed and checked. */
export interface MatrixCliOptions {
  targets: string[];
  timeLimit: number;
  seed?: number;
  runs: number;
  replicas: number;
  steps: number;
  out: string;
  quiet?: boolean;
  timers?: boolean;
}

/** Where the matrix goes without --out. */
export const DEFAULT_MATRIX_DIR = "replcheck-matrix";

/** `--targets` may be given more than once: the lists add up, and a target named twice is refused. */
function targetsArg(value: string, previous: string[] | undefined): string[] {
  try {
    const specs = splitTargetList(value);
    const again = specs.find((s) => previous?.includes(s));
    if (again !== undefined) throw new TargetListError(`target "${again}" is listed twice in --targets`);
    return [...(previous ?? []), ...specs];
  } catch (e) {
    if (e instanceof TargetListError) throw new InvalidArgumentError(`${e.message}.`);
    throw e;
  }
}

/** Runs the matrix and prints it; returns the exit code. */
export async function matrixCommand(opts: MatrixCliOptions): Promise<number> {
  const seed = opts.seed ?? newSeed();
  const output = createRunOutput({ quiet: opts.quiet === true });
  let done = 0;
  const interrupts = handleInterrupts(() => `after ${done} of ${opts.targets.length} targets`);
  const say = (line: string) => {
    if (opts.quiet !== true) process.stderr.write(`${line}\n`);
  };
  say(
    `replcheck ${replcheckVersion()} matrix: ${opts.targets.length} target${opts.targets.length === 1 ? "" : "s"} (${opts.targets.join(" ")}), seed ${seed}, time limit ${durationText(opts.timeLimit)} per target, up to ${opts.runs} scenarios of ${opts.steps} steps, ${opts.replicas} replicas, out ${opts.out}`,
  );
  try {
    // Loaded on use: the campaign, the model and the targets are not needed for --help.
    const { runMatrix } = await import("../matrix/run-matrix.js");
    const { matrixMarkdown } = await import("../matrix/markdown.js");
    const { matrix, files } = await runMatrix({
      targets: opts.targets,
      seed,
      runs: opts.runs,
      timeLimitMs: opts.timeLimit,
      replicas: opts.replicas,
      steps: opts.steps,
      out: opts.out,
      timers: opts.timers === true,
      signal: interrupts.signal,
      onProgress: (target, p) => {
        if (p === undefined) say(`[${done + 1}/${opts.targets.length}] ${target}: starting`);
        else output.progress(`[${done + 1}/${opts.targets.length}] ${target}: ${progressLine(p)}`);
      },
      onColumn: (c) => {
        output.done();
        done++;
        say(`[${done}/${opts.targets.length}] ${c.target}: ${c.verdict} (exit ${c.exitCode})`);
        if (c.hint !== undefined) say(`  what to do: ${c.hint}`);
      },
    });
    output.report(matrixMarkdown(matrix));
    const written = [files?.html, files?.markdown, files?.json].filter((f) => f !== undefined);
    if (written.length > 0) output.essential(`matrix written: ${written.join(", ")}`);
    output.essential(`replcheck matrix: ${matrix.verdict} (exit ${matrix.exitCode})`);
    return matrix.exitCode;
  } catch (e) {
    output.done();
    if (e instanceof TargetUnavailable) {
      console.error(`replcheck matrix: ${e.message}\n  what to do: ${e.hint}`);
      return EXIT_CANNOT_START;
    }
    if (e instanceof UsageError) {
      console.error(`replcheck matrix: ${e.message}${e.hint === undefined ? "" : `\n  what to do: ${e.hint}`}`);
      return EXIT_CANNOT_START;
    }
    console.error(
      `replcheck matrix: internal error, no verdict (a bug in replcheck; please report it with this output):\n${(e as Error)?.stack ?? String(e)}`,
    );
    return EXIT_INCONCLUSIVE;
  }
}

/** Adds `replcheck matrix` to the command line. */
export function registerMatrixCommand(program: Command): void {
  program
    .command("matrix")
    .description(
      "run the same seeded campaign against each target, one after the other, and write the matrix of rules × targets (HTML, Markdown, JSON)",
    )
    .addOption(
      new Option(
        "--targets <list>",
        "comma-separated --target values, in column order (repeatable; a composite form keeps its own commas)",
      )
        .argParser(targetsArg)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option("--time-limit <duration>", "each target's time limit, shrinking included (e.g. 60s, 5m)")
        .default(RUN_DEFAULTS.timeLimitMs, `${RUN_DEFAULTS.timeLimitMs / 1000}s`)
        .argParser(parseDuration),
    )
    .addOption(
      new Option("--seed <seed>", "fast-check seed every target's campaign uses (default: a new one)").argParser(
        parseSeed,
      ),
    )
    .addOption(
      new Option("--runs <n>", "most scenarios per target (the time limit usually ends each campaign first)")
        .default(RUN_DEFAULTS.runs)
        .argParser(integerIn(1, Number.MAX_SAFE_INTEGER, "--runs 100")),
    )
    .addOption(replicasOption())
    .addOption(
      new Option("--steps <n>", "most generated steps per scenario")
        .default(RUN_DEFAULTS.steps)
        .argParser(integerIn(1, 1000, `--steps ${RUN_DEFAULTS.steps}`)),
    )
    .addOption(
      new Option("--out <dir>", "where matrix.html, matrix.md, matrix.json and one folder per target's run go").default(
        DEFAULT_MATRIX_DIR,
      ),
    )
    .addOption(timersOption())
    .addOption(new Option("-q, --quiet", "print only where the matrix is and the verdict; no progress"))
    .addHelpText(
      "after",
      `\nExit code: 1 if any target diverged, else 3 if no target gave a verdict, else 0; a target that cannot start is a column saying why.\n${targetHelp()}`,
    )
    .action(async (opts: MatrixCliOptions) => {
      const code = await matrixCommand(opts);
      // An interrupted matrix ends now, whatever is still pending in the event loop (as run does).
      if (code === EXIT_SIGINT || code === EXIT_SIGTERM) process.exit(code);
      process.exitCode = code;
    });
}
