// The JSON Schema of report.json (format replcheck-report/1). Typed with ajv's JSONSchemaType, so a
// field added to, removed from or retyped in RunReport (run-report.ts) without the same change
// here does not compile. `npm run schemas` writes it to schemas/report.schema.json for the package.
// Optional fields carry `nullable: true` because JSONSchemaType asks for it (ajv's keyword).

import type { JSONSchemaType } from "ajv";
import type { RuleStats } from "../run/campaign.js";
import type { NodeSummary } from "../run/summary.js";
import type { TargetedOutcome } from "../run/targeted-outcome.js";
import {
  RUN_REPORT_FORMAT,
  type ReportedCheck,
  type ReportedCoverage,
  type ReportedScenario,
  type ReportedStep,
  type RunReport,
  type RunReportOptions,
  type ScenarioRecord,
} from "./run-report.js";
import { count, exitCode, isoTime, optionalText, ruleId, text } from "./schema-parts.js";

const scenarioStatus = { type: "string", enum: ["passed", "diverged", "inconclusive", "interrupted"] } as const;

const options: JSONSchemaType<RunReportOptions> = {
  type: "object",
  description: "The run's options, as given or defaulted.",
  properties: {
    target: { ...text, description: "The --target value." },
    runs: { type: "integer", minimum: 1 },
    timeLimit: { ...count, description: "Milliseconds." },
    seed: { type: "integer", nullable: true },
    path: optionalText,
    replicas: count,
    steps: { type: "integer", minimum: 1 },
    profile: optionalText,
    out: optionalText,
    junit: optionalText,
  },
  required: ["target", "runs", "timeLimit", "replicas", "steps"],
};

const targetedOutcome: JSONSchemaType<TargetedOutcome> = {
  type: "object",
  description: "One targeted scenario (a hand-written seed behaviour) run before the generated ones.",
  properties: {
    index: { ...count, description: "Its position in replcheck's list of targeted scenarios (0-based)." },
    name: text,
    rules: { type: "array", items: ruleId },
    status: { type: "string", enum: ["passed", "diverged", "inconclusive", "skipped", "interrupted"] },
    reason: { ...optionalText, description: "Why it did not pass, or why it did not run." },
    steps: { ...count, description: "Steps checked." },
    elapsedMs: { type: "number", minimum: 0 },
  },
  required: ["index", "name", "rules", "status", "steps", "elapsedMs"],
  additionalProperties: false,
};

const targeted: JSONSchemaType<NonNullable<RunReport["targeted"]>> = {
  type: "object",
  description: "The targeted scenarios run before the generated ones (with --shard, this shard's).",
  properties: {
    outcomes: { type: "array", items: targetedOutcome },
    steps: { ...count, description: "Steps checked in them." },
    elapsedMs: { type: "number", minimum: 0 },
  },
  required: ["outcomes", "steps", "elapsedMs"],
  additionalProperties: false,
};

const scenario: JSONSchemaType<ScenarioRecord> = {
  type: "object",
  description: "One generated scenario, in the order fast-check generated them.",
  properties: {
    index: count,
    path: { ...optionalText, description: "Runs this scenario again with the run's seed: --seed S --path P." },
    status: scenarioStatus,
    steps: { ...count, description: "Steps checked." },
    failedRules: { type: "array", items: ruleId },
    reason: { ...optionalText, description: "Why it was inconclusive." },
    nodeDirectory: { ...optionalText, description: "The directory holding this scenario's node directories." },
  },
  required: ["index", "status", "steps", "failedRules"],
  additionalProperties: false,
};

const check: JSONSchemaType<ReportedCheck> = {
  type: "object",
  properties: {
    node: text,
    field: text,
    rule: ruleId,
    clause: optionalText,
    also: { type: "array", items: ruleId, nullable: true },
    ok: { type: "boolean" },
    predicted: text,
    observed: text,
  },
  required: ["node", "field", "rule", "ok", "predicted", "observed"],
};

const nodeSummary: JSONSchemaType<NodeSummary> = {
  type: "object",
  properties: {
    role: text,
    link: text,
    offset: text,
    replid: text,
    replid2: text,
    backlog: text,
    syncs: text,
  },
  required: ["role", "link", "offset", "replid", "replid2", "backlog", "syncs"],
};

const step: JSONSchemaType<ReportedStep> = {
  type: "object",
  properties: {
    index: count,
    step: { type: "object", description: "The step, as a scenario file spells it." },
    description: text,
    checks: { type: "array", items: check },
    failures: { type: "array", items: check },
    predicted: { type: "object", additionalProperties: nodeSummary, required: [] },
    observed: { type: "object", additionalProperties: nodeSummary, required: [] },
    reply: {
      type: "object",
      properties: { predicted: text, observed: text },
      required: ["predicted", "observed"],
      nullable: true,
    },
    notes: { type: "array", items: text },
    skipped: optionalText,
    unknown: optionalText,
    settleMs: { type: "number", minimum: 0 },
  },
  required: ["index", "step", "description", "checks", "failures", "predicted", "observed", "notes", "settleMs"],
};

