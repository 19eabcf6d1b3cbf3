// Reports list rule ids by area, then by number as a number (not as text).
// spec-refs: rule ids here are data, not rules this file checks.

import { describe, expect, it } from "vitest";
import { compareRuleIds } from "../../harness/report/rule-order.js";

describe("rule id order", () => {
  it("sorts by area, then numerically within an area", () => {
    const ids = ["PSYNC-2", "OFFSET-10", "BACKLOG-1", "OFFSET-2", "PSYNC-11", "OFFSET-1"];
    expect([...ids].sort(compareRuleIds)).toEqual([
      "BACKLOG-1",
      "OFFSET-1",
      "OFFSET-2",
      "OFFSET-10",
      "PSYNC-2",
      "PSYNC-11",
    ]);
    expect(compareRuleIds("WAIT-3", "WAIT-3")).toBe(0);
  });
});
