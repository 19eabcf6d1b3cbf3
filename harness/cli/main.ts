// replcheck command line. Every option is parsed and checked here, before anything starts; bad
// usage exits 2 (see exit-codes.ts for the whole contract).

import { Command, InvalidArgumentError, Option } from "commander";
import { EXIT_CANNOT_START, EXIT_SIGINT, EXIT_SIGTERM } from "./exit-codes.js";
import { registerImageCommand } from "./image-command.js";
import { defaultConcurrency, RUN_DEFAULTS } from "../run/defaults.js";
import { parseShard, ShardError } from "../run/shard.js";
import {
  integerIn,
  parseDuration,
  parsePath,
  parseSeed,
  profileOption,
  replicasOption,
  familyHelp,
  familyList,
  targetHelp,
  targetOption,
  timersOption,
  timersProblem,
} from "./options.js";
import { familyChoiceProblem } from "../steps/families.js";
import type { ReplayCliOptions, RunCliOptions } from "./run-command.js";
import { configOption } from "./config-option.js";
import { createRunOutput, newSeed } from "./run-output.js";
import { replcheckVersion } from "../version.js";

const version = replcheckVersion();

/** The run and replay commands, loaded when one runs: `--help` and `--version` stay fast. */
const commands = () => import("./run-command.js");

/** The command's result: an interrupted run ends now, whatever is still pending in the event loop. */
function finish(code: number): void {
  if (code === EXIT_SIGINT || code === EXIT_SIGTERM) process.exit(code);
  process.exitCode = code;
}

const program = new Command();
program
  .name("replcheck")
  .description("Property-based conformance suite for Redis replication")
  .version(version, "-V, --version", "print replcheck's version")
  // Before the subcommands: they inherit it. Help and --version exit 0, every usage error 2.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_CANNOT_START));

