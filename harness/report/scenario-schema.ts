// The JSON Schema of a scenario file (format replcheck-scenario/1). Each action's part is its kind's
// schema in harness/steps/kinds/ (typed against the Action union by ajv's JSONSchemaType), so the
// file format follows the step kinds with no second description to keep in step.
// `npm run schemas` writes it to schemas/scenario.schema.json for the package.

import type { SchemaObject } from "ajv";
import { ACTION_KINDS } from "../steps/actions.js";
import { MAX_REPLICAS, SCENARIO_FORMAT } from "./scenario-format.js";

const action: SchemaObject = {
  type: "object",
  description: "What happens in the step; `kind` says which action (see each kind's fields).",
  required: ["kind"],
  discriminator: { propertyName: "kind" },
  oneOf: Object.values(ACTION_KINDS).map((k) => k.schema),
};

const step: SchemaObject = {
  type: "object",
  properties: {
    action,
    throttle: {
      type: "integer",
      minimum: 1,
      description: "A throttled heal: the link proxy limits the link to this many bytes per second.",
    },
  },
  required: ["action"],
  additionalProperties: false,
};

/** The whole file's schema (draft-07, as ajv's default). */
export const SCENARIO_SCHEMA: SchemaObject = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: `replcheck scenario file (${SCENARIO_FORMAT})`,
  description:
    "The concrete steps of a scenario, replayable step by step against any target with `replcheck replay FILE`. Nodes are named n0..n<replicas>; no field may be null.",
  type: "object",
  properties: {
    format: { type: "string", const: SCENARIO_FORMAT },
    replicas: { type: "integer", minimum: 0, maximum: MAX_REPLICAS, description: "Replicas next to n0." },
    nodeConfig: {
      type: "object",
      description: "Start-up options of every node (`--name value`); a list gives an option several arguments.",
      additionalProperties: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
    },
    origin: {
      type: "object",
      description: "Where it came from, for people: target, profile, seed, path, rule broken.",
      additionalProperties: { type: "string" },
    },
    steps: { type: "array", items: step, description: "Every step, including the initial REPLICAOFs." },
  },
  required: ["format", "replicas", "nodeConfig", "origin", "steps"],
  additionalProperties: false,
};
