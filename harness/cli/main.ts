// replcheck command line. The harness issue makes `run` real; until then it says what it will do.
import { Command } from "commander";

const program = new Command();
program.name("replcheck").description("Property-based conformance suite for Redis replication");

program
  .command("run")
  .description("run generated write/partition/topology sequences against a target and compare with the model")
  .option("--target <target>", "builtin | redis-server | binary:PATH | image:NAME", "builtin")
  .action((opts: { target: string }) => {
    console.log(
      `replcheck run --target ${opts.target}: the harness is not built yet. ` +
        "It will start the target's nodes, drive fast-check sequences of writes, partitions and " +
        "topology changes, and compare every step with the reference model (see README.md).",
    );
  });

await program.parseAsync(process.argv);
