// Checks a parsed report.json against its JSON Schema (run-report-schema.ts) with ajv, for a tool
// that reads reports written by another replcheck: each error names the field by its JSON path.

import { Ajv, type ValidateFunction } from "ajv";
import { RUN_REPORT_SCHEMA } from "./run-report-schema.js";
import type { RunReport } from "./run-report.js";

let compiled: ValidateFunction<RunReport> | undefined;

/** Compiled once, on first use: compiling costs more than validating. */
function validator(): ValidateFunction<RunReport> {
  compiled ??= new Ajv({ allErrors: true, strict: true }).compile(RUN_REPORT_SCHEMA);
  return compiled;
}

/**
 * What is wrong with `value` as a report.json of format replcheck-report/1, one line per problem
 * (`/scenarios/0/status: must be equal to one of the allowed values (passed, diverged, ...)`);
 * empty when it conforms.
 */
export function runReportErrors(value: unknown): string[] {
  const validate = validator();
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => {
    const where = e.instancePath === "" ? "(the report)" : e.instancePath;
    const allowed =
      e.keyword === "enum" ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")})` : "";
    const extra =
      e.keyword === "additionalProperties"
        ? `: ${(e.params as { additionalProperty: string }).additionalProperty}`
        : "";
    return `${where}: ${e.message ?? e.keyword}${allowed}${extra}`;
  });
}

/** Whether `value` is a report.json this replcheck reads (its schema), as a type guard. */
export function isRunReport(value: unknown): value is RunReport {
  return validator()(value);
}
