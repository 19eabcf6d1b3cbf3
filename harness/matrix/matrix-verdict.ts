// The matrix's exit code, in the contract of cli/exit-codes.ts: a divergence on any target is a
// divergence (1); otherwise a matrix where no target gave a verdict has none (3); an interrupt
// wins over both. A target that could not start is a column saying why, not the matrix's failure:
// the others still give their verdicts.

import {
  EXIT_DIVERGED,
  EXIT_INCONCLUSIVE,
  EXIT_OK,
  signalExitCode,
  type InterruptSignal,
  type Verdict,
} from "../cli/exit-codes.js";
import type { MatrixColumn } from "./matrix.js";

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? "" : "s"}`;

/** The verdict of a matrix from its columns; `signal` is the interrupt that stopped it, if any. */
export function matrixVerdict(columns: readonly MatrixColumn[], signal?: InterruptSignal): Verdict {
  const diverged = columns.filter((c) => c.status === "diverged");
  const passed = columns.filter((c) => c.status === "passed");
  if (signal !== undefined)
    return { code: signalExitCode(signal), why: `interrupted by ${signal} (each column says how far its target got)` };
  if (diverged.length > 0)
    return {
      code: EXIT_DIVERGED,
      why: `a divergence from the model was found on ${diverged.map((c) => c.target).join(", ")}`,
    };
  if (passed.length === 0)
    return { code: EXIT_INCONCLUSIVE, why: `no verdict: no target gave one (${count(columns.length, "target")})` };
  const open = columns.length - passed.length;
  return {
    code: EXIT_OK,
    why: `every check held on ${count(passed.length, "target")}${open === 0 ? "" : `; ${open} gave no verdict (see their columns)`}`,
  };
}
