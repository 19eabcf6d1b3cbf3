// JUnit XML for CI systems: one test case per rule checked, failed when any check of it failed.

import type { CampaignResult } from "../run/campaign.js";
import { compareRuleIds } from "./text.js";

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function junitXml(result: CampaignResult, counterexample: string | undefined): string {
  const cases = [...result.rules].sort(([a], [b]) => compareRuleIds(a, b));
  const failures = cases.filter(([, s]) => s.failed > 0).length + (result.error === undefined ? 0 : 1);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="replcheck" tests="${cases.length}" failures="${failures}" time="${(result.elapsedMs / 1000).toFixed(3)}">`,
    `  <testsuite name="replcheck ${xml(result.target ?? "")}" tests="${cases.length}" failures="${failures}" time="${(result.elapsedMs / 1000).toFixed(3)}">`,
    `    <properties><property name="seed" value="${result.seed}"/><property name="profile" value="${xml(result.profile ?? "")}"/><property name="runs" value="${result.runs}"/></properties>`,
  ];
  for (const [rule, s] of cases) {
    lines.push(`    <testcase classname="replcheck.rules" name="${rule}">`);
    if (s.failed > 0) {
      lines.push(`      <failure message="${rule}: ${s.failed} of ${s.checked} checks failed">${xml(counterexample ?? "")}</failure>`);
    }
    lines.push(`      <system-out>${s.checked} checks</system-out>`, `    </testcase>`);
  }
  if (result.error !== undefined) {
    lines.push(`    <testcase classname="replcheck" name="harness"><error message="the run failed with an error">${xml(result.error)}</error></testcase>`);
  }
  lines.push("  </testsuite>", "</testsuites>", "");
  return lines.join("\n");
}
