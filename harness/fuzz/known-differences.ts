// Every known difference between the built-in server and redis-server 7.0.15 that the differential
// fuzzers meet, in one place, each with its reason and how the fuzzers handle it. Anything else
// that differs is a failure shown with the shrunk byte stream.

import { cOption } from "../../server/util/c-string.js";
import type { Reply } from "./replies.js";

/** How the fuzzer handles a known difference. */
export type Handling =
  /** the generator never sends it (a case that still does is skipped and counted) */
  | "not generated"
  /** both replies are normalized the same way before they are compared (counted when they differed) */
  | "masked"
  /** outside what the fuzzers can send or see; written down for completeness */
  | "not fuzzed";

/** A difference between the built-in server and redis-server 7.0.15 that is known and explained. */
export interface KnownDifference {
  readonly id: string;
  readonly what: string;
  readonly reason: string;
  readonly handling: Handling;
}

/** Every known difference; a difference outside this list fails the run. */
export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: "outside-command-set",
    what: "commands redis-server has and the built-in server does not (HELLO, WATCH, KEYS, LMOVE, ...)",
    reason:
      "the built-in server implements the data commands the model covers plus replication and administration; anything else is an unknown command there",
    handling: "not generated",
  },
  {
    id: "introspection",
    what: "INFO, ROLE, CLIENT, COMMAND, CONFIG, LASTSAVE",
    reason:
      "they describe the implementation (ids, addresses, counters, parameters, command tables), not data; CONFIG SET would also change the servers under test",
    handling: "not generated",
  },
  {
    id: "lifecycle-and-replication",
    what: "SHUTDOWN, SAVE, BGSAVE, REPLICAOF, SLAVEOF, SYNC, PSYNC, REPLCONF, WAIT",
    reason:
      "they stop, persist or re-role the servers, or wait on replicas; the replication suites and the replica-side fuzzer check them",
    handling: "not generated",
  },
  {
    id: "random-pop",
    what: "SPOP with no count, or a count between 1 and the set's size",
    reason: "Redis pops random members; the data of the two servers would part ways",
    handling: "not generated",
  },
  {
    id: "timing",
    what: "an expiry a few seconds or milliseconds away (EXPIRE k 5, SET k v PX 10, ...)",
    reason:
      "whether the key is still there depends on how long each server took; expiries are generated in the past, at zero, or days away",
    handling: "not generated",
  },
  {
    id: "same-expiry-race",
    what: "EXPIRE/PEXPIRE ... GT|LT against an expiry set earlier in the case with the same relative duration",
    reason:
      "both expiries are now + d, so which is greater depends on whether a millisecond passed between the two commands on each server; masked for exactly those commands",
    handling: "masked",
  },
  {
    id: "lazy-expired-count",
    what: "DBSIZE after SET ... EXAT/PXAT with a time already past",
    reason:
      "the key is stored and only removed when read or when the active expiry cycle (hz) meets it, so whether DBSIZE still counts it depends on timing; masked in cases that set such an expiry",
    handling: "masked",
  },
  {
    id: "scan-order",
    what: "the keys SCAN returns and the cursor it answers",
    reason:
      "Redis walks its hash table (reverse-binary cursor); the built-in server walks insertion order. Cursor parsing and option errors are compared",
    handling: "masked",
  },
  {
    id: "member-order",
    what: "the order of SMEMBERS, of SPOP with a count, and of HGETALL's fields",
    reason:
      "Redis answers in its encoding's order (intset: numeric; hash table: hash order); the built-in server in insertion order. The members are compared, sorted",
    handling: "masked",
  },
  {
    id: "remaining-ttl",
    what: "a positive TTL or PTTL",
    reason: "the remaining time depends on when each server ran the command; -1 and -2 are compared",
    handling: "masked",
  },
  {
    id: "bulk-beyond-buffer",
    what: "a bulk longer than 4 GiB (only possible with proto-max-bulk-len raised, or from a master)",
    reason:
      "one Node.js Buffer holds at most 4 GiB: the built-in server closes the connection with a protocol error once that much has arrived, Redis keeps reading",
    handling: "not fuzzed",
  },
  {
    id: "pending-arguments-limit",
    what: "an unfinished command holding more than client-query-buffer-limit in parsed arguments",
    reason:
      "the built-in server counts them (112 bytes each plus their bytes) against the limit and closes the client like Redis does for a query buffer over it; Redis 7.0 does not bound them (only maxmemory-clients would)",
    handling: "not fuzzed",
  },
  {
    id: "corrupt-rdb-from-master",
    what: "an RDB from the master that is corrupt (bad CRC, truncated inside, impossible lengths)",
    reason:
      "redis-server 7.0 runs redis-check-rdb and exits (rdbReportError, 'Terminating server after rdb file reading failure'); the built-in replica logs it, reports the link down and retries",
    handling: "not fuzzed",
  },
];

