// Compare what the model predicts for a node with what the node shows. Every check names the
// rule it enforces, so a failure leads straight to spec/.

import type { Count, DatasetDigest, NodePrediction, StepJournal } from "../../model/index.js";
import type { ObservedNode } from "./observed.js";
import type { ReplIdBinding } from "./replid-binding.js";

export interface Check {
  node: string;
  field: string;
  rule: string;
  ok: boolean;
  predicted: string;
  observed: string;
}

export interface CompareContext {
  binding: ReplIdBinding;
  journal: StepJournal;
  /** The node name a replica's master address (a link proxy) stands for. */
  masterOfAddress(address: string): string | undefined;
  /** Backlog kind of the node's profile: exact ring or bounded blocks. */
  backlogKind: "ring" | "blocks";
}

const showCount = (c: Count): string => (c.min === c.max ? String(c.min) : `${c.min}..${c.max === Infinity ? "∞" : c.max}`);
const inCount = (c: Count, v: number): boolean => v >= c.min && v <= c.max;

/** A rule named by the step's journal for this node (e.g. REPLID-4 when it was promoted), else the fallback. */
function contextRule(journal: StepJournal, node: string, candidates: readonly string[], fallback: string): string {
  for (const note of journal.notes) {
    const rule = candidates.find((r) => note.startsWith(`${r}:`));
    if (rule !== undefined && new RegExp(`\\b${node}\\b`).test(note)) return rule;
  }
  return fallback;
}

/**
 * An offset off by exactly one stream item points at the rule for that item: a SELECT (OFFSET-3),
 * the cron PING (OFFSET-4), a GETACK (OFFSET-5), MULTI/EXEC wrapping (OFFSET-7).
 */
function offsetDifferenceRule(diff: number): string | undefined {
  switch (Math.abs(diff)) {
    case 23:
    case 24:
      return "OFFSET-3";
    case 14:
      return "OFFSET-4";
    case 37:
      return "OFFSET-5";
    case 15:
    case 29:
      return "OFFSET-7";
    default:
      return undefined;
  }
}

/** The rule that decided the PSYNCs this node served in the step (PSYNC-1/2/3), else PSYNC-4. */
function syncRule(journal: StepJournal, node: string): string {
  return journal.syncs.find((e) => e.master === node)?.verdict.rule ?? "PSYNC-4";
}

export function compareNode(p: NodePrediction, o: ObservedNode, ctx: CompareContext): Check[] {
  const checks: Check[] = [];
  const add = (field: string, rule: string, ok: boolean, predicted: unknown, observed: unknown) =>
    checks.push({ node: p.name, field, rule, ok, predicted: String(predicted), observed: String(observed) });
  const count = (field: string, rule: string, c: Count, v: number | undefined) => {
    if (v !== undefined) add(field, rule, inCount(c, v), showCount(c), v);
  };
  const replica = p.role === "slave";

  add("role", "INFO-1", p.role === o.role, p.role, o.role);
  if (replica && o.role === "slave") {
    const master = o.masterAddress === undefined ? undefined : ctx.masterOfAddress(o.masterAddress);
    add("master", "LINK-7", master === p.master, p.master, master ?? o.masterAddress);
    add("master_link_status", contextRule(ctx.journal, p.name, ["LINK-4", "LINK-6"], "LINK-2"), p.masterLinkStatus === o.masterLinkStatus, p.masterLinkStatus, o.masterLinkStatus);
    if (o.slaveReplOffset !== undefined) add("slave_repl_offset", "INFO-3", p.slaveReplOffset === o.slaveReplOffset, p.slaveReplOffset, o.slaveReplOffset);
  }
  count("connected_slaves", "INFO-4", p.connectedSlaves, o.connectedSlaves);
  if (p.minSlavesGoodSlaves === undefined) {
    add("min_slaves_good_slaves", "MINREP-4", o.minSlavesGoodSlaves === undefined, "absent", o.minSlavesGoodSlaves ?? "absent");
  } else {
    add("min_slaves_good_slaves", "MINREP-4", o.minSlavesGoodSlaves !== undefined && inCount(p.minSlavesGoodSlaves, o.minSlavesGoodSlaves), showCount(p.minSlavesGoodSlaves), o.minSlavesGoodSlaves ?? "absent");
  }

  const offsetRule = offsetDifferenceRule(o.masterReplOffset - p.masterReplOffset) ?? (replica ? "OFFSET-9" : contextRule(ctx.journal, p.name, ["OFFSET-10", "RESTART-2"], "OFFSET-1"));
  add("master_repl_offset", offsetRule, p.masterReplOffset === o.masterReplOffset, p.masterReplOffset, o.masterReplOffset);
  const idRules = ["REPLID-2", "REPLID-4", "REPLID-5", "BACKLOG-6", "RESTART-1", "RESTART-2"];
  add("master_replid", contextRule(ctx.journal, p.name, idRules, replica ? "REPLID-3" : "REPLID-1"), ctx.binding.accept(p.replid, o.replid), ctx.binding.describe(p.replid), o.replid);
  add("master_replid2", contextRule(ctx.journal, p.name, idRules, "REPLID-4"), ctx.binding.accept(p.replid2, o.replid2), ctx.binding.describe(p.replid2), o.replid2);
  add("second_repl_offset", contextRule(ctx.journal, p.name, idRules, "REPLID-4"), p.secondReplOffset === o.secondReplOffset, p.secondReplOffset, o.secondReplOffset);

  add("repl_backlog_active", replica ? "BACKLOG-7" : "BACKLOG-1", p.backlogActive === o.backlogActive, p.backlogActive ? 1 : 0, o.backlogActive ? 1 : 0);
  if (o.backlogSize !== undefined) add("repl_backlog_size", "BACKLOG-4", p.backlogSize === o.backlogSize, p.backlogSize, o.backlogSize);
  const windowRule = !p.backlogActive ? "BACKLOG-9" : ctx.backlogKind === "ring" ? "BACKLOG-2" : "BACKLOG-3";
  count("repl_backlog_first_byte_offset", contextRule(ctx.journal, p.name, ["BACKLOG-5"], windowRule), p.backlogFirstByte, o.backlogFirstByte);
  count("repl_backlog_histlen", contextRule(ctx.journal, p.name, ["BACKLOG-5"], windowRule), p.backlogHistlen, o.backlogHistlen);

  const psync = syncRule(ctx.journal, p.name);
  count("sync_full", psync, p.syncFull, o.syncFull);
  count("sync_partial_ok", psync, p.syncPartialOk, o.syncPartialOk);
  count("sync_partial_err", psync, p.syncPartialErr, o.syncPartialErr);

  if (o.roleReply !== undefined) checks.push(...compareRole(p, o, ctx));
  return checks;
}

