// `replcheck merge`: the report.json files of one sharded campaign (run/shard.ts) as the report of
// the whole. A rule failed if it failed in any shard and was checked if checked in any (its tallies
// are summed, as are the scenario, step and clause counts); the scenarios of every shard are listed
// in run-index order; the counterexample is the one of the earliest scenario (what an unsharded
// run would have met first). The verdict and exit code follow exit-codes.ts.

import { getProfile, type ProfileId, PROFILES } from "../../model/profile.js";
import type { RuleId } from "../../model/rule-ids.js";
import { campaignVerdict, type InterruptSignal, type Verdict } from "../cli/exit-codes.js";
import type { CampaignResult, RuleStats } from "../run/campaign.js";
import { type Shard, shardText } from "../run/shard.js";
import { replcheckVersion } from "../version.js";
import { TARGETED_SCENARIOS } from "../scenario/targeted.js";
import { type Coverage, coverageJson } from "./coverage.js";
import { type InputFile, MergeError } from "./merge-inputs.js";
import { RUN_REPORT_FORMAT, type RunReport } from "./run-report.js";
import { runReportErrors } from "./report-validation.js";

/** A shard's report, read and checked. */
export interface ShardReport {
  file: string;
  report: RunReport;
  shard: Shard;
}

/** The merged report, its verdict, and which shards it holds or misses. */
export interface MergedReport {
  report: RunReport;
  verdict: Verdict;
  shards: Shard[];
  missing: Shard[];
}

/** Parses and checks one report.json: replcheck's format, conforming, and run with --shard. */
export function readShardReport(input: InputFile): ShardReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.text);
  } catch (e) {
    throw new MergeError(`${input.file} is not JSON: ${(e as Error).message}`);
  }
  const format = (parsed as { format?: unknown } | null)?.format;
  if (format !== RUN_REPORT_FORMAT)
    throw new MergeError(
      `${input.file} has format ${JSON.stringify(format)}; this replcheck merges ${RUN_REPORT_FORMAT} reports (merge reports written by one replcheck version)`,
    );
  const errors = runReportErrors(parsed);
  if (errors.length > 0)
    throw new MergeError(`${input.file} is not a valid replcheck report:\n  ${errors.slice(0, 5).join("\n  ")}`);
  const report = parsed as RunReport;
  const shard = (report.options as { shard?: Shard }).shard;
  if (shard === undefined)
    throw new MergeError(
      `${input.file} is not a shard's report (its run had no --shard i/n): merge combines the shards of one campaign`,
    );
  return { file: input.file, report, shard };
}

/** The same value in every report, or a MergeError naming the two that differ. */
function same(reports: readonly ShardReport[], what: string, value: (r: ShardReport) => unknown): void {
  const first = reports[0];
  for (const r of reports.slice(1)) {
    const a = value(first);
    const b = value(r);
    if (a !== undefined && b !== undefined && JSON.stringify(a) !== JSON.stringify(b))
      throw new MergeError(
        `cannot merge reports of different ${what}: ${first.file} has ${JSON.stringify(a)}, ${r.file} has ${JSON.stringify(b)}`,
      );
  }
}

/** Refuses shards of different campaigns, duplicate shards and different shard counts. */
export function checkSameCampaign(reports: readonly ShardReport[]): void {
  same(reports, "seeds", (r) => r.report.seed);
  same(reports, "targets", (r) => r.report.options.target);
  same(reports, "profiles", (r) => r.report.options.profile ?? null);
  same(reports, "profiles", (r) => r.report.profile);
  same(reports, "scenario shapes (--replicas)", (r) => r.report.options.replicas);
  same(reports, "scenario shapes (--steps)", (r) => r.report.options.steps);
  same(reports, "shard counts", (r) => r.shard.count);
  const seen = new Map<number, string>();
  for (const r of reports) {
    const other = seen.get(r.shard.index);
    if (other !== undefined) throw new MergeError(`${other} and ${r.file} are both shard ${shardText(r.shard)}`);
    seen.set(r.shard.index, r.file);
  }
}

