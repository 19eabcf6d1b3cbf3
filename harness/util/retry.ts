// A bounded retry for operations that can miss a deadline on a loaded machine (opening a connection
// to a node that was just started): a few attempts with a doubling pause, never a storm, and an
// error that keeps every attempt's cause.

import { delay } from "./wait-for.js";

export interface RetryOptions {
  /** Attempts in all (at least 1). */
  attempts: number;
  /** Pause before the second attempt, doubled for each further one. */
  firstDelayMs: number;
}

/** Thrown after the last attempt: `causes` holds each attempt's error message, in order. */
export class AttemptsFailed extends Error {
  override name = "AttemptsFailed";
  constructor(
    readonly causes: readonly string[],
    cause: unknown,
  ) {
    super(causes.length === 1 ? causes[0] : `${causes.length} attempts: ${causes.join("; ")}`, { cause });
  }
}

export async function withRetries<T>(options: RetryOptions, run: (attempt: number) => Promise<T>): Promise<T> {
  const attempts = Math.max(1, Math.floor(options.attempts));
  const causes: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (e) {
      causes.push(e instanceof Error ? e.message : String(e));
      if (attempt >= attempts) throw new AttemptsFailed(causes, e);
      await delay(options.firstDelayMs * 2 ** (attempt - 1));
    }
  }
}
