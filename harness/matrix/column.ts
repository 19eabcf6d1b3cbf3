// A matrix column from how one target's campaign ended: the result it gave, or why it never ran.

import { PROFILES } from "../../model/profile.js";
import type { Verdict } from "../cli/exit-codes.js";
import { EXIT_CANNOT_START, EXIT_DIVERGED, EXIT_INCONCLUSIVE, EXIT_OK } from "../cli/exit-codes.js";
import { counterexampleFailures } from "../report/junit.js";
import { splitProfile } from "../report/html/run-summary.js";
import type { CampaignResult } from "../run/campaign.js";
import type { ColumnStatus, MatrixColumn } from "./matrix.js";

/** Where a target's run files are, relative to the matrix's folder. */
export interface ColumnFiles {
  folder?: string;
  report?: string;
  counterexample?: string;
}

/**
 * The version and profile id a column shows, from the run's profile text: "Redis 7.0 (7.0.15)"
 * for one profile, "A (v1) on n0 + B (v2) on n1, n2" when nodes differ (a mixed target), which
 * gives "v1 + v2" and "builtin + redis-7.0".
 */
export function columnIdentity(profileText: string | undefined): { version: string; profile: string } {
  if (profileText === undefined) return { version: "?", profile: "?" };
  const parts = profileText.split(" + ").map((part) => splitProfile(part.replace(/ on [^()]*$/, "")));
  const id = (label: string) => Object.values(PROFILES).find((p) => p.label === label)?.id ?? label;
  return {
    version: parts.map((p) => p.version).join(" + "),
    profile: parts.map((p) => id(p.label)).join(" + "),
  };
}

function statusOf(code: number): ColumnStatus {
  if (code === EXIT_OK) return "passed";
  if (code === EXIT_DIVERGED) return "diverged";
  if (code === EXIT_INCONCLUSIVE) return "no-verdict";
  if (code === EXIT_CANNOT_START) return "unavailable";
  return "interrupted";
}

/** The column of a target whose campaign ran (whatever its verdict). */
export function ranColumn(target: string, result: CampaignResult, verdict: Verdict, files: ColumnFiles): MatrixColumn {
  return {
    target,
    name: result.target ?? target,
    ...columnIdentity(result.profile),
    status: statusOf(verdict.code),
    exitCode: verdict.code,
    verdict: verdict.why,
    scenarios: result.runs,
    // Every checked step: the targeted scenarios' (run first) and the generated ones'.
    steps: result.steps + (result.targeted?.steps ?? 0),
    elapsedMs: result.elapsedMs,
    ...files,
    brokenRules: [...counterexampleFailures(result).keys()],
  };
}

/**
 * The column of a target that gave no campaign: it could not start (`code` 2, with what to do), a
 * run that failed outside any scenario (3), or an interrupt before it began (130/143).
 */
export function emptyColumn(
  target: string,
  code: number,
  why: string,
  hint: string | undefined,
  files: ColumnFiles,
): MatrixColumn {
  return {
    target,
    name: "",
    version: "",
    profile: "",
    status: statusOf(code),
    exitCode: code,
    verdict: why,
    ...(hint === undefined ? {} : { hint }),
    scenarios: 0,
    steps: 0,
    elapsedMs: 0,
    ...files,
    brokenRules: [],
  };
}