// LINK-8: ROLE.
function compareRole(p: NodePrediction, o: ObservedNode, ctx: CompareContext): Check[] {
  const r = p.roleReply;
  const seen = o.roleReply!;
  const check = (field: string, ok: boolean, predicted: unknown, observed: unknown): Check => ({
    node: p.name,
    field: `ROLE ${field}`,
    rule: "LINK-8",
    ok,
    predicted: String(predicted),
    observed: String(observed),
  });
  if (r.role !== seen.role) return [check("role", false, r.role, seen.role)];
  if (r.role === "master" && seen.role === "master") {
    const ranges = r.replicas.map((x) => x.ack);
    const acks = seen.replicas.map((x) => x.ack);
    return [
      check("offset", r.offset === seen.offset, r.offset, seen.offset),
      check("replicas", acks.length === ranges.length && assignable(ranges, acks), `${ranges.length} online, acks ${ranges.map(showCount).join(", ")}`, `${acks.length} online, acks ${acks.join(", ")}`),
    ];
  }
  if (r.role === "slave" && seen.role === "slave") {
    const state = seen.state === "connected" ? "connected" : "not-connected";
    const master = ctx.masterOfAddress(`${seen.host}:${seen.port}`);
    return [
      check("master", master === r.master, r.master, master ?? `${seen.host}:${seen.port}`),
      check("state", state === r.state, r.state, seen.state),
      check("offset", r.offset === seen.offset, r.offset, seen.offset),
    ];
  }
  return [];
}

/** Whether each value can be given its own range (replicas are unordered in ROLE; at most a few). */
function assignable(ranges: readonly Count[], values: readonly number[]): boolean {
  if (values.length === 0) return true;
  const [v, ...rest] = values;
  return ranges.some((r, i) => inCount(r, v) && assignable([...ranges.slice(0, i), ...ranges.slice(i + 1)], rest));
}

/** CONV-1 / FULLSYNC-1 / CONV-4 / DATA-5: the dataset digest at a checkpoint. */
export function compareDataset(p: NodePrediction, observed: DatasetDigest, journal: StepJournal): Check {
  const sync = journal.syncs.find((e) => e.replica === p.name);
  const rule = sync?.outcome === "fullresync" ? "FULLSYNC-1" : sync?.outcome === "continue" ? "CONV-4" : p.role === "slave" ? "CONV-1" : "CONV-5";
  const predicted = JSON.stringify(p.dataset);
  const seen = JSON.stringify(observed);
  return { node: p.name, field: "dataset", rule, ok: predicted === seen, predicted: describeDigestDiff(p.dataset, observed, "predicted"), observed: describeDigestDiff(observed, p.dataset, "observed") };
}

/** A short description of where `a` differs from `b` (keys only in a, or with other values). */
export function describeDigestDiff(a: DatasetDigest, b: DatasetDigest, label: string): string {
  const diffs: string[] = [];
  const dbs = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const db of [...dbs].sort()) {
    const ka = a[Number(db)] ?? {};
    const kb = b[Number(db)] ?? {};
    for (const key of Object.keys(ka).sort()) {
      if (JSON.stringify(ka[key]) !== JSON.stringify(kb[key])) diffs.push(`db${db} ${key}=${JSON.stringify(ka[key].value)}${ka[key].hasExpiry ? " (ttl)" : ""}`);
    }
    for (const key of Object.keys(kb)) if (!(key in ka)) diffs.push(`db${db} ${key} missing`);
  }
  if (diffs.length === 0) return `${label}: same`;
  const shown = diffs.slice(0, 5).join("; ");
  return diffs.length > 5 ? `${shown}; … ${diffs.length - 5} more` : shown;
}
