// report.json of `replcheck run --out DIR`: a versioned format (`format`), which replcheck wrote it,
// the options, start and end times, one record per generated scenario, and the campaign's result
// (counts, per-rule statistics, the counterexample) with the exit code and verdict.
//
// Scenario records are built from what the campaign reports as it goes (ScenarioRecorder): the
// steps of each generated scenario (onStep, never called while shrinking) and the counts after
// each one (onProgress), so that the campaign itself needs no hook for them.

import type { RuleId } from "../../model/index.js";
import type { CampaignProgress, CampaignResult, RuleStats } from "../run/campaign.js";
import type { StepRecord } from "../run/scenario-run.js";
import type { Target } from "../targets/target.js";
import type { Check } from "../check/compare.js";
import type { NodeSummary } from "../run/summary.js";
import type { coverageJson } from "./coverage.js";
import { replcheckVersion } from "../version.js";

/** The format this replcheck writes; a reader checks it before it reads anything else. */
export const RUN_REPORT_FORMAT = "replcheck-report/1";

/** One generated scenario of a campaign (shrinking and reproduction runs are not scenarios here). */
export interface ScenarioRecord {
  /** 0, 1, … in the order fast-check generated them. */
  index: number;
  /** The fast-check path that runs this scenario again with the run's seed (`--seed S --path P`). */
  path?: string;
  status: "passed" | "diverged" | "inconclusive" | "interrupted";
  /** Steps checked. */
  steps: number;
  /** Rules its failed checks name (a diverged scenario, before shrinking). */
  failedRules: RuleId[];
  /** Why it was inconclusive. */
  reason?: string;
  /** The target's directory holding this scenario's node directories (targets that have one). */
  nodeDirectory?: string;
}

/** The options of the run, as given or defaulted. */
export interface RunReportOptions {
  target: string;
  runs: number;
  /** Milliseconds. */
  timeLimit: number;
  seed?: number;
  path?: string;
  replicas: number;
  steps: number;
  profile?: string;
  out?: string;
  junit?: string;
}

/** A failed or passed check of a counterexample's step, as report.json holds it. */
export type ReportedCheck = Check;

/** A step of the counterexample: the fields a reader needs are described; the rest is kept as recorded. */
export interface ReportedStep {
  index: number;
  /** The step, as the scenario file spells it. */
  step: object;
  description: string;
  checks: ReportedCheck[];
  failures: ReportedCheck[];
  /** Per node: what the model predicted and what the target showed (role, link, offset, replids, backlog, syncs). */
  predicted: Record<string, NodeSummary>;
  observed: Record<string, NodeSummary>;
  reply?: { predicted: string; observed: string };
  notes: string[];
  skipped?: string;
  unknown?: string;
  settleMs: number;
}

/** The shrunk counterexample, re-checked: every step with predictions and observations. */
export interface ReportedScenario {
  status: ScenarioRecord["status"];
  reason?: string;
  steps: ReportedStep[];
  /** The concrete steps run (what a scenario file holds). */
  executed: object[];
  profile: string;
  profileId?: string;
  target: string;
}

/** Clause coverage: every clause of the catalogue with its count, the missed and the impossible ones. */
export type ReportedCoverage = ReturnType<typeof coverageJson>;

/**
 * report.json, format replcheck-report/1 (its JSON Schema: schemas/report.schema.json, built from
 * run-report-schema.ts, which the compiler holds to this type).
 */
export interface RunReport {
  format: typeof RUN_REPORT_FORMAT;
  /** The replcheck version that wrote it. */
  replcheck: string;
  command: "run";
  options: RunReportOptions;
  /** ISO 8601. */
  startedAt: string;
  endedAt: string;
  /** The CLI's exit code for this run (exit-codes.ts) and its verdict line. */
  exitCode: number;
  verdict: string;
  scenarios: ScenarioRecord[];
  /** The campaign's seed (the run's --seed, or the one chosen). */
  seed: number;
  /** Fast-check path of the shrunk counterexample (with `seed`: --seed S --path P). */
  path?: string;
  /** Scenarios run, steps checked, scenarios that diverged and that were inconclusive. */
  runs: number;
  steps: number;
  failures: number;
  inconclusive: number;
  /** Whether the run ended while shrinking, and its duration in ms. */
  shrinking: boolean;
  elapsedMs: number;
  /** The model profile and target the scenarios ran with. */
  profile?: string;
  target?: string;
  interrupted: boolean;
  /** A scenario that failed with an exception (a harness or model error). */
  error?: string;
  inconclusiveReasons: string[];
  counterexample?: ReportedScenario;
  /** The counterexample's generated (raw) steps. */
  counterexampleRaws?: object[];
  reproduced?: { diverged: number; of: number; requested: number };
  shrink?: { numShrinks: number; stopped: boolean };
  coverage?: ReportedCoverage;
  /** The targeted scenarios run before the generated ones (absent with --no-targeted or --path). */
  targeted?: NonNullable<CampaignResult["targeted"]>;
  /** Per rule id: checks done and failed over the targeted and generated scenarios. */
  rules: Record<string, RuleStats>;
}

