// What `replcheck merge` reads: each argument is a shard's --out directory (its report.json, and
// the JUnit file in it if there is one) or a report.json or JUnit XML file given by itself.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Inputs that cannot be merged (unreadable, not replcheck's, or of different campaigns): exit 2. */
export class MergeError extends Error {}

/** One input file and its text. */
export interface InputFile {
  file: string;
  text: string;
}

export interface MergeInputs {
  reports: InputFile[];
  junits: InputFile[];
}

function read(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new MergeError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** A JUnit document replcheck wrote (its root names replcheck). */
export const isReplcheckJunit = (text: string): boolean => /<testsuites name="replcheck"/.test(text.slice(0, 500));

/** The report.json and JUnit files the arguments name, each read once; at least one report. */
export function collectInputs(args: readonly string[]): MergeInputs {
  const inputs: MergeInputs = { reports: [], junits: [] };
  if (args.length === 0) throw new MergeError("nothing to merge: give the shards' --out directories or report files");
  for (const arg of args) {
    const stat = statSync(arg, { throwIfNoEntry: false });
    if (stat === undefined) throw new MergeError(`${arg} does not exist`);
    if (stat.isDirectory()) {
      const report = join(arg, "report.json");
      if (statSync(report, { throwIfNoEntry: false }) === undefined)
        throw new MergeError(`${arg} holds no report.json: give a shard's --out directory`);
      inputs.reports.push({ file: report, text: read(report) });
      const xml = readdirSync(arg)
        .filter((f) => f.endsWith(".xml"))
        .map((f) => ({ file: join(arg, f), text: read(join(arg, f)) }))
        .filter((f) => isReplcheckJunit(f.text));
      if (xml.length > 1)
        throw new MergeError(`${arg} holds ${xml.length} replcheck JUnit files: give the one of this shard by itself`);
      inputs.junits.push(...xml);
    } else if (arg.endsWith(".xml")) {
      inputs.junits.push({ file: arg, text: read(arg) });
    } else {
      inputs.reports.push({ file: arg, text: read(arg) });
    }
  }
  if (inputs.reports.length === 0)
    throw new MergeError("no report.json among the inputs: each shard's report.json says which shard it is");
  if (inputs.junits.length > 0 && inputs.junits.length !== inputs.reports.length)
    throw new MergeError(
      `${inputs.reports.length} reports but ${inputs.junits.length} JUnit files: give every shard's JUnit file, or none`,
    );
  return inputs;
}
