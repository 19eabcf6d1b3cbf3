// model/rule-ids.ts is generated from spec/ (`npm run spec:ids`): it must be what the generator
// writes for the spec as it is now, so that RuleId is exactly the catalogue's set of ids.
// spec-refs: rule ids here are data, not rules this file checks.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { RULE_IDS, RULES } from "../../model/rule-ids.js";
import { generateRuleIds, readCatalogue, RULE_IDS_FILE } from "../../scripts/spec-ids.js";

const ROOT = resolve(import.meta.dirname, "../..");

describe("generated rule ids", () => {
  it(`${RULE_IDS_FILE} is up to date with spec/ (run \`npm run spec:ids\`)`, () => {
    expect(readFileSync(join(ROOT, RULE_IDS_FILE), "utf8")).toBe(generateRuleIds(ROOT));
  });

  it("lists every catalogue rule with its area file and its section's title, in catalogue order", () => {
    const catalogue = readCatalogue(ROOT);
    expect(RULE_IDS).toEqual(catalogue.map((r) => r.id));
    expect(RULES["PSYNC-1"]).toMatchObject({ area: "psync.md", title: "Replication-id check", layer: "model" });
    expect(RULES["FULLSYNC-1"].area).toBe("full-sync.md");
  });

  it("a mistyped rule id does not compile", () => {
    const ok: keyof typeof RULES = "OFFSET-3";
    // @ts-expect-error ids are upper case: "offset-3" is not in the catalogue
    const wrong: keyof typeof RULES = "offset-3";
    expect([ok, wrong]).toHaveLength(2);
  });
});