const runIndex = (path: string | undefined): number =>
  path === undefined || path === "" ? Number.POSITIVE_INFINITY : Number(path.split(":")[0]);

/**
 * Where a shard's counterexample comes in an unsharded run: a targeted scenario's (no generated
 * scenario ran after it) before every generated one, in list order; then by run index.
 */
function counterexampleOrder(report: RunReport): number {
  const targeted = report.runs === 0 ? report.targeted?.outcomes.find((o) => o.status === "diverged") : undefined;
  return targeted === undefined ? runIndex(report.path) : targeted.index - TARGETED_SCENARIOS.length;
}

function sumRules(reports: readonly ShardReport[]): Record<string, RuleStats> {
  const rules: Record<string, RuleStats> = {};
  for (const { report } of reports)
    for (const [rule, s] of Object.entries(report.rules)) {
      const t = rules[rule] ?? { checked: 0, failed: 0 };
      rules[rule] = { checked: t.checked + s.checked, failed: t.failed + s.failed };
    }
  return rules;
}

/** Clause counts summed, then the table rebuilt (exercised, missed) for the merged counts. */
function sumCoverage(reports: readonly ShardReport[]): RunReport["coverage"] {
  if (reports.some((r) => r.report.coverage === undefined)) return undefined;
  const coverage: Coverage = { counts: new Map() };
  const id = reports.map((r) => r.report.coverage?.profile).find((p) => p !== undefined);
  // "redis-7.0", or a mixed run's "builtin+redis-7.0" (coverage.ts's label).
  const ids = id?.split("+") ?? [];
  if (ids.length > 0 && ids.every((p) => Object.hasOwn(PROFILES, p))) {
    if (ids.length === 1) coverage.profile = getProfile(ids[0] as ProfileId);
    else coverage.mixed = ids.map((p) => getProfile(p as ProfileId));
  }
  for (const { report } of reports)
    for (const row of report.coverage?.rows ?? []) {
      if (row.times === 0) continue;
      const perRule = coverage.counts.get(row.rule) ?? new Map<string, number>();
      perRule.set(row.clause, (perRule.get(row.clause) ?? 0) + row.times);
      coverage.counts.set(row.rule, perRule);
    }
  return coverageJson(coverage);
}

/** The shards' targeted scenarios in list order (each shard ran its own); absent when none had them. */
function mergedTargeted(reports: readonly ShardReport[]): Pick<RunReport, "targeted"> {
  const parts = reports.map((r) => r.report.targeted).filter((t) => t !== undefined);
  if (parts.length === 0) return {};
  return {
    targeted: {
      outcomes: parts.flatMap((t) => t.outcomes).sort((a, b) => a.index - b.index),
      steps: parts.reduce((a, t) => a + t.steps, 0),
      elapsedMs: Math.max(...parts.map((t) => t.elapsedMs)),
    },
  };
}

const INTERRUPTS: Record<number, InterruptSignal> = { 130: "SIGINT", 143: "SIGTERM" };

/** The verdict exit-codes.ts gives the merged counts (an interrupted shard makes it interrupted). */
function mergedVerdict(report: RunReport, shards: readonly ShardReport[]): Verdict {
  const signal = shards.map((s) => INTERRUPTS[s.report.exitCode]).find((s) => s !== undefined);
  const rules = new Map(Object.entries(report.rules) as [RuleId, RuleStats][]);
  // campaignVerdict reads the counts, the error and whether there is a counterexample.
  const result: CampaignResult = {
    runs: report.runs,
    steps: report.steps,
    failures: report.failures,
    inconclusive: report.inconclusive,
    shrinking: false,
    elapsedMs: report.elapsedMs,
    seed: report.seed,
    rules,
    inconclusiveReasons: report.inconclusiveReasons,
    interrupted: report.interrupted,
    ...(report.error === undefined ? {} : { error: report.error }),
    ...(report.counterexample === undefined ? {} : { counterexample: report.counterexample as never }),
    ...(report.targeted === undefined ? {} : { targeted: report.targeted }),
  };
  return campaignVerdict(result, signal);
}

