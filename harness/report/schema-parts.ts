// Pieces of JSON Schema that more than one shipped schema uses (report.json's, matrix.json's), so
// that a rule id or a time is described the same way in each.

/** Any text. */
export const text = { type: "string" } as const;
/** Text in an optional field (ajv's JSONSchemaType asks optional fields to be `nullable`). */
export const optionalText = { type: "string", nullable: true } as const;
/** A count: a whole number, 0 or more. */
export const count = { type: "integer", minimum: 0 } as const;
/** A rule id of the catalogue (spec/README.md), e.g. PSYNC-2. */
export const ruleId = { type: "string", pattern: "^[A-Z][A-Z0-9]*-[0-9]+$" } as const;
/** Date.prototype.toISOString's form. */
export const isoTime = {
  type: "string",
  pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$",
} as const;
/** A replcheck exit code (cli/exit-codes.ts). */
export const exitCode = { type: "integer", enum: [0, 1, 2, 3, 130, 143] } as const;
