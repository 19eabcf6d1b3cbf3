import type { Capability } from "../targets/target.js";

// Step families: the unit a user turns on or off (`--skip FAMILY,...` / `--only FAMILY,...`), so a
// server project can adopt the suite step by step. Every generated step belongs to one family.

/** Each family, with what it generates (for --help and error messages). */
export const FAMILIES = {
  writes: "write commands over every data type, on the root master (and sometimes a replica)",
  reads: "read commands on any node",
  transactions: "MULTI ... EXEC",
  "big-values": "values of 4-24 kB (full syncs and backlogs that wrap)",
  wait: "WAIT numreplicas timeout",
  "link-faults": "link cut, heal, blackhole and throttle between a replica and its master",
  failover:
    "promotion of a replica (REPLICAOF NO ONE) and re-pointing of its siblings, also with a sibling behind or a sub-replica below it",
  replicaof: "REPLICAOF between arbitrary nodes (chains, re-parenting), and a replica's forced full resync",
  "backlog-resize":
    "CONFIG SET repl-backlog-size, also aimed at a lagging replica's offset, before a replica's new backlog, or so that a reconnect reads across the ring's end",
  diskless: "CONFIG SET repl-diskless-sync yes|no on a master (diskless full syncs)",
  "writable-replica": "CONFIG SET replica-read-only no on a replica, then a write on it",
  "min-replicas":
    "CONFIG SET min-replicas-to-write, and now and then a blackholed replica whose acks age past min-replicas-max-lag (4 s of real time)",
  restarts: "restart of a node after SAVE",
  crash: "a node killed (nothing saved) and started again from its last RDB, or empty",
  pause:
    "a replica frozen (SIGSTOP, a paused container) while its master writes, then resumed (targets with the pause capability)",
  timers: "the cron's PING, repl-backlog-ttl, repl-timeout, elapsing on demand (targets with the clock capability)",
} as const;

export type Family = keyof typeof FAMILIES;

export const FAMILY_NAMES = Object.keys(FAMILIES) as Family[];

export const isFamily = (name: string): name is Family => Object.hasOwn(FAMILIES, name);

/** Which families a run draws from: all but `skip`, or only `only`. */
export interface FamilyChoice {
  skip?: readonly Family[];
  only?: readonly Family[];
  /**
   * What the target can do: generators that need a capability it lacks are left out (all such
   * generators when not given).
   */
  capabilities?: Partial<Record<Capability, boolean>>;
}

/** The families a choice leaves on, in catalogue order. */
export function chosenFamilies(choice: FamilyChoice = {}): Family[] {
  const only = choice.only;
  const skip = new Set(choice.skip ?? []);
  return FAMILY_NAMES.filter((f) => (only === undefined || only.includes(f)) && !skip.has(f));
}

/**
 * Why a family choice cannot be used (names from JavaScript callers unchecked by the type), or
 * undefined when it can. The CLI's option parsing says the same per option, before this runs.
 */
export function familyChoiceProblem(choice: {
  skip?: readonly string[];
  only?: readonly string[];
}): string | undefined {
  const unknown = [...(choice.skip ?? []), ...(choice.only ?? [])].filter((f) => !isFamily(f));
  if (unknown.length > 0)
    return `unknown step famil${unknown.length === 1 ? "y" : "ies"} ${unknown.join(", ")}: one of ${FAMILY_NAMES.join(", ")}`;
  if (choice.skip !== undefined && choice.only !== undefined) return "give skip or only, not both";
  if (chosenFamilies(choice as FamilyChoice).length === 0) return "skip leaves no step family to generate";
  return undefined;
}