/** Merges the shard reports of one campaign (checkSameCampaign first). */
export function mergeReports(shards: readonly ShardReport[]): MergedReport {
  checkSameCampaign(shards);
  const ordered = [...shards].sort((a, b) => a.shard.index - b.shard.index);
  const first = ordered[0].report;
  const sum = (f: (r: RunReport) => number) => ordered.reduce((a, s) => a + f(s.report), 0);
  // The counterexample an unsharded run would have met first: the lowest run index.
  const found = ordered
    .filter((s) => s.report.counterexample !== undefined || s.report.error !== undefined)
    .sort((a, b) => counterexampleOrder(a.report) - counterexampleOrder(b.report))[0]?.report;
  const scenarios = ordered
    .flatMap((s) => s.report.scenarios)
    .sort((a, b) => runIndex(a.path) - runIndex(b.path))
    .map((s, index) => ({ ...s, index }));
  // The shard's own places (--shard, --out, --junit) are not the merged report's.
  const {
    shard: _shard,
    out: _out,
    junit: _junit,
    ...options
  } = first.options as RunReport["options"] & { shard?: Shard };
  const count = ordered[0].shard.count;
  const present = new Set(ordered.map((s) => s.shard.index));
  const missing = Array.from({ length: count }, (_, i) => ({ index: i + 1, count })).filter(
    (s) => !present.has(s.index),
  );
  const firstError = ordered.find((s) => s.report.error !== undefined);
  const coverage = sumCoverage(ordered);
  const profile = ordered.map((s) => s.report.profile).find((p) => p !== undefined);
  const target = ordered.map((s) => s.report.target).find((t) => t !== undefined);
  const report: RunReport = {
    format: RUN_REPORT_FORMAT,
    replcheck: replcheckVersion(),
    command: "run",
    options: { ...options, shards: ordered.map((s) => shardText(s.shard)) } as RunReport["options"],
    startedAt: ordered.map((s) => s.report.startedAt).sort()[0],
    endedAt:
      ordered
        .map((s) => s.report.endedAt)
        .sort()
        .at(-1) ?? first.endedAt,
    exitCode: 0,
    verdict: "",
    scenarios,
    seed: first.seed,
    runs: sum((r) => r.runs),
    steps: sum((r) => r.steps),
    failures: sum((r) => r.failures),
    inconclusive: sum((r) => r.inconclusive),
    shrinking: false,
    // The shards ran side by side: the merged run took as long as the longest.
    elapsedMs: Math.max(...ordered.map((s) => s.report.elapsedMs)),
    ...(profile === undefined ? {} : { profile }),
    ...(target === undefined ? {} : { target }),
    interrupted: ordered.some((s) => s.report.interrupted),
    ...(firstError === undefined ? {} : { error: `shard ${shardText(firstError.shard)}: ${firstError.report.error}` }),
    inconclusiveReasons: ordered.flatMap((s) => s.report.inconclusiveReasons),
    ...(found?.path === undefined ? {} : { path: found.path }),
    ...(found?.counterexample === undefined ? {} : { counterexample: found.counterexample }),
    ...(found?.counterexampleRaws === undefined ? {} : { counterexampleRaws: found.counterexampleRaws }),
    ...(found?.reproduced === undefined ? {} : { reproduced: found.reproduced }),
    ...(found?.shrink === undefined ? {} : { shrink: found.shrink }),
    ...(coverage === undefined ? {} : { coverage }),
    ...mergedTargeted(ordered),
    rules: sumRules(ordered),
  };
  const verdict = mergedVerdict(report, ordered);
  report.exitCode = verdict.code;
  report.verdict = verdict.why;
  return { report, verdict, shards: ordered.map((s) => s.shard), missing };
}
