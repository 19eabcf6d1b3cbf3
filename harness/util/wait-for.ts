// Polling with a deadline: the harness never sleeps a fixed time, it re-checks a condition until it
// holds or the deadline passes.

export interface WaitOptions {
  /** Give up after this many milliseconds. */
  deadlineMs: number;
  /** Pause between two checks (default 25 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout message ("n1 to answer PING"). */
  what?: string;
}

/** The condition did not hold before the deadline. `lastValue` is what the last check returned. */
export class WaitTimeout extends Error {
  override name = "WaitTimeout";
  constructor(
    readonly what: string,
    readonly deadlineMs: number,
    readonly lastValue: unknown,
  ) {
    super(`timed out after ${deadlineMs} ms waiting for ${what}`);
  }
}

type Falsy = false | null | undefined | 0 | "";

/**
 * Calls `check` until it returns a truthy value and resolves with that value. The check runs at
 * least once, even with a zero deadline. An exception thrown by `check` ends the wait at once (a
 * check that wants to tolerate errors catches them itself).
 */
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitOptions): Promise<Exclude<T, Falsy>> {
  const interval = options.intervalMs ?? 25;
  const deadline = Date.now() + options.deadlineMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, Falsy>;
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new WaitTimeout(options.what ?? "a condition", options.deadlineMs, value);
    await delay(Math.min(interval, remaining));
  }
}

/** Resolves after `ms` milliseconds (the pause between polls, never a way to wait for a state). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with `onTimeout()` if `promise` has not settled within `ms`. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for `work` at most `ms` milliseconds. If it has not settled by then, calls `force` (which
 * should end it the hard way: destroy sockets, SIGKILL by pid), waits at most `ms` more for `work`
 * and whatever `force` returned, and resolves "forced" whatever happens: teardown must always end,
 * so a stuck close or stop never holds up the run. An error of `work` that comes in time is
 * rethrown; one that comes later, or one from `force`, is dropped (the caller has moved on).
 */
export async function settleWithin(
  work: Promise<unknown>,
  ms: number,
  force: () => unknown,
): Promise<"settled" | "forced"> {
  const observed = work.then(() => "settled" as const);
  observed.catch(() => {}); // an error after the deadline must not become an unhandled rejection
  if ((await raceTimer(observed, ms)) === "settled") return "settled";
  let forced: Promise<unknown>;
  try {
    forced = Promise.resolve(force());
  } catch (e) {
    forced = Promise.reject(e);
  }
  await raceTimer(
    Promise.all([forced, observed]).catch(() => undefined),
    ms,
  );
  return "forced";
}

/** `promise`'s value, or "late" after `ms`; the timer is cleared either way (it must not keep the process alive). */
async function raceTimer<T>(promise: Promise<T>, ms: number): Promise<T | "late"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