program
  .command("run")
  .description(
    "run generated write/partition/topology sequences against a target and compare every step with the model",
  )
  .addOption(targetOption())
  .addOption(
    new Option("--runs <n>", "most scenarios to run (the time limit usually ends the run first)")
      .default(RUN_DEFAULTS.runs)
      .argParser(integerIn(1, Number.MAX_SAFE_INTEGER, "--runs 100")),
  )
  .addOption(
    new Option("--time-limit <duration>", "the whole run's time limit, shrinking included (e.g. 60s, 5m)")
      .default(RUN_DEFAULTS.timeLimitMs, `${RUN_DEFAULTS.timeLimitMs / 1000}s`)
      .argParser(parseDuration),
  )
  .addOption(new Option("--seed <seed>", "fast-check seed (replay with --path)").argParser(parseSeed))
  .addOption(new Option("--path <path>", "fast-check path of a counterexample (with --seed)").argParser(parsePath))
  .addOption(replicasOption())
  .addOption(
    new Option("--steps <n>", "most generated steps per scenario")
      .default(RUN_DEFAULTS.steps)
      .argParser(integerIn(1, 1000, `--steps ${RUN_DEFAULTS.steps}`)),
  )
  .addOption(profileOption())
  .addOption(
    new Option("--skip <families>", "step families not to generate, comma-separated (see below)")
      .argParser(familyList)
      .conflicts("only"),
  )
  .addOption(
    new Option("--only <families>", "generate only these step families, comma-separated").argParser(familyList),
  )
  .addOption(timersOption())
  .addOption(
    new Option(
      "--shard <i/n>",
      "run shard i of n: the seed's scenarios k with k mod n = i-1 (merge the shards' reports with replcheck merge)",
    ).argParser((v) => {
      try {
        return parseShard(v);
      } catch (e) {
        throw e instanceof ShardError ? new InvalidArgumentError(e.message) : e;
      }
    }),
  )
  .addOption(
    new Option(
      "--concurrency <n>",
      "clusters checked at once (builtin: one worker thread each); default: the cores but one, at least 1",
    )
      .default(defaultConcurrency())
      .argParser(integerIn(1, 64, "--concurrency 2")),
  )
  .option(
    "--no-targeted",
    "skip the targeted scenarios (hand-written seed behaviours, a few seconds) that run before the generated ones",
  )
  .option("--out <dir>", "keep a JSON report, scenario files and node logs here")
  .option("--junit <file>", "write JUnit XML for CI systems")
  .option(
    "--html-all",
    `report.html shows every scenario's timeline, not only the counterexample's (needs --out; keeps the last ${RUN_DEFAULTS.htmlAllScenarios} scenarios, counting the older ones dropped)`,
  )
  .addOption(
    new Option(
      "--config <name=value>",
      "set a node start-up option; name= drops one of the deterministic defaults (repeatable)",
    ).argParser(configOption),
  )
  .addOption(
    new Option(
      "-q, --quiet",
      "print only the verdict (and a counterexample with its replay lines); no progress",
    ).conflicts("verbose"),
  )
  .addOption(new Option("-v, --verbose", "print every step on stderr as it runs"))
  .addOption(
    new Option(
      "--json",
      "print NDJSON events on stdout (start, scenario, divergence, summary, error) instead of the report",
    ),
  )
  .addHelpText("after", `\nProgress goes to stderr, the report to stdout.\n${targetHelp()}\n${familyHelp()}`)
  .action(async (cliOpts: RunCliOptions, command: Command) => {
    // A path only means something in the seed's sequence of generated cases.
    if (cliOpts.path !== undefined && cliOpts.seed === undefined) {
      command.error("error: --path needs --seed: give both, as printed under a counterexample (--seed S --path P)", {
        exitCode: EXIT_CANNOT_START,
      });
    }
    if (cliOpts.path !== undefined && cliOpts.shard !== undefined) {
      command.error(
        "error: --shard splits a campaign and --path replays one scenario of it: give one of them (a shard's counterexample replays with --seed S --path P alone)",
        { exitCode: EXIT_CANNOT_START },
      );
    }
    // Names and --skip with --only were checked by the option parsers; what is left is an empty choice.
    const problem = familyChoiceProblem(cliOpts);
    if (problem !== undefined) {
      command.error(`error: --${problem}: skip fewer families`, { exitCode: EXIT_CANNOT_START });
    }
    const timers = timersProblem(cliOpts);
    if (timers !== undefined) command.error(`error: ${timers}`, { exitCode: EXIT_CANNOT_START });
    // The start line comes at once, before the run's modules load: the seed is chosen here.
    const opts = { ...cliOpts, seed: cliOpts.seed ?? newSeed() };
    const output = createRunOutput(opts);
    output.start(opts);
    finish(await (await commands()).runCommand(opts, output));
  });

program
  .command("replay <file>")
  .description(
    "run a saved scenario file (or every *.json file of a folder) step by step, without fast-check, against any target",
  )
  .addOption(targetOption())
  .addOption(profileOption())
  .addOption(timersOption())
  .addOption(new Option("-q, --quiet", "print only the verdict, and the steps of a scenario file that did not pass"))
  .addOption(new Option("--json", "print NDJSON events on stdout (start, scenario, divergence, summary, error)"))
  .addHelpText("after", targetHelp())
  .action(async (file: string, opts: ReplayCliOptions) => {
    finish(await (await commands()).replayCommand(file, opts));
  });

program
  .command("server")
  .description("start replcheck's own Redis-compatible server (redis-server style: [config file] --name value ...)")
  .helpOption(false)
  .allowUnknownOption(true)
  .allowExcessArguments(true)
  .argument("[options...]", "e.g. --port 6380 --replicaof 127.0.0.1 6379")
  .action(async (args: string[]) => {
    const { runStandalone } = await import("../../server/standalone.js");
    process.exitCode = await runStandalone(args);
  });

registerImageCommand(program);
(await import("./fuzz-command.js")).registerFuzzCommand(program);
(await import("./merge-command.js")).registerMergeCommand(program);
(await import("./matrix-command.js")).registerMatrixCommand(program);

await program.parseAsync(process.argv);
