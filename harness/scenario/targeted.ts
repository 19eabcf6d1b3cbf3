// Hand-written scenarios for the behaviours replcheck must always exercise (the seeds of
// spec/README.md), whatever the random generator happens to draw. Each is a list of concrete steps
// run like a replayed scenario file: every step is checked against the model.

import type { Action } from "../../model/index.js";
import type { RuleId } from "../../model/rule-ids.js";
import type { Step } from "../steps/step.js";

export interface TargetedScenario {
  name: string;
  /** The rules it is about (every step is checked against all rules anyway). */
  rules: RuleId[];
  /** Replicas next to n0. */
  replicas: number;
  steps: Step[];
}

const at = (action: Action): Step => ({ action });
const cmd = (node: string, ...argv: string[]): Step => at({ kind: "command", node, db: 0, argv, now: 0 });
const cmdDb = (node: string, db: number, ...argv: string[]): Step => at({ kind: "command", node, db, argv, now: 0 });
const replicaof = (node: string, master: string): Step => at({ kind: "replicaof", node, master });
const promote = (node: string): Step => at({ kind: "replicaof-no-one", node });
const link = (replica: string, state: "up" | "down" | "blackhole"): Step => at({ kind: "link", replica, state });
const big = (node: string, key: string, size: number): Step => cmd(node, "SET", key, "x".repeat(size));

const attachAll = (replicas: number): Step[] =>
  Array.from({ length: replicas }, (_, i) => replicaof(`n${i + 1}`, "n0"));

