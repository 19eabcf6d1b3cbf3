// Ctrl-C and SIGTERM for `run` and `replay`: the first signal asks the run to stop (no new
// scenario, the current one stops between steps) so that it can stop its nodes and write the
// partial report; a second signal, or a run that does not return within the grace period, kills
// every node at once and exits. Either way the exit code is 130 (SIGINT) or 143 (SIGTERM).

import { killAllNow, takeOverSignals } from "../targets/interrupts.js";
import { signalExitCode, type InterruptSignal } from "./exit-codes.js";

/** How long the run may take to wind down after the first signal before everything is killed. */
export const GRACE_MS = 10_000;

export interface Interrupts {
  /** Aborted by the first SIGINT/SIGTERM: pass it to the campaign or scenario. */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  received(): InterruptSignal | undefined;
}

/**
 * Installs the handlers for the rest of the process (a signal after the run returned, while the
 * report is written, still ends it at once). `whereWeAre` describes progress for the line printed
 * when the run has to be cut short ("interrupted after 3 scenarios").
 */
export function handleInterrupts(whereWeAre: () => string, graceMs = GRACE_MS): Interrupts {
  // The process and container registries stop handling these signals themselves (they would kill
  // the nodes under the running step); their exit handlers still clean up.
  takeOverSignals();
  const controller = new AbortController();
  let first: InterruptSignal | undefined;
  const force = (signal: InterruptSignal, why: string): never => {
    killAllNow();
    process.stderr.write(`\nreplcheck: ${why}: stopped every node at once\n`);
    console.log(`interrupted ${whereWeAre()} (no report written)`);
    process.exit(signalExitCode(signal));
  };
  const onSignal = (signal: InterruptSignal) => {
    if (first !== undefined) force(first, `${signal} again`);
    first = signal;
    process.stderr.write(
      `\nreplcheck: ${signal}: stopping after the current step and writing the report (${signal === "SIGINT" ? "Ctrl-C" : "send it"} again to stop at once)\n`,
    );
    controller.abort(signal);
    // unref: a run that ends normally in the meantime is not kept waiting.
    setTimeout(() => force(signal, `the run did not stop within ${graceMs / 1000} s`), graceMs).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return { signal: controller.signal, received: () => first };
}
