// The exit-code contract of every replcheck command (run, replay, image build), in one place:
//
//   0    every check held, and at least one step was checked
//   1    a divergence was found (the counterexample is printed)
//   2    the run could not start, or bad usage (one message saying what to do)
//   3    no verdict: nothing was checked, every scenario was inconclusive, or a scenario failed
//        with an error of replcheck itself
//   130  interrupted by SIGINT (Ctrl-C), 143 interrupted by SIGTERM (128 + the signal number)
//
// A CI job may rely on "0 means the target was checked and conforms": nothing maps to 0 by default.

import type { CampaignResult } from "../run/campaign.js";
import type { ScenarioResult } from "../run/scenario-run.js";

export const EXIT_OK = 0;
export const EXIT_DIVERGED = 1;
export const EXIT_CANNOT_START = 2;
export const EXIT_INCONCLUSIVE = 3;
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

export type InterruptSignal = "SIGINT" | "SIGTERM";

export function signalExitCode(signal: InterruptSignal): number {
  return signal === "SIGINT" ? EXIT_SIGINT : EXIT_SIGTERM;
}

/** An exit code and the one line that explains it (printed last). */
export interface Verdict {
  code: number;
  why: string;
}

/**
 * Bad usage or an environment the run cannot start in, found by the CLI itself (an unwritable
 * --out directory, a corrupt scenario file). Exit 2 with `message` and, when there is one, `hint`.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The verdict of a campaign; `signal` is the interrupt the CLI received, if any. */
export function campaignVerdict(result: CampaignResult, signal?: InterruptSignal): Verdict {
  if (signal !== undefined)
    return { code: signalExitCode(signal), why: `interrupted by ${signal} after ${result.runs} scenarios` };
  if (result.counterexample !== undefined || (result.failures > 0 && result.error === undefined)) {
    return { code: EXIT_DIVERGED, why: "a divergence from the model was found" };
  }
  if (result.error !== undefined)
    return { code: EXIT_INCONCLUSIVE, why: "no verdict: a scenario failed with an error (see above)" };
  const targeted = result.targeted?.outcomes.filter((o) => o.status === "passed").length ?? 0;
  if (result.steps === 0 && targeted === 0) return { code: EXIT_INCONCLUSIVE, why: "no verdict: nothing was checked" };
  if (result.inconclusive > 0 && result.inconclusive >= result.runs) {
    return { code: EXIT_INCONCLUSIVE, why: `no verdict: every scenario (${result.runs}) was inconclusive` };
  }
  const also = targeted === 0 ? "" : `, after ${targeted} targeted scenario${targeted === 1 ? "" : "s"}`;
  return { code: EXIT_OK, why: `every check held (${result.steps} steps in ${result.runs} scenarios${also})` };
}

const steps = (n: number): string => `${n} step${n === 1 ? "" : "s"}`;

/** The verdict of one replayed scenario. */
export function scenarioVerdict(result: ScenarioResult, signal?: InterruptSignal): Verdict {
  const checked = result.steps.filter((s) => s.skipped === undefined && s.unknown === undefined).length;
  if (signal !== undefined || result.status === "interrupted") {
    return { code: signalExitCode(signal ?? "SIGINT"), why: `interrupted after ${steps(checked)}` };
  }
  switch (result.status) {
    case "diverged":
      return { code: EXIT_DIVERGED, why: "a divergence from the model was found" };
    case "inconclusive":
      return { code: EXIT_INCONCLUSIVE, why: `no verdict: ${result.reason ?? "the scenario was inconclusive"}` };
    case "passed": {
      if (checked === 0) return { code: EXIT_INCONCLUSIVE, why: "no verdict: nothing was checked" };
      // A step the model could not predict was not applied: the scenario did not run as written.
      const skipped = result.steps.filter((s) => s.skipped !== undefined).length;
      if (skipped > 0)
        return {
          code: EXIT_INCONCLUSIVE,
          why: `no verdict: ${steps(skipped)} the model does not cover ${skipped === 1 ? "was" : "were"} not applied`,
        };
      return { code: EXIT_OK, why: `every check held (${steps(checked)})` };
    }
  }
}
