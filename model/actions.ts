// Everything that can happen to a cluster in one step.

import type { ModelLinkState } from "./cluster.js";

export type ConfigName =
  | "repl-backlog-size"
  | "repl-backlog-ttl"
  | "min-replicas-to-write"
  | "min-replicas-max-lag"
  | "replica-read-only"
  | "replica-serve-stale-data"
  | "repl-diskless-sync";

export type Action =
  /** A client command on a node, in db `db`; `now` is the wall-clock ms when it is sent. */
  | { kind: "command"; node: string; db: number; argv: readonly string[]; now: number }
  /** MULTI, the queued commands, EXEC — as one step. */
  | { kind: "transaction"; node: string; db: number; commands: readonly (readonly string[])[]; now: number }
  | { kind: "wait"; node: string; numReplicas: number; timeoutMs: number }
  /** The link from `replica` to `master` (default: its current master) changes state (cut = down, heal = up). */
  | { kind: "link"; replica: string; state: ModelLinkState; master?: string }
  | { kind: "replicaof"; node: string; master: string }
  | { kind: "replicaof-no-one"; node: string }
  | { kind: "config-set"; node: string; name: ConfigName; value: string }
  | { kind: "save"; node: string }
  | { kind: "restart"; node: string; save: boolean }
  /** The node is killed (SIGKILL: nothing saved, nothing flushed) and started again (RESTART-4). */
  | { kind: "crash"; node: string }
  /**
   * `node` is paused (frozen, its connections kept) while `writer` runs `writes` in `db`, then
   * resumed: what it was sent waits in TCP buffers and arrives after (LINK-9).
   */
  | { kind: "pause"; node: string; writer: string; db: number; writes: readonly (readonly string[])[]; now: number }
  /** The master's replicationCron sends its PING (repl-ping-replica-period elapsed). */
  | { kind: "ping-tick"; node: string }
  /** repl-backlog-ttl elapsed on a master without replicas. */
  | { kind: "backlog-ttl-expired"; node: string }
  /** repl-timeout elapsed on a replica that received nothing (e.g. under a blackhole). */
  | { kind: "repl-timeout"; replica: string };

/** An argument as a report shows it: long values abbreviated with their length. */
const showArg = (s: string): string =>
  s.length > 24 ? `${s.slice(0, 8)}…(${s.length} chars)` : /[\s"]/.test(s) || s === "" ? JSON.stringify(s) : s;
const showArgv = (argv: readonly string[]): string => argv.map(showArg).join(" ");

/** A one-line description of an action for reports and counterexamples. */
export function describeAction(a: Action): string {
  switch (a.kind) {
    case "command":
      return `${a.node}: ${a.db === 0 ? "" : `[db${a.db}] `}${showArgv(a.argv)}`;
    case "transaction":
      return `${a.node}: ${a.db === 0 ? "" : `[db${a.db}] `}MULTI; ${a.commands.map(showArgv).join("; ")}; EXEC`;
    case "wait":
      return `${a.node}: WAIT ${a.numReplicas} ${a.timeoutMs}`;
    case "link":
      return `link ${a.replica}->${a.master ?? "master"}: ${a.state === "down" ? "cut" : a.state === "up" ? "heal" : a.state}`;
    case "replicaof":
      return `${a.node}: REPLICAOF ${a.master}`;
    case "replicaof-no-one":
      return `${a.node}: REPLICAOF NO ONE`;
    case "config-set":
      return `${a.node}: CONFIG SET ${a.name} ${a.value}`;
    case "save":
      return `${a.node}: SAVE`;
    case "restart":
      return `${a.node}: restart${a.save ? " after SAVE" : ""}`;
    case "crash":
      return `${a.node}: crash (killed, nothing saved) and restart`;
    case "pause":
      return `${a.node}: paused while ${a.writer}: ${a.db === 0 ? "" : `[db${a.db}] `}${a.writes.map(showArgv).join("; ")}; resumed`;
    case "ping-tick":
      return `${a.node}: replication cron PING`;
    case "backlog-ttl-expired":
      return `${a.node}: repl-backlog-ttl elapses`;
    case "repl-timeout":
      return `${a.replica}: repl-timeout elapses`;
  }
}