/** Builds the scenario records from a campaign's onStep and onProgress calls. */
export class ScenarioRecorder {
  readonly records: ScenarioRecord[] = [];
  private steps = 0;
  private failed = new Set<RuleId>();
  private last: CampaignProgress = { runs: 0, steps: 0, failures: 0, inconclusive: 0, shrinking: false, elapsedMs: 0 };
  private made = 0;
  private readonly directories: (string | undefined)[] = [];

  /** `path`: the --path the run was given (its one scenario), else each scenario's index. */
  constructor(private readonly path: string | undefined) {}

  /** A target made for a scenario, in the order the campaign asks for them (one per scenario). */
  targetMade(target: Target): void {
    const root = (target as { root?: unknown }).root;
    this.directories[this.made++] = typeof root === "string" ? root : undefined;
  }

  step(record: StepRecord): void {
    this.steps++;
    for (const f of record.failures) this.failed.add(f.rule);
  }

  progress(p: CampaignProgress): ScenarioRecord | undefined {
    const previous = this.last;
    this.last = p;
    if (p.runs === previous.runs) return undefined;
    const status =
      p.failures > previous.failures ? "diverged" : p.inconclusive > previous.inconclusive ? "inconclusive" : "passed";
    return this.close(status);
  }

  /** At the end: a scenario that had begun checking steps and never finished was interrupted. */
  finish(result: CampaignResult): ScenarioRecord[] {
    if (this.steps > 0 && !this.last.shrinking) this.close("interrupted");
    const reasons = [...result.inconclusiveReasons];
    for (const r of this.records) if (r.status === "inconclusive") r.reason = reasons.shift() ?? "unknown outcome";
    return this.records;
  }

  private close(status: ScenarioRecord["status"]): ScenarioRecord {
    const index = this.records.length;
    const path = this.path === undefined ? String(index) : index === 0 ? this.path : undefined;
    const directory = this.directories[index];
    const record: ScenarioRecord = {
      index,
      ...(path === undefined ? {} : { path }),
      status,
      steps: this.steps,
      failedRules: [...this.failed],
      ...(directory === undefined ? {} : { nodeDirectory: directory }),
    };
    this.records.push(record);
    this.steps = 0;
    this.failed = new Set();
    return record;
  }
}

/**
 * report.json: the format header, options, times and scenarios, then the result's fields (each
 * named: the report holds exactly what RunReport and its schema describe).
 */
export function runReport(
  result: CampaignResult,
  verdict: { code: number; why: string },
  options: RunReportOptions,
  startedAt: Date,
  scenarios: ScenarioRecord[],
  extra: { coverage?: ReportedCoverage } = {},
): RunReport {
  return {
    format: RUN_REPORT_FORMAT,
    replcheck: replcheckVersion(),
    command: "run",
    options,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    exitCode: verdict.code,
    verdict: verdict.why,
    scenarios,
    seed: result.seed,
    path: result.path,
    runs: result.runs,
    steps: result.steps,
    failures: result.failures,
    inconclusive: result.inconclusive,
    shrinking: result.shrinking,
    elapsedMs: result.elapsedMs,
    profile: result.profile,
    target: result.target,
    interrupted: result.interrupted,
    error: result.error,
    inconclusiveReasons: result.inconclusiveReasons,
    counterexample: result.counterexample,
    counterexampleRaws: result.counterexampleRaws,
    reproduced: result.reproduced,
    shrink: result.shrink,
    coverage: extra.coverage,
    targeted: result.targeted,
    rules: Object.fromEntries(result.rules),
  };
}
