// Checks a parsed matrix.json against its JSON Schema (matrix-schema.ts), for a tool that reads a
// matrix another replcheck wrote: each problem as "field: what was expected, got what", in the
// words scenario files are checked with (report/schema-errors.ts).

import { Ajv, type ValidateFunction } from "ajv";
import { describeSchemaError, firstNull, showValue } from "../report/schema-errors.js";
import type { Matrix } from "./matrix.js";
import { MATRIX_SCHEMA } from "./matrix-schema.js";

let compiled: ValidateFunction<Matrix> | undefined;

/** Compiled once, on first use: compiling costs more than validating. */
function validator(): ValidateFunction<Matrix> {
  compiled ??= new Ajv({ allErrors: true, strict: true, verbose: true }).compile(MATRIX_SCHEMA);
  return compiled;
}

// matrix.json has no field whose value names a kind, so no discriminator hint is ever asked for.
const noDiscriminator = (tag: string): string => `unexpected ${tag}`;

/**
 * What is wrong with `value` as a matrix.json of format replcheck-matrix/1, one line per problem
 * (`columns[1].status: expected one of passed, diverged, ..., got "maybe"`); empty when it conforms.
 * An optional field holds no null (the schema's `nullable` is ajv's way to say optional).
 */
export function matrixErrors(value: unknown): string[] {
  // The whole file first: ajv's errors name fields, and the root has no name.
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return [`(file): not a matrix.json: expected an object, got ${showValue(value)}`];
  const validate = validator();
  if (!validate(value)) return (validate.errors ?? []).map((e) => describeSchemaError([e], noDiscriminator));
  const nullAt = firstNull(value);
  return nullAt === undefined ? [] : [`${nullAt}: null is not allowed (leave the field out)`];
}
