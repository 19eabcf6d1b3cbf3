// The JSON Schemas the package ships under schemas/, in one list: `npm run schemas`
// (scripts/schemas.ts) writes each to its file, and test/report/report-schema.test.ts fails while a
// file is out of date or a file of schemas/ is missing from this list. A new schema is one more
// entry here.

import { MATRIX_SCHEMA } from "../matrix/matrix-schema.js";
import { RUN_REPORT_SCHEMA } from "./run-report-schema.js";
import { SCENARIO_SCHEMA } from "./scenario-schema.js";

/** One shipped schema: its file name under schemas/ and the schema object it holds. */
export interface ShippedSchema {
  readonly file: string;
  readonly schema: object;
}

/** Every schema of schemas/ (the package ships the folder). */
export const SHIPPED_SCHEMAS: readonly ShippedSchema[] = [
  { file: "report.schema.json", schema: RUN_REPORT_SCHEMA },
  { file: "scenario.schema.json", schema: SCENARIO_SCHEMA },
  { file: "matrix.schema.json", schema: MATRIX_SCHEMA },
];