export const TARGETED_SCENARIOS: readonly TargetedScenario[] = [
  {
    name: "asynchronous replication converges after a partition heals",
    rules: ["CONV-1", "CONV-2", "PSYNC-2", "OFFSET-9"],
    replicas: 2,
    steps: [
      ...attachAll(2),
      cmd("n0", "SET", "k", "1"),
      cmdDb("n0", 3, "RPUSH", "l", "a", "b"),
      link("n1", "down"),
      cmd("n0", "SET", "k", "2"),
      cmd("n1", "GET", "k"),
      at({
        kind: "transaction",
        node: "n0",
        db: 0,
        commands: [
          ["HSET", "h", "f", "v"],
          ["INCR", "n"],
        ],
        now: 0,
      }),
      link("n1", "up"),
      cmd("n1", "GET", "k"),
    ],
  },
  {
    name: "an overwritten backlog forces a full sync",
    rules: ["BACKLOG-2", "BACKLOG-3", "PSYNC-2", "FULLSYNC-1"],
    replicas: 1,
    steps: [
      ...attachAll(1),
      at({ kind: "config-set", node: "n0", name: "repl-backlog-size", value: "16384" }),
      cmd("n0", "SET", "k", "v"),
      link("n1", "down"),
      big("n0", "a", 25000),
      big("n0", "b", 25000),
      big("n0", "c", 25000),
      link("n1", "up"),
    ],
  },
  {
    name: "failover: a promoted replica keeps its history, siblings and the old master resync partially",
    rules: ["REPLID-4", "REPLID-5", "REPLID-7", "CONV-3", "CONV-4"],
    replicas: 2,
    steps: [
      ...attachAll(2),
      cmd("n0", "SET", "k", "v"),
      cmd("n0", "SADD", "s", "a", "b"),
      promote("n1"),
      replicaof("n2", "n1"),
      replicaof("n0", "n1"),
      cmd("n1", "SET", "k", "w"),
    ],
  },
  {
    name: "a sibling ahead of the promoted replica needs a full sync",
    rules: ["REPLID-7", "PSYNC-1", "FULLSYNC-1"],
    replicas: 2,
    steps: [
      ...attachAll(2),
      cmd("n0", "SET", "k", "v"),
      link("n1", "down"),
      cmd("n0", "SET", "late", "1"),
      promote("n1"),
      replicaof("n2", "n1"),
    ],
  },
  {
    name: "switching masters: a full sync deletes the replica's data, REPLICAOF NO ONE keeps it",
    rules: ["FULLSYNC-1", "CONV-3", "CONV-4"],
    replicas: 2,
    steps: [
      replicaof("n1", "n0"),
      cmd("n0", "SET", "a", "1"),
      cmd("n2", "SET", "b", "2"),
      replicaof("n1", "n2"),
      promote("n1"),
      cmd("n1", "GET", "b"),
    ],
  },
  {
    name: "chained replicas carry the root's replid and offset",
    rules: ["CHAIN-1", "CHAIN-2", "CHAIN-4", "REPLID-5"],
    replicas: 2,
    steps: [
      replicaof("n1", "n0"),
      replicaof("n2", "n1"),
      cmd("n0", "SET", "k", "v"),
      cmdDb("n0", 11, "ZADD", "z", "1.5", "m"),
      link("n1", "down"),
      cmd("n0", "INCR", "c"),
      link("n1", "up"),
      cmd("n0", "DEL", "k"),
    ],
  },
  {
    name: "replicas are read-only; stale reads while the link is down",
    rules: ["RO-1", "CONV-2", "DATA-6"],
    replicas: 1,
    steps: [
      ...attachAll(1),
      cmd("n0", "SET", "k", "v"),
      cmd("n1", "SET", "k", "w"),
      at({
        kind: "transaction",
        node: "n1",
        db: 0,
        commands: [
          ["GET", "k"],
          ["SET", "k", "w"],
        ],
        now: 0,
      }),
      link("n1", "down"),
      cmd("n0", "SET", "k", "x"),
      cmd("n1", "GET", "k"),
    ],
  },
  {
    name: "min-replicas-to-write refuses writes without enough good replicas",
    rules: ["MINREP-1", "MINREP-2", "MINREP-4"],
    replicas: 1,
    steps: [
      ...attachAll(1),
      at({ kind: "config-set", node: "n0", name: "min-replicas-to-write", value: "1" }),
      cmd("n0", "SET", "k", "v"),
      link("n1", "down"),
      cmd("n0", "SET", "k", "w"),
      link("n1", "up"),
      cmd("n0", "SET", "k", "w"),
    ],
  },
  {
    name: "WAIT counts acks, and blocks with GETACK when there are too few",
    rules: ["WAIT-1", "WAIT-3", "OFFSET-5"],
    replicas: 2,
    steps: [
      ...attachAll(2),
      cmd("n0", "SET", "k", "v"),
      at({ kind: "wait", node: "n0", numReplicas: 3, timeoutMs: 100 }),
      at({ kind: "wait", node: "n0", numReplicas: 2, timeoutMs: 100 }),
      link("n2", "down"),
      cmd("n0", "SET", "k", "w"),
      at({ kind: "wait", node: "n0", numReplicas: 2, timeoutMs: 100 }),
    ],
  },
  {
    name: "restarts resume from the RDB's replication info",
    rules: ["RESTART-1", "RESTART-2", "RESTART-3"],
    replicas: 1,
    steps: [
      ...attachAll(1),
      cmd("n0", "SET", "k", "v"),
      at({ kind: "restart", node: "n1", save: true }),
      cmd("n0", "SET", "k", "w"),
      at({ kind: "restart", node: "n0", save: true }),
      cmd("n0", "RPUSH", "l", "x"),
    ],
  },
  {
    name: "crashes: a replica comes back from its full sync's RDB and continues; a master from its sync snapshot",
    rules: ["RESTART-1", "RESTART-2", "RESTART-4"],
    replicas: 2,
    steps: [
      ...attachAll(2),
      cmd("n0", "SET", "k", "v"),
      cmdDb("n0", 3, "RPUSH", "l", "a"),
      at({ kind: "crash", node: "n1" }),
      cmd("n0", "SET", "k", "w"),
      cmd("n1", "GET", "k"),
      at({ kind: "crash", node: "n0" }),
      cmd("n0", "GET", "k"),
      cmd("n0", "SET", "k", "x"),
      cmd("n2", "GET", "k"),
    ],
  },
  {
    name: "a master with no RDB crashes: it starts empty with a new history and no backlog; its replicas resync in full",
    rules: ["RESTART-2", "RESTART-4", "PSYNC-2", "FULLSYNC-1"],
    replicas: 2,
    steps: [
      // Diskless syncs leave no RDB on the master.
      at({ kind: "config-set", node: "n0", name: "repl-diskless-sync", value: "yes" }),
      ...attachAll(2),
      cmd("n0", "SET", "k", "v"),
      cmdDb("n0", 2, "SADD", "s", "a"),
      link("n2", "down"),
      at({ kind: "crash", node: "n0" }),
      cmd("n0", "GET", "k"),
      cmd("n1", "GET", "k"),
      link("n2", "up"),
      cmd("n0", "SET", "k", "after"),
      cmd("n2", "GET", "k"),
    ],
  },
  {
    name: "offsets are byte-exact through rewrites, SELECT and MULTI/EXEC",
    rules: ["OFFSET-1", "OFFSET-2", "OFFSET-3", "OFFSET-6", "OFFSET-7", "OFFSET-8"],
    replicas: 1,
    steps: [
      ...attachAll(1),
      cmd("n0", "SET", "k", "v", "EX", "100000"),
      cmd("n0", "EXPIRE", "k", "100000"),
      cmd("n0", "INCRBYFLOAT", "f", "1.5"),
      cmd("n0", "SADD", "s", "a", "b", "c"),
      cmd("n0", "SPOP", "s"),
      cmd("n0", "SPOP", "s", "2"),
      cmd("n0", "GETSET", "k", "w"),
      cmd("n0", "PEXPIREAT", "k", "1"),
      cmd("n0", "DEL", "nokey"),
      cmdDb("n0", 12, "FLUSHDB"),
      at({ kind: "transaction", node: "n0", db: 5, commands: [["SET", "a", "1"]], now: 0 }),
      at({
        kind: "transaction",
        node: "n0",
        db: 5,
        commands: [
          ["SET", "a", "1"],
          ["SET", "b", "2"],
        ],
        now: 0,
      }),
      cmd("n0", "FLUSHALL"),
    ],
  },
  {
    name: "a master without backlog counts neither writes nor a WAIT's GETACK until its first replica attaches",
    rules: ["OFFSET-1", "OFFSET-10", "WAIT-3", "REPLID-2", "BACKLOG-1"],
    replicas: 1,
    steps: [
      cmd("n0", "SET", "k", "v"),
      at({ kind: "wait", node: "n0", numReplicas: 1, timeoutMs: 20 }),
      replicaof("n1", "n0"),
      cmd("n0", "SET", "k", "w"),
      cmd("n1", "GET", "k"),
    ],
  },
  {
    name: "a replica restarted before its first sync has no repl info: it syncs in full when its link heals",
    rules: ["RESTART-1", "RESTART-4", "PSYNC-7"],
    replicas: 1,
    steps: [
      // The edge is cut before the REPLICAOF: the replica never syncs, so it has no RDB to restart from.
      at({ kind: "link", replica: "n1", master: "n0", state: "down" }),
      replicaof("n1", "n0"),
      cmd("n0", "SET", "k", "v"),
      at({ kind: "crash", node: "n1" }),
      link("n1", "up"),
      cmd("n0", "SET", "k", "w"),
      cmd("n1", "GET", "k"),
    ],
  },
  {
    name: "a restarted replica drops its own replicas, which resync from it",
    rules: ["RESTART-1", "CONV-1"],
    replicas: 2,
    steps: [
      replicaof("n1", "n0"),
      replicaof("n2", "n1"),
      cmd("n0", "SET", "k", "v"),
      at({ kind: "restart", node: "n1", save: true }),
      cmd("n0", "SET", "k", "w"),
      cmd("n2", "GET", "k"),
    ],
  },
  {
    name: "a master dropping its replicas: one behind a blackholed link does not notice until the link heals",
    rules: ["LINK-4", "REPLID-4", "CONV-3"],
    replicas: 2,
    steps: [
      ...attachAll(2),
      cmd("n0", "SET", "k", "v"),
      link("n1", "blackhole"),
      promote("n2"),
      replicaof("n0", "n2"),
      cmd("n2", "SET", "k", "w"),
      link("n1", "up"),
      cmd("n2", "SET", "k", "x"),
    ],
  },
  {
    // Needs a target with the clock capability (builtin, or --timers): skipped elsewhere.
    name: "a master alone past repl-backlog-ttl frees its backlog and takes a new replid: its old replica syncs in full",
    rules: ["BACKLOG-6", "REPLID-6", "OFFSET-1"],
    replicas: 1,
    steps: [
      ...attachAll(1),
      cmd("n0", "SET", "k", "v"),
      promote("n1"),
      at({ kind: "config-set", node: "n0", name: "repl-backlog-ttl", value: "3600" }),
      at({ kind: "backlog-ttl-expired", node: "n0" }),
      cmd("n0", "SET", "k", "w"),
      replicaof("n1", "n0"),
      cmd("n1", "GET", "k"),
    ],
  },
  {
    // Last: the blocked WAIT holds its connection until the scenario ends (the harness gives it
    // 1.5 s to send a reply that must not come: steps/kinds/wait.ts).
    name: "WAIT n 0 returns once the acks are in, and blocks when fewer replicas can ack",
    rules: ["WAIT-4", "WAIT-1"],
    replicas: 1,
    steps: [
      ...attachAll(1),
      cmd("n0", "SET", "k", "v"),
      at({ kind: "wait", node: "n0", numReplicas: 1, timeoutMs: 0 }),
      at({ kind: "wait", node: "n0", numReplicas: 2, timeoutMs: 0 }),
    ],
  },
];
