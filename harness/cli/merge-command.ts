// `replcheck merge --out DIR INPUTS...`: the reports of a sharded campaign's shards (run --shard
// i/n --out DIR [--junit FILE]) as one DIR/report.json and, when the shards wrote JUnit, one
// DIR/junit.xml. Inputs of different campaigns or formats exit 2; otherwise the exit code is the
// merged verdict's (exit-codes.ts). Loaded when it runs, as the run command is.

import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { type Shard, shardText } from "../run/shard.js";
import { EXIT_CANNOT_START } from "./exit-codes.js";

export interface MergeCliOptions {
  out: string;
}

/** Runs the merge; returns the exit code. */
export async function mergeCommand(inputs: readonly string[], opts: MergeCliOptions): Promise<number> {
  // The merge modules (and the report schema's validator) load only when a merge runs.
  const { collectInputs, MergeError } = await import("../report/merge-inputs.js");
  const { mergeJunit, parseJunit } = await import("../report/merge-junit.js");
  const { mergeReports, readShardReport } = await import("../report/merge-reports.js");
  const { ruleTable } = await import("../report/text.js");
  try {
    const files = collectInputs(inputs);
    const shards = files.reports.map(readShardReport);
    const merged = mergeReports(shards);
    // A JUnit file belongs to the shard whose report came with it (same argument, same order).
    const junit =
      files.junits.length === 0
        ? undefined
        : mergeJunit(files.junits.map((j, i) => parseJunit(j, `shard ${shardText(shards[i].shard)}`)));
    const out = resolve(opts.out);
    try {
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, "report.json"), `${JSON.stringify(merged.report, null, 2)}\n`);
      if (junit !== undefined) writeFileSync(join(out, "junit.xml"), junit);
    } catch (e) {
      throw new MergeError(`cannot write the merged reports into ${out}: ${(e as Error).message}`);
    }
    const r = merged.report;
    const list = (s: Shard[]) => s.map(shardText).join(", ");
    console.log(
      `replcheck merge: shards ${list(merged.shards)} of seed ${r.seed}, ${r.target ?? r.options.target}, profile ${r.profile ?? "?"}`,
    );
    if (merged.missing.length > 0)
      console.log(`missing shards: ${list(merged.missing)} (their scenarios are not in this report)`);
    console.log(`${r.runs} scenarios, ${r.steps} steps checked\n`);
    console.log(ruleTable(new Map(Object.entries(r.rules))));
    if (r.path !== undefined)
      console.log(
        `\ncounterexample of the earliest diverging scenario: replcheck run --target ${r.options.target} --seed ${r.seed} --path ${r.path}`,
      );
    console.log(`\nwrote ${join(out, "report.json")}${junit === undefined ? "" : ` and ${join(out, "junit.xml")}`}`);
    console.log(`replcheck: ${merged.verdict.why} (exit ${merged.verdict.code})`);
    return merged.verdict.code;
  } catch (e) {
    if (!(e instanceof MergeError)) throw e;
    console.error(`replcheck merge: ${e.message}`);
    return EXIT_CANNOT_START;
  }
}

/** Adds `replcheck merge` to the command line. */
export function registerMergeCommand(program: Command): void {
  program
    .command("merge")
    .description("merge the report.json and JUnit files of a sharded run's shards (run --shard i/n) into one of each")
    .requiredOption("--out <dir>", "write the merged report.json (and junit.xml, if the shards wrote JUnit) here")
    .argument("<inputs...>", "each shard's --out directory, or its report.json and JUnit files")
    .addHelpText(
      "after",
      "\nA rule failed if it failed in any shard and was checked if checked in any; counts are summed.\nShards of different seeds, targets, profiles or report formats are refused (exit 2).",
    )
    .action(async (inputs: string[], opts: MergeCliOptions) => {
      process.exitCode = await mergeCommand(inputs, opts);
    });
}
