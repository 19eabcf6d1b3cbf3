// replcheck command line.
import { Command } from "commander";
import { registerImageCommand } from "./image-command.js";
import { replayCommand, runCommand, type RunCliOptions } from "./run-command.js";

const program = new Command();
program.name("replcheck").description("Property-based conformance suite for Redis replication");

program
  .command("run")
  .description("run generated write/partition/topology sequences against a target and compare every step with the model")
  .option("--target <target>", "builtin | redis-server | binary:PATH | image:NAME", "builtin")
  .option("--runs <n>", "most scenarios to run (the time limit usually ends the run first)", (v) => Number(v), 100_000)
  .option("--time-limit <duration>", "stop starting scenarios after this long (e.g. 60s, 5m)", "60s")
  .option("--seed <seed>", "fast-check seed (replay with --path)")
  .option("--path <path>", "fast-check path of a counterexample (with --seed)")
  .option("--replicas <n>", "replicas next to the first master", (v) => Number(v), 2)
  .option("--steps <n>", "most generated steps per scenario", (v) => Number(v), 30)
  .option("--out <dir>", "keep a JSON report, scenario files and node logs here")
  .option("--junit <file>", "write JUnit XML for CI systems")
  .action(async (opts: RunCliOptions) => {
    process.exitCode = await runCommand(opts);
  });

program
  .command("replay <file>")
  .description("run a saved scenario file step by step, without fast-check, against any target")
  .option("--target <target>", "builtin | redis-server | binary:PATH | image:NAME", "builtin")
  .action(async (file: string, opts: { target: string }) => {
    process.exitCode = await replayCommand(file, opts);
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

await program.parseAsync(process.argv);