const counterexample: JSONSchemaType<ReportedScenario> = {
  type: "object",
  description: "The shrunk counterexample, re-checked: every step with predictions and observations.",
  properties: {
    status: scenarioStatus,
    reason: optionalText,
    steps: { type: "array", items: step },
    executed: { type: "array", items: { type: "object" }, description: "The concrete steps (a scenario file's)." },
    profile: text,
    profileId: optionalText,
    target: text,
  },
  required: ["status", "steps", "executed", "profile", "target"],
};

const clause = {
  type: "object",
  properties: { rule: ruleId, clause: text },
  required: ["rule", "clause"],
  additionalProperties: false,
} as const;

const coverage: JSONSchemaType<ReportedCoverage> = {
  type: "object",
  description: "Clause coverage: every clause of the catalogue with how often a checked step took it.",
  properties: {
    profile: optionalText,
    exercised: count,
    clauses: count,
    possible: count,
    rows: {
      type: "array",
      items: {
        type: "object",
        properties: {
          rule: ruleId,
          clause: text,
          description: text,
          model: { type: "boolean" },
          applies: { type: "boolean" },
          times: count,
          unreachable: { ...optionalText, description: "Why no step sequence of the model reaches it." },
        },
        required: ["rule", "clause", "description", "model", "applies", "times"],
        additionalProperties: false,
      },
    },
    missed: { type: "array", items: clause },
    notPossible: { type: "array", items: clause },
    unreachable: {
      type: "array",
      items: clause,
      nullable: true,
      description: "Clauses kept in the model for states no step sequence reaches (not counted as missed).",
    },
  },
  required: ["exercised", "clauses", "possible", "rows", "missed", "notPossible"],
  additionalProperties: false,
};

const ruleStats: JSONSchemaType<RuleStats> = {
  type: "object",
  properties: { checked: count, failed: count },
  required: ["checked", "failed"],
  additionalProperties: false,
};

/** The JSON Schema (draft-07, with ajv's `nullable`) of report.json, format replcheck-report/1. */
export const RUN_REPORT_SCHEMA: JSONSchemaType<RunReport> = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "urn:replcheck:report:1",
  title: "replcheck report.json",
  description:
    "What `replcheck run --out DIR` writes to DIR/report.json: the format, the replcheck version, the options, start and end times, one record per generated scenario, and the campaign's result.",
  type: "object",
  properties: {
    format: { type: "string", const: RUN_REPORT_FORMAT },
    replcheck: { ...text, description: "The replcheck version that wrote it." },
    command: { type: "string", const: "run" },
    options,
    startedAt: isoTime,
    endedAt: isoTime,
    exitCode,
    verdict: text,
    scenarios: { type: "array", items: scenario },
    seed: { type: "integer" },
    path: optionalText,
    runs: count,
    steps: count,
    failures: count,
    inconclusive: count,
    shrinking: { type: "boolean" },
    elapsedMs: { type: "number", minimum: 0 },
    profile: optionalText,
    target: optionalText,
    interrupted: { type: "boolean" },
    error: optionalText,
    inconclusiveReasons: { type: "array", items: text },
    counterexample: { ...counterexample, nullable: true },
    counterexampleRaws: { type: "array", items: { type: "object" }, nullable: true },
    reproduced: {
      type: "object",
      properties: { diverged: count, of: count, requested: count },
      required: ["diverged", "of", "requested"],
      additionalProperties: false,
      nullable: true,
    },
    shrink: {
      type: "object",
      properties: { numShrinks: count, stopped: { type: "boolean" } },
      required: ["numShrinks", "stopped"],
      additionalProperties: false,
      nullable: true,
    },
    coverage: { ...coverage, nullable: true },
    targeted: { ...targeted, nullable: true },
    rules: {
      type: "object",
      description: "Per rule id: the checks done and failed over the targeted and generated scenarios.",
      propertyNames: { pattern: ruleId.pattern },
      additionalProperties: ruleStats,
      required: [],
    },
  },
  required: [
    "format",
    "replcheck",
    "command",
    "options",
    "startedAt",
    "endedAt",
    "exitCode",
    "verdict",
    "scenarios",
    "seed",
    "runs",
    "steps",
    "failures",
    "inconclusive",
    "shrinking",
    "elapsedMs",
    "interrupted",
    "inconclusiveReasons",
    "rules",
  ],
  additionalProperties: false,
};
