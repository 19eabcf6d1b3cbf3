// The JSON Schema of matrix.json (format replcheck-matrix/1). Typed with ajv's JSONSchemaType, so a
// field added to, removed from or retyped in Matrix (matrix.ts) without the same change here does
// not compile. `npm run schemas` writes it to schemas/matrix.schema.json for the package.
// Optional fields carry `nullable: true` because JSONSchemaType asks for it (ajv's keyword).

import type { JSONSchemaType } from "ajv";
import { count, exitCode, isoTime, optionalText, ruleId, text } from "../report/schema-parts.js";
import {
  type Matrix,
  type MatrixArea,
  type MatrixCell,
  type MatrixColumn,
  MATRIX_FORMAT,
  type MatrixOptions,
  type MatrixRow,
} from "./matrix.js";

const options: JSONSchemaType<MatrixOptions> = {
  type: "object",
  description: "The options every target's campaign ran with: the same seed, limits and shape for each.",
  properties: {
    targets: { type: "array", items: text, minItems: 1, description: "The --target values, in column order." },
    seed: { type: "integer" },
    runs: { type: "integer", minimum: 1 },
    timeLimit: { ...count, description: "Per target, milliseconds." },
    replicas: count,
    steps: { type: "integer", minimum: 1 },
  },
  required: ["targets", "seed", "runs", "timeLimit", "replicas", "steps"],
  additionalProperties: false,
};

const column: JSONSchemaType<MatrixColumn> = {
  type: "object",
  description:
    "One target: what it is and how its campaign ended. Paths are relative to the folder holding matrix.json.",
  properties: {
    target: { ...text, description: "The --target value." },
    name: { ...text, description: 'What ran, as the target describes itself; "" if it never started.' },
    version: { ...text, description: 'The server version INFO server reported; "" if it never started.' },
    profile: { ...text, description: 'The model profile checked against; "" if it never started.' },
    status: { type: "string", enum: ["passed", "diverged", "no-verdict", "unavailable", "interrupted"] },
    exitCode: { ...exitCode, description: "The exit code `replcheck run` would give for this target alone." },
    verdict: text,
    hint: { ...optionalText, description: "For `unavailable`: what to do about it." },
    scenarios: count,
    steps: count,
    elapsedMs: { type: "number", minimum: 0 },
    folder: { ...optionalText, description: "The target's own run folder (report.json, report.html, node logs)." },
    report: { ...optionalText, description: "Its report.html." },
    counterexample: { ...optionalText, description: "The counterexample's scenario file, when the campaign diverged." },
    brokenRules: { type: "array", items: ruleId, description: "The rules the shrunk counterexample breaks." },
  },
  required: [
    "target",
    "name",
    "version",
    "profile",
    "status",
    "exitCode",
    "verdict",
    "scenarios",
    "steps",
    "elapsedMs",
    "brokenRules",
  ],
  additionalProperties: false,
};

const cell: JSONSchemaType<MatrixCell> = {
  type: "object",
  description: "One rule on one target.",
  properties: {
    state: { type: "string", enum: ["checked", "failed", "not-exercised", "not-run"] },
    checked: { ...count, description: "Checks of the rule during the campaign (shrinking excluded)." },
    failed: count,
    link: { ...optionalText, description: "For `failed`: the counterexample, relative." },
  },
  required: ["state", "checked", "failed"],
  additionalProperties: false,
};

const row: JSONSchemaType<MatrixRow> = {
  type: "object",
  description: "One rule: its id, title and a cell per column, in column order.",
  properties: {
    rule: ruleId,
    title: text,
    cells: { type: "array", items: cell },
  },
  required: ["rule", "title", "cells"],
  additionalProperties: false,
};

const area: JSONSchemaType<MatrixArea> = {
  type: "object",
  description: "The rules of one spec area file (`psync` for spec/psync.md), in catalogue order.",
  properties: {
    area: text,
    rules: { type: "array", items: row },
  },
  required: ["area", "rules"],
  additionalProperties: false,
};

/** The JSON Schema (draft-07, with ajv's `nullable`) of matrix.json, format replcheck-matrix/1. */
export const MATRIX_SCHEMA: JSONSchemaType<Matrix> = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "urn:replcheck:matrix:1",
  title: "replcheck matrix.json",
  description:
    "What `replcheck matrix --out DIR` writes to DIR/matrix.json: the format, the replcheck version, the options, the matrix's verdict, one column per target and every catalogue rule by spec area with a cell per target.",
  type: "object",
  properties: {
    format: { type: "string", const: MATRIX_FORMAT },
    replcheck: { ...text, description: "The replcheck version that wrote it." },
    startedAt: { ...isoTime, description: "When the first campaign started." },
    options,
    exitCode: {
      ...exitCode,
      description:
        "The matrix's exit code: 1 if any target diverged, else 3 if none gave a verdict, else 0; 130/143 if interrupted.",
    },
    verdict: text,
    columns: { type: "array", items: column },
    areas: { type: "array", items: area },
  },
  required: ["format", "replcheck", "startedAt", "options", "exitCode", "verdict", "columns", "areas"],
  additionalProperties: false,
};
