// ajv's errors as replcheck words them: the field's path as a person writes it (steps[3].action.kind)
// and what was expected there, with the value found. The deepest error wins: for a value that
// matches no branch of a oneOf, the branch that got furthest says the most.

import type { ErrorObject } from "ajv";

/** "/steps/3/action" -> "steps[3].action"; the root is "". */
export function fieldPath(instancePath: string, key?: string): string {
  const parts = instancePath === "" ? [] : instancePath.slice(1).split("/");
  if (key !== undefined) parts.push(key);
  let at = "";
  for (const raw of parts) {
    const part = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    at = /^\d+$/.test(part) ? `${at}[${part}]` : at === "" ? part : `${at}.${part}`;
  }
  return at;
}

/** A value as an error message shows it. */
export const showValue = (v: unknown): string =>
  typeof v === "string"
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? "a list"
      : v === null
        ? "null"
        : typeof v === "object"
          ? "an object"
          : String(v);

/** The first null anywhere in a parsed document (JSON Schema's `nullable` lets optional fields be null; replcheck's files never hold one). */
export function firstNull(v: unknown, at = ""): string | undefined {
  if (v === null) return at;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const found = firstNull(v[i], `${at}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (typeof v === "object" && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      const found = firstNull(x, at === "" ? k : `${at}.${k}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const depth = (e: ErrorObject): number => (e.instancePath === "" ? 0 : e.instancePath.split("/").length);

function wholeNumber(schema: { minimum?: number; maximum?: number }): string {
  const min = schema.minimum ?? Number.MIN_SAFE_INTEGER;
  return schema.maximum === undefined
    ? `expected a whole number ≥ ${min}`
    : `expected a whole number from ${min} to ${schema.maximum}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: "expected a string",
  number: "expected a finite number",
  boolean: "expected true or false",
  array: "expected a list",
  object: "expected an object",
};

/**
 * One message for a failed validation: "field: problem". Needs ajv's `verbose` option (the
 * failing value and its schema). `discriminatorHint` lists the known values of a discriminator.
 */
export function describeSchemaError(
  errors: readonly ErrorObject[],
  discriminatorHint: (tag: string) => string,
): string {
  const e = errors.reduce((best, x) => (depth(x) > depth(best) ? x : best), errors[0]);
  const at = fieldPath(e.instancePath);
  const got = `, got ${showValue(e.data)}`;
  const parent = (e.parentSchema ?? {}) as { type?: string; minimum?: number; maximum?: number };
  switch (e.keyword) {
    case "required":
      return `${fieldPath(e.instancePath, (e.params as { missingProperty: string }).missingProperty)}: missing`;
    case "additionalProperties":
      return `${fieldPath(e.instancePath, (e.params as { additionalProperty: string }).additionalProperty)}: unknown field`;
    case "type": {
      const type = (e.params as { type: string }).type;
      return `${at}: ${type === "integer" ? wholeNumber(parent) : (TYPE_WORDS[type] ?? `expected ${type}`)}${got}`;
    }
    case "minimum":
    case "maximum":
      return `${at}: ${parent.type === "integer" ? wholeNumber(parent) : e.message}${got}`;
    case "enum":
      return `${at}: expected one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}${got}`;
    case "const":
      return `${at}: expected ${showValue((e.params as { allowedValue: unknown }).allowedValue)}${got}`;
    case "minItems": {
      const n = (e.params as { limit: number }).limit;
      return `${at}: expected at least ${n} item${n === 1 ? "" : "s"}`;
    }
    case "discriminator": {
      const { error, tag, tagValue } = e.params as { error: string; tag: string; tagValue: unknown };
      const tagAt = fieldPath(e.instancePath, tag);
      if (error === "mapping") return `${tagAt}: ${discriminatorHint(String(tagValue))}`;
      return tagValue === undefined ? `${tagAt}: missing` : `${tagAt}: expected a string, got ${showValue(tagValue)}`;
    }
    default:
      return `${at === "" ? "(file)" : at}: ${e.message ?? e.keyword}`;
  }
}
