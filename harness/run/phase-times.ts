// Where a checked step's wall time goes (bench/harness.ts prints it). Off unless enabled, by the
// bench or REPLCHECK_PHASE_TIMES=1; then each phase adds the wall time spent in it. A scenario runs
// its phases one after another, so the sums add up (the next cluster's start-up overlaps them).

export const PHASES = [
  "start-up",
  "profile",
  "model",
  "apply",
  "apply WAIT",
  "settle observe",
  "settle wait",
  "check",
  "dataset",
  "record",
  "close",
] as const;
export type Phase = (typeof PHASES)[number];

let totals: Map<Phase, number> | undefined = process.env.REPLCHECK_PHASE_TIMES === "1" ? new Map() : undefined;
const counts = new Map<string, number>();

/** Starts (or restarts) collecting. */
export function enablePhaseTimes(): void {
  totals = new Map();
  counts.clear();
}

/** How often each counted event happened since enablePhaseTimes (polls, checkpoints). */
export function phaseCounts(): Map<string, number> {
  return new Map(counts);
}

/** The milliseconds collected per phase since enablePhaseTimes (empty when off). */
export function phaseTimes(): Map<Phase, number> {
  return new Map(totals ?? []);
}

/** A clock for one stretch of work: lap(phase) adds the time since the last lap to phase. */
export function phaseClock(): { lap(phase: Phase): void; count(event: string): void } {
  if (totals === undefined) return { lap: () => {}, count: () => {} };
  const t = totals;
  let last = performance.now();
  return {
    lap(phase) {
      const now = performance.now();
      t.set(phase, (t.get(phase) ?? 0) + now - last);
      last = now;
    },
    count(event) {
      counts.set(event, (counts.get(event) ?? 0) + 1);
    },
  };
}
