// JUnit XML for CI systems: one test case per catalogue rule in every run (the same set each time,
// so CI history lines up), failed when the final counterexample breaks the rule, skipped when no
// check of the rule ran. Validates against the Jenkins junit-10 schema (test/harness/junit.test.ts).

import { hostname as osHostname } from "node:os";
import { RULE_IDS, RULES, type RuleId } from "../../model/index.js";
import type { Check } from "../check/compare.js";
import type { CampaignResult } from "../run/campaign.js";
import { TARGETED_SCENARIOS } from "../scenario/targeted.js";

const xml = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // XML 1.0 allows no other control characters, not even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "\ufffd");

export interface JunitOptions {
  /** When the run started (default: its end minus its elapsed time). */
  timestamp?: Date;
  /** The machine that ran it (default: os.hostname()). */
  hostname?: string;
}

/** The failed checks of the final (shrunk) counterexample per rule they break, `also` rules included. */
export function counterexampleFailures(result: CampaignResult): Map<RuleId, Check[]> {
  const out = new Map<RuleId, Check[]>();
  for (const step of result.counterexample?.steps ?? []) {
    for (const f of step.failures) {
      for (const rule of [f.rule, ...(f.also ?? [])]) out.set(rule, [...(out.get(rule) ?? []), f]);
    }
  }
  return out;
}

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);
// ISO 8601 without zone or fraction (what Ant's schema requires; GitHub and GitLab read it as UTC).
const isoSeconds = (d: Date): string => d.toISOString().slice(0, 19);
const area = (id: RuleId): string => RULES[id].area.replace(/\.md$/, "");
const describeFailure = (f: Check): string =>
  `${f.node} ${f.field}: predicted ${f.predicted}, observed ${f.observed}${f.clause === undefined ? "" : ` (${f.rule}: ${f.clause})`}`;

export function junitXml(
  result: CampaignResult,
  counterexample: string | undefined,
  options: JunitOptions = {},
): string {
  const failing = counterexampleFailures(result);
  const stats = (id: RuleId) => result.rules.get(id) ?? { checked: 0, failed: 0 };
  const failures = RULE_IDS.filter((id) => failing.has(id)).length;
  const skipped = RULE_IDS.filter((id) => !failing.has(id) && stats(id).checked === 0).length;
  const errors = result.error === undefined ? 0 : 1;
  const tests = RULE_IDS.length + errors;
  const time = seconds(result.elapsedMs);
  const timestamp = isoSeconds(options.timestamp ?? new Date(Date.now() - result.elapsedMs));
  const host = options.hostname ?? osHostname();
  const props: [string, string][] = [
    ["target", result.target ?? ""],
    ["profile", result.profile ?? ""],
    ["seed", String(result.seed)],
    ["path", result.path ?? ""],
    ["scenarios", String(result.runs)],
    ["steps", String(result.steps)],
    ["inconclusive", String(result.inconclusive)],
    ["interrupted", String(result.interrupted)],
  ];
  if (result.reproduced !== undefined)
    props.push(["reproduced", `${result.reproduced.diverged}/${result.reproduced.of}`]);
  if (result.shrink !== undefined)
    props.push(["shrinks", `${result.shrink.numShrinks}${result.shrink.stopped ? " (stopped)" : ""}`]);

  const targeted = targetedSuite(result, counterexample, timestamp, host);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="replcheck" tests="${tests + targeted.tests}" failures="${failures + targeted.failures}" errors="${errors}" time="${time}">`,
    `  <testsuite name="replcheck ${xml(result.target ?? "")}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}" timestamp="${timestamp}" hostname="${xml(host)}">`,
    `    <properties>`,
    ...props.map(([name, value]) => `      <property name="${name}" value="${xml(value)}"/>`),
    `    </properties>`,
  ];
  for (const id of RULE_IDS) {
    const s = stats(id);
    const broken = failing.get(id);
    lines.push(`    <testcase classname="replcheck.${area(id)}" name="${id}">`);
    if (broken !== undefined) {
      const message = `${id} broken: ${describeFailure(broken[0])}${broken.length > 1 ? ` (and ${broken.length - 1} more)` : ""}`;
      const body = [...broken.map(describeFailure), "", counterexample ?? ""].join("\n");
      lines.push(`      <failure message="${xml(message)}" type="divergence">${xml(body)}</failure>`);
    } else if (s.checked === 0) {
      lines.push(`      <skipped message="not exercised: no check of ${id} ran"/>`);
    }
    lines.push(
      `      <system-out>${xml(`${RULES[id].title}: ${s.checked} checks, ${s.failed} failed during the campaign`)}</system-out>`,
    );
    lines.push(`    </testcase>`);
  }
  if (result.error !== undefined) {
    lines.push(
      `    <testcase classname="replcheck" name="run">`,
      `      <error message="the run failed with an error" type="harness">${xml(result.error)}</error>`,
      `    </testcase>`,
    );
  }
  lines.push("  </testsuite>", ...targeted.lines, "</testsuites>", "");
  return lines.join("\n");
}

/**
 * A second suite, one test case per targeted scenario of replcheck's list (the same set each run,
 * so CI history lines up): failed when it diverged, skipped when this run did not run it (another
 * shard's, a family left out, --no-targeted) or it ended without a verdict.
 */
function targetedSuite(
  result: CampaignResult,
  counterexample: string | undefined,
  timestamp: string,
  host: string,
): { tests: number; failures: number; lines: string[] } {
  const targeted = result.targeted;
  if (targeted === undefined) return { tests: 0, failures: 0, lines: [] };
  const outcomes = new Map(targeted.outcomes.map((o) => [o.index, o]));
  const failures = targeted.outcomes.filter((o) => o.status === "diverged").length;
  const skipped = TARGETED_SCENARIOS.length - targeted.outcomes.filter((o) => o.status === "passed").length - failures;
  const lines = [
    `  <testsuite name="replcheck ${xml(result.target ?? "")} targeted" tests="${TARGETED_SCENARIOS.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(targeted.elapsedMs)}" timestamp="${timestamp}" hostname="${xml(host)}">`,
  ];
  // The run's counterexample is the first targeted divergence when no generated scenario ran.
  const counterexampleOf = result.runs === 0 ? targeted.outcomes.find((o) => o.status === "diverged") : undefined;
  for (const [index, scenario] of TARGETED_SCENARIOS.entries()) {
    const o = outcomes.get(index);
    lines.push(
      `    <testcase classname="replcheck.targeted" name="${xml(`${scenario.rules.join(" / ")}: ${scenario.name}`)}">`,
    );
    if (o === undefined) lines.push(`      <skipped message="not run: another shard's, or --no-targeted"/>`);
    else if (o.status === "diverged")
      lines.push(
        `      <failure message="${xml(o.reason ?? "diverged")}" type="divergence">${xml((o === counterexampleOf ? counterexample : o.reason) ?? "")}</failure>`,
      );
    else if (o.status !== "passed")
      lines.push(`      <skipped message="${xml(`${o.status}${o.reason === undefined ? "" : `: ${o.reason}`}`)}"/>`);
    lines.push(`    </testcase>`);
  }
  lines.push("  </testsuite>");
  return { tests: TARGETED_SCENARIOS.length, failures, lines };
}
