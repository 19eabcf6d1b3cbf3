// Reports list rule ids by area, then by number as a number (not as text). The ids are made up, so
// that the spec catalogue does not take this file for one that checks real rules.

import { describe, expect, it } from "vitest";
import { compareRuleIds } from "../../harness/report/rule-order.js";

describe("rule id order", () => {
  it("sorts by area, then numerically within an area", () => {
    const ids = ["GAMMA-2", "BETA-10", "ALPHA-1", "BETA-2", "GAMMA-11", "BETA-1"];
    expect([...ids].sort(compareRuleIds)).toEqual(["ALPHA-1", "BETA-1", "BETA-2", "BETA-10", "GAMMA-2", "GAMMA-11"]);
    expect(compareRuleIds("DELTA-3", "DELTA-3")).toBe(0);
  });
});
