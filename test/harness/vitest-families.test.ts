// `replicationConformanceSuite({ skip | only })` in a real vitest run (a child process with a project
// of its own): targeted scenarios that use a family left out are registered as skipped, naming it;
// an unknown family is a failing test, never a silent pass. Only the choice test runs (-t).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildTest, runVitestChild, suiteSpec } from "../support/vitest-child.js";
const project = mkdtempSync(join(tmpdir(), "replcheck-vitest-families-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("replicationConformanceSuite({ skip, only })", () => {
  let tests: ChildTest[] = [];

  beforeAll(() => {
    suiteSpec(project, "only.spec.ts", `{ target: "builtin", runs: 0, only: ["writes", "wait", "transactions"] }`);
    suiteSpec(project, "bogus.spec.ts", `{ target: "builtin", runs: 0, skip: ["teleports"] }`);
    tests = runVitestChild(project, "has a usable step family choice", 300_000);
  }, 320_000);

  it("registers a targeted scenario that uses a family left out as skipped, naming the family", () => {
    const partition = tests.find((t) => t.title.includes("converges after a partition heals"));
    expect(partition?.title).toMatch(/\(skipped: uses [a-z-, ]*link-faults/);
    expect(partition?.status).not.toBe("passed");
    // One that uses only chosen families (or none) is an ordinary test.
    const offsets = tests.find((t) => t.title.includes("offsets are byte-exact"));
    expect(offsets?.title).toBeDefined();
    expect(offsets?.title).not.toMatch(/skipped: uses/);
  });

  it("an unknown family fails the suite, naming it", () => {
    const bad = tests.find((t) => t.title === "has a usable step family choice");
    expect(bad?.status).toBe("failed");
    expect(bad?.failureMessages.join("\n")).toMatch(/unknown step family teleports: one of writes, reads/);
  });
});