/** Command (lowercase) -> the known difference that keeps it out of the generator. */
export const NOT_GENERATED: Readonly<Record<string, string>> = {
  info: "introspection",
  role: "introspection",
  client: "introspection",
  command: "introspection",
  config: "introspection",
  lastsave: "introspection",
  shutdown: "lifecycle-and-replication",
  save: "lifecycle-and-replication",
  bgsave: "lifecycle-and-replication",
  replicaof: "lifecycle-and-replication",
  slaveof: "lifecycle-and-replication",
  sync: "lifecycle-and-replication",
  psync: "lifecycle-and-replication",
  replconf: "lifecycle-and-replication",
  wait: "lifecycle-and-replication",
};

/** Why a request cannot be compared, or null. `redisOnly`: command names only redis-server knows. */
export function skipReason(argv: Buffer[], redisOnly: ReadonlySet<string>): string | null {
  const name = argv[0].toString("latin1").toLowerCase();
  if (name in NOT_GENERATED) return NOT_GENERATED[name];
  if (redisOnly.has(name)) return "outside-command-set";
  if (name === "spop" && argv.length === 2) return "random-pop";
  return null;
}

const bulkText = (r: Reply): string =>
  r.kind === "bulk" && r.value !== null ? r.value.toString("latin1") : JSON.stringify(r);

function sortedArray(items: Reply[], groupSize: number): Reply[] {
  const groups: Reply[][] = [];
  for (let i = 0; i < items.length; i += groupSize) groups.push(items.slice(i, i + groupSize));
  groups.sort((a, b) => {
    const x = a.map(bulkText).join("\u0000");
    const y = b.map(bulkText).join("\u0000");
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return groups.flat();
}

/** What a case did that some replies depend on. */
export interface CaseContext {
  /** A SET with EXAT/PXAT was sent (a key may be stored already expired). */
  absoluteExpiry: boolean;
  /** EXPIRE/PEXPIRE requests with GT/LT whose outcome depends on timing (same-expiry-race). */
  racingExpiries: ReadonlySet<Buffer[]>;
}

const integerOf = (b: Buffer | undefined): number | null =>
  b !== undefined && /^-?\d{1,15}$/.test(b.toString("latin1")) ? Number(b.toString("latin1")) : null;

/** The relative expiry (ms) a request sets on its key, if any. */
function relativeExpiry(argv: Buffer[]): number | null {
  const name = argv[0].toString("latin1").toLowerCase();
  const scaled = (b: Buffer | undefined, ms: boolean) => {
    const n = integerOf(b);
    return n === null ? null : ms ? n : n * 1000;
  };
  if (name === "setex") return scaled(argv[2], false);
  if (name === "psetex") return scaled(argv[2], true);
  if (name === "expire") return scaled(argv[2], false);
  if (name === "pexpire") return scaled(argv[2], true);
  if (name === "set") {
    for (let i = 3; i + 1 < argv.length; i++) {
      const o = cOption(argv[i]);
      if (o === "ex") return scaled(argv[i + 1], false);
      if (o === "px") return scaled(argv[i + 1], true);
    }
  }
  return null;
}

/** What masks a case needs, from its requests (e.g. absolute expiries make DBSIZE timing-dependent). */
export function caseContext(requests: Buffer[][]): CaseContext {
  const absoluteExpiry = requests.some(
    (argv) =>
      argv[0].toString("latin1").toLowerCase() === "set" &&
      argv.slice(3).some((a) => ["exat", "pxat"].includes(cOption(a))),
  );
  const racingExpiries = new Set<Buffer[]>();
  const last = new Map<string, number>();
  for (const argv of requests) {
    if (argv.length < 3) continue;
    const key = argv[1].toString("latin1");
    const d = relativeExpiry(argv);
    const name = argv[0].toString("latin1").toLowerCase();
    const compares =
      (name === "expire" || name === "pexpire") && argv.slice(3).some((a) => ["gt", "lt"].includes(cOption(a)));
    if (compares && d !== null && last.get(key) === d) racingExpiries.add(argv);
    if (d !== null) last.set(key, d);
  }
  return { absoluteExpiry, racingExpiries };
}

/** The reply as compared, and the known difference that normalized it (null: compared as is). */
export function maskReply(
  argv: Buffer[],
  reply: Reply,
  context: CaseContext = { absoluteExpiry: false, racingExpiries: new Set() },
): { reply: Reply; mask: string | null } {
  const name = argv[0].toString("latin1").toLowerCase();
  if (context.racingExpiries.has(argv) && reply.kind === "integer")
    return { reply: { kind: "integer", text: "<0 or 1>" }, mask: "same-expiry-race" };
  if (name === "dbsize" && context.absoluteExpiry && reply.kind === "integer")
    return { reply: { kind: "integer", text: "<count>" }, mask: "lazy-expired-count" };
  if (reply.kind === "array" && reply.items !== null) {
    if (name === "scan") return { reply: { kind: "status", text: "<a SCAN page>" }, mask: "scan-order" };
    if (name === "smembers" || name === "spop")
      return { reply: { kind: "array", items: sortedArray(reply.items, 1) }, mask: "member-order" };
    if (name === "hgetall")
      return { reply: { kind: "array", items: sortedArray(reply.items, 2) }, mask: "member-order" };
  }
  if ((name === "ttl" || name === "pttl") && reply.kind === "integer" && Number(reply.text) >= 0) {
    return { reply: { kind: "integer", text: "<remaining time>" }, mask: "remaining-ttl" };
  }
  return { reply, mask: null };
}
