// `replcheck merge` for JUnit: the shards' JUnit files (harness/report/junit.ts writes them, one
// test case per catalogue rule) as one document. A rule's test case fails if it failed in any
// shard (the first shard's failure is kept, the others are named in its message), is skipped only
// if no shard checked it, and its check counts are summed; the suite's counts are recomputed, its
// time is the sum of the shards' (CI tools add suite times) and it starts with the earliest shard.

import { MergeError, type InputFile } from "./merge-inputs.js";

/** One test case, its XML kept as written (already escaped). */
interface TestCase {
  classname: string;
  name: string;
  failure?: { message: string; type: string; body: string };
  error?: string;
  skipped?: string;
  out?: string;
}

interface JunitDoc {
  file: string;
  label: string;
  time: number;
  timestamp: string;
  hostname: string;
  suiteName: string;
  properties: [string, string][];
  cases: TestCase[];
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** Reads a JUnit file replcheck wrote; anything else is refused (it has another format). */
export function parseJunit(input: InputFile, label: string): JunitDoc {
  const bad = (why: string) =>
    new MergeError(
      `${input.file} is not a replcheck JUnit file (${why}): merge only combines what replcheck run --junit writes`,
    );
  if (!/<testsuites name="replcheck"/.test(input.text)) throw bad('no <testsuites name="replcheck">');
  const suite = /<testsuite\s[^>]*>/.exec(input.text)?.[0];
  if (suite === undefined) throw bad("no <testsuite>");
  const properties = [...input.text.matchAll(/<property name="([^"]*)" value="([^"]*)"\/>/g)].map(
    (m) => [m[1], m[2]] as [string, string],
  );
  const cases: TestCase[] = [];
  for (const m of input.text.matchAll(/<testcase classname="([^"]*)" name="([^"]*)">([\s\S]*?)<\/testcase>/g)) {
    const inner = m[3];
    const failure = /<failure message="([^"]*)" type="([^"]*)">([\s\S]*?)<\/failure>/.exec(inner);
    cases.push({
      classname: m[1],
      name: m[2],
      ...(failure === null ? {} : { failure: { message: failure[1], type: failure[2], body: failure[3] } }),
      ...(/<error /.test(inner) ? { error: /<error [\s\S]*?<\/error>/.exec(inner)?.[0] } : {}),
      ...(/<skipped /.test(inner) ? { skipped: /<skipped [^>]*\/>/.exec(inner)?.[0] } : {}),
      ...(/<system-out>/.test(inner) ? { out: /<system-out>([\s\S]*?)<\/system-out>/.exec(inner)?.[1] } : {}),
    });
  }
  if (cases.length === 0) throw bad("no test case");
  return {
    file: input.file,
    label,
    time: Number(attr(suite, "time") ?? "0"),
    timestamp: attr(suite, "timestamp") ?? "",
    hostname: attr(suite, "hostname") ?? "",
    suiteName: attr(suite, "name") ?? "replcheck",
    properties,
    cases,
  };
}

const property = (doc: JunitDoc, name: string): string | undefined => doc.properties.find(([n]) => n === name)?.[1];

/** "TITLE: N checks, M failed during the campaign" with the counts summed over the shards. */
function sumOut(outs: readonly string[]): string {
  const parsed = outs.map((o) => /^(.*): (\d+) checks, (\d+) failed during the campaign$/.exec(o));
  if (parsed.some((p) => p === null)) return outs[0];
  const checks = parsed.reduce((a, p) => a + Number(p?.[2]), 0);
  const failed = parsed.reduce((a, p) => a + Number(p?.[3]), 0);
  return `${parsed[0]?.[1]}: ${checks} checks, ${failed} failed during the campaign`;
}

/** Property values the shards add up, and the ones any shard sets. */
function mergedProperties(docs: readonly JunitDoc[]): [string, string][] {
  const first = docs[0];
  const sum = (name: string) => String(docs.reduce((a, d) => a + Number(property(d, name) ?? "0"), 0));
  const each = (name: string) =>
    docs
      .map((d) => [d.label, property(d, name) ?? ""] as const)
      .filter(([, v]) => v !== "")
      .map(([label, v]) => `${label}: ${v}`)
      .join("; ");
  return first.properties.map(([name, value]): [string, string] => {
    if (name === "scenarios" || name === "steps" || name === "inconclusive") return [name, sum(name)];
    if (name === "interrupted") return [name, String(docs.some((d) => property(d, name) === "true"))];
    if (name === "path" || name === "reproduced" || name === "shrinks") return [name, each(name)];
    return [name, value];
  });
}

/** One JUnit document of the shards (labelled "shard i/n"), which must be of one campaign. */
export function mergeJunit(docs: readonly JunitDoc[]): string {
  for (const name of ["target", "profile", "seed"]) {
    const values = new Set(docs.map((d) => property(d, name)).filter((v) => v !== undefined && v !== ""));
    if (values.size > 1)
      throw new MergeError(
        `cannot merge JUnit files of different ${name}s: ${docs.map((d) => `${d.file} has ${property(d, name)}`).join(", ")}`,
      );
  }
  const names: string[] = [];
  const byName = new Map<string, TestCase[]>();
  for (const d of docs)
    for (const c of d.cases) {
      if (!byName.has(c.name)) names.push(c.name);
      byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
    }
  const labelOf = new Map(docs.flatMap((d) => d.cases.map((c) => [c, d.label] as const)));
  const body: string[] = [];
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const name of names) {
    const cases = byName.get(name) ?? [];
    const first = cases[0];
    body.push(`    <testcase classname="${first.classname}" name="${name}">`);
    const failed = cases.filter((c) => c.failure !== undefined);
    const errored = cases.find((c) => c.error !== undefined);
    if (failed.length > 0) {
      failures++;
      const f = failed[0].failure!;
      const also =
        failed.length > 1
          ? ` (also failed in ${failed
              .slice(1)
              .map((c) => labelOf.get(c))
              .join(", ")})`
          : "";
      body.push(
        `      <failure message="${labelOf.get(failed[0])}: ${f.message}${also}" type="${f.type}">${f.body}</failure>`,
      );
    } else if (errored !== undefined) {
      errors++;
      body.push(`      ${errored.error}`);
    } else if (cases.length === docs.length && cases.every((c) => c.skipped !== undefined)) {
      skipped++;
      body.push(`      ${first.skipped}`);
    }
    const outs = cases.map((c) => c.out).filter((o) => o !== undefined);
    if (outs.length > 0) body.push(`      <system-out>${sumOut(outs)}</system-out>`);
    body.push("    </testcase>");
  }
  const tests = names.length;
  const time = docs.reduce((a, d) => a + d.time, 0).toFixed(3);
  const timestamp = docs.map((d) => d.timestamp).sort()[0];
  const hosts = [...new Set(docs.map((d) => d.hostname))].join(",");
  const props = [...mergedProperties(docs), ["shards", docs.map((d) => d.label).join(", ")]];
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="replcheck" tests="${tests}" failures="${failures}" errors="${errors}" time="${time}">`,
    `  <testsuite name="${docs[0].suiteName}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}" timestamp="${timestamp}" hostname="${hosts}">`,
    "    <properties>",
    ...props.map(([name, value]) => `      <property name="${name}" value="${value}"/>`),
    "    </properties>",
    ...body,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
