// Compare what the model predicts for a node with what the node shows. Every check names the
// rule it enforces, so a failure leads straight to spec/.

import {
  decisionsFor,
  describeRequest,
  psyncCounters,
  type Count,
  type DatasetDigest,
  type Decision,
  type DecisionAbout,
  type NodePrediction,
  type RuleId,
  type StepJournal,
  type SyncEvent,
} from "../../model/index.js";
import type { ObservedNode } from "./observed.js";
import type { ReplIdBinding } from "./replid-binding.js";

export interface Check {
  node: string;
  field: string;
  /** The rule of the model decision that set the predicted value (else the field's base rule). */
  rule: RuleId;
  /** The clause of that rule the decision applied, when a decision set the value. */
  clause?: string;
  /** Rules that explain a failure as well as `rule` (two clauses exactly at their boundary). */
  also?: RuleId[];
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
  /** Whether the serving node's counters show that a PSYNC of the step went the other way (syncWentOtherWay). */
  otherWay?(e: SyncEvent): boolean;
}

const showCount = (c: Count): string =>
  c.min === c.max ? String(c.min) : `${c.min}..${c.max === Infinity ? "∞" : c.max}`;
const inCount = (c: Count, v: number): boolean => v >= c.min && v <= c.max;

/** A rule named for a check, with the clause that set the value. */
interface Named {
  rule: RuleId;
  clause?: string;
  also?: RuleId[];
  /** The decision it came from (not part of the check). */
  from?: Decision;
}

/** How to name a field with the decisions of a step: the journal, and what the other nodes showed. */
type Naming = Pick<CompareContext, "journal" | "otherWay">;

const named = (d: Decision): Named => ({ rule: d.rule, clause: d.clause, from: d });

/**
 * A failed check keeps its decision's rule, unless the decision followed from a PSYNC that the
 * serving node's counters show went the other way: then the replica's field is wrong because of
 * that PSYNC, and the PSYNC's rule is named. (Asked only for failures: it reads another node.)
 */
function finish(c: Check & { from?: Decision }, n: Naming): Check {
  const { from, ...check } = c;
  const e = c.ok || from?.sync === undefined ? undefined : n.journal.syncs[from.sync];
  if (e === undefined || n.otherWay?.(e) !== true) return check;
  const v = e.verdict;
  const clause = `${describeRequest(e.request)} from ${e.replica} should get ${e.outcome === "continue" ? "+CONTINUE" : "+FULLRESYNC"} (${v.clause}), ${e.master}'s counters show the other outcome; this followed from it: ${from!.clause}`;
  const { also: _, ...rest } = check;
  return { ...rest, rule: v.rule, clause, ...(v.also === undefined ? {} : { also: v.also }) };
}

/** The last decision of the step that set `about` on the node, else the field's base rule. */
function setBy(n: Naming, node: string, about: DecisionAbout, base: RuleId): Named {
  const d = decisionsFor(n.journal.decisions, node, about).at(-1);
  return d === undefined ? { rule: base } : named(d);
}

/**
 * The rule for a value built from stream items (an offset, a backlog window): the item whose wrong
 * form moves it by exactly the difference seen (the fewest items that explain it), else the
 * decision that assigned it this step (a full sync, a restart), else the field's base rule.
 */
function streamRule(n: Naming, node: string, diff: number | undefined, base: RuleId): Named {
  const set = decisionsFor(n.journal.decisions, node, "offset")
    .filter((d) => d.sets === true)
    .at(-1);
  return itemRule(n.journal, node, diff) ?? (set === undefined ? { rule: base } : named(set));
}

/** The stream items of the step whose wrong form would move the node's offset by exactly `diff`. */
function itemRule(journal: StepJournal, node: string, diff: number | undefined): Named | undefined {
  if (diff === undefined || diff === 0) return undefined;
  const candidates = decisionsFor(journal.decisions, node, "offset").filter((d) => d.alternative !== undefined);
  const explained = explainDiff(candidates, diff);
  if (explained === undefined) return undefined;
  const rules = [...new Set(explained.map((d) => d.rule))];
  const clause = explained
    .map((d) => `${d.clause}; ${d.alternative!.form} would differ by ${d.alternative!.diff}`)
    .join("; ");
  return { rule: rules[0], clause, ...(rules.length > 1 ? { also: rules.slice(1) } : {}) };
}

/** The smallest set of alternatives (at most a few items per step) whose differences add up to `diff`. */
function explainDiff(candidates: readonly Decision[], diff: number): Decision[] | undefined {
  const pool = candidates.slice(0, 12);
  let best: Decision[] | undefined;
  for (let mask = 1; mask < 1 << pool.length; mask++) {
    const picked = pool.filter((_, i) => (mask & (1 << i)) !== 0);
    if (best !== undefined && picked.length >= best.length) continue;
    if (picked.reduce((n, d) => n + d.alternative!.diff, 0) === diff) best = picked;
  }
  return best;
}

type Counters = [number, number, number];
const counters = (d: { syncFull: number; syncPartialOk: number; syncPartialErr: number }): Counters => [
  d.syncFull,
  d.syncPartialOk,
  d.syncPartialErr,
];
const minus = (a: Counters, b: Counters): Counters => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const same = (a: Counters, b: Counters): boolean => a.every((x, i) => x === b[i]);

/** How the serving node's counters would differ had one PSYNC gone another way, and whose rule that is. */
function syncAlternatives(e: SyncEvent): { diff: Counters; named: Named }[] {
  const actual = counters(psyncCounters(e.request, e.outcome));
  const v = e.verdict;
  const out = [
    {
      diff: minus(counters(psyncCounters(e.request, e.outcome === "continue" ? "fullresync" : "continue")), actual),
      named: {
        rule: v.rule,
        clause: `${describeRequest(e.request)} from ${e.replica}: ${e.outcome} (${v.clause})`,
        ...(v.also === undefined ? {} : { also: v.also }),
      },
    },
  ];
  if (e.request.replid !== "?") {
    // The replica asked PSYNC ? -1 instead of its cached master: the rule that gave it the request.
    const rule: RuleId = v.rule === "RESTART-1" ? "RESTART-1" : "PSYNC-7";
    out.push({
      diff: minus(counters(psyncCounters({ replid: "?", offset: -1 }, "fullresync")), actual),
      named: { rule, clause: `${e.replica} should ask ${describeRequest(e.request)}` },
    });
  } else {
    out.push({ diff: [0, 0, 1], named: { rule: "PSYNC-3", clause: "PSYNC ? -1 is not counted in sync_partial_err" } });
  }
  return out;
}

/**
 * The sync counters of a serving node: observed counts that match another outcome of one of the
 * PSYNCs it served name the rule that decided that PSYNC (or gave the replica its request);
 * counts that match no outcome break the counting itself (PSYNC-4).
 */
function syncCounterRule(journal: StepJournal, p: NodePrediction, o: ObservedNode): Named {
  const events = journal.syncs.filter((e) => e.master === p.name);
  const reset = decisionsFor(journal.decisions, p.name, "syncs").find((d) => d.sets === true);
  const predicted = [p.syncFull, p.syncPartialOk, p.syncPartialErr];
  const seen = [o.syncFull, o.syncPartialOk, o.syncPartialErr];
  if (events.length === 0) return reset === undefined ? { rule: "PSYNC-4" } : named(reset);
  if (predicted.some((c) => c.min !== c.max) || seen.some((v) => v === undefined)) return syncNamed(events[0]);
  const diff = minus(seen as Counters, predicted.map((c) => c.min) as Counters);
  if (same(diff, [0, 0, 0])) return syncNamed(events[0]);
  for (const e of events) for (const alt of syncAlternatives(e)) if (same(alt.diff, diff)) return alt.named;
  return {
    rule: "PSYNC-4",
    clause: `the counters match neither outcome of ${events.map((e) => describeRequest(e.request)).join(", ")}`,
  };
}

/** Whether a serving node's observed counters are those of the other outcome of PSYNC `e`. */
export function syncWentOtherWay(
  e: SyncEvent,
  master: NodePrediction | undefined,
  seen: ObservedNode | undefined,
): boolean {
  if (master === undefined || seen === undefined) return false;
  const predicted = [master.syncFull, master.syncPartialOk, master.syncPartialErr];
  const observed = [seen.syncFull, seen.syncPartialOk, seen.syncPartialErr];
  if (predicted.some((c) => c.min !== c.max) || observed.some((v) => v === undefined)) return false;
  const diff = minus(observed as Counters, predicted.map((c) => c.min) as Counters);
  const alternatives = syncAlternatives(e);
  // The outcome flipped; or a continue became a full sync because the replica asked PSYNC ? -1.
  return (
    same(diff, alternatives[0].diff) ||
    (e.outcome === "continue" && e.request.replid !== "?" && same(diff, alternatives[1].diff))
  );
}

const syncNamed = (e: SyncEvent): Named => ({
  rule: e.verdict.rule,
  clause: e.verdict.clause,
  ...(e.verdict.also === undefined ? {} : { also: e.verdict.also }),
});

const exactDiff = (c: Count, v: number | undefined): number | undefined =>
  v === undefined || c.min !== c.max ? undefined : v - c.min;

export function compareNode(p: NodePrediction, o: ObservedNode, ctx: CompareContext): Check[] {
  const checks: Check[] = [];
  const add = (field: string, n: Named, ok: boolean, predicted: unknown, observed: unknown) =>
    checks.push(
      finish({ node: p.name, field, ...n, ok, predicted: String(predicted), observed: String(observed) }, ctx),
    );
  const count = (field: string, n: Named, c: Count, v: number | undefined) => {
    if (v !== undefined) add(field, n, inCount(c, v), showCount(c), v);
  };
  const replica = p.role === "slave";

  add("role", setBy(ctx, p.name, "role", "INFO-1"), p.role === o.role, p.role, o.role);
  if (replica && o.role === "slave") {
    const master = o.masterAddress === undefined ? undefined : ctx.masterOfAddress(o.masterAddress);
    add("master", setBy(ctx, p.name, "role", "LINK-7"), master === p.master, p.master, master ?? o.masterAddress);
    add(
      "master_link_status",
      setBy(ctx, p.name, "link", "LINK-2"),
      p.masterLinkStatus === o.masterLinkStatus,
      p.masterLinkStatus,
      o.masterLinkStatus,
    );
    if (o.slaveReplOffset !== undefined) {
      // The processed offset is the node's offset unless INFO-3's "1 without a master" applies.
      const n =
        p.slaveReplOffset === p.masterReplOffset
          ? streamRule(ctx, p.name, o.slaveReplOffset - p.slaveReplOffset, "OFFSET-9")
          : { rule: "INFO-3" as const };
      add("slave_repl_offset", n, p.slaveReplOffset === o.slaveReplOffset, p.slaveReplOffset, o.slaveReplOffset);
    }
  }
  count("connected_slaves", setBy(ctx, p.name, "replicas", "INFO-4"), p.connectedSlaves, o.connectedSlaves);
  if (p.minSlavesGoodSlaves === undefined) {
    add(
      "min_slaves_good_slaves",
      { rule: "MINREP-4" },
      o.minSlavesGoodSlaves === undefined,
      "absent",
      o.minSlavesGoodSlaves ?? "absent",
    );
  } else {
    add(
      "min_slaves_good_slaves",
      { rule: "MINREP-4" },
      o.minSlavesGoodSlaves !== undefined && inCount(p.minSlavesGoodSlaves, o.minSlavesGoodSlaves),
      showCount(p.minSlavesGoodSlaves),
      o.minSlavesGoodSlaves ?? "absent",
    );
  }

  const offset = streamRule(ctx, p.name, o.masterReplOffset - p.masterReplOffset, replica ? "OFFSET-9" : "OFFSET-1");
  add("master_repl_offset", offset, p.masterReplOffset === o.masterReplOffset, p.masterReplOffset, o.masterReplOffset);
  add(
    "master_replid",
    setBy(ctx, p.name, "replid", replica ? "REPLID-3" : "REPLID-1"),
    ctx.binding.accept(p.replid, o.replid),
    ctx.binding.describe(p.replid),
    o.replid,
  );
  add(
    "master_replid2",
    setBy(ctx, p.name, "replid", "REPLID-4"),
    ctx.binding.accept(p.replid2, o.replid2),
    ctx.binding.describe(p.replid2),
    o.replid2,
  );
  add(
    "second_repl_offset",
    setBy(ctx, p.name, "replid", "REPLID-4"),
    p.secondReplOffset === o.secondReplOffset,
    p.secondReplOffset,
    o.secondReplOffset,
  );

  add(
    "repl_backlog_active",
    setBy(ctx, p.name, "backlog", replica ? "BACKLOG-7" : "BACKLOG-1"),
    p.backlogActive === o.backlogActive,
    p.backlogActive ? 1 : 0,
    o.backlogActive ? 1 : 0,
  );
  if (o.backlogSize !== undefined)
    add(
      "repl_backlog_size",
      setBy(ctx, p.name, "config", "BACKLOG-4"),
      p.backlogSize === o.backlogSize,
      p.backlogSize,
      o.backlogSize,
    );
  // The window moves with the stream: an item of the wrong form moves it as it moves the offset.
  const windowBase = setBy(
    ctx,
    p.name,
    "backlog",
    !p.backlogActive ? "BACKLOG-9" : ctx.backlogKind === "ring" ? "BACKLOG-2" : "BACKLOG-3",
  );
  const windowRule = (diff: number | undefined): Named => itemRule(ctx.journal, p.name, diff) ?? windowBase;
  count(
    "repl_backlog_first_byte_offset",
    windowRule(exactDiff(p.backlogFirstByte, o.backlogFirstByte)),
    p.backlogFirstByte,
    o.backlogFirstByte,
  );
  count(
    "repl_backlog_histlen",
    windowRule(exactDiff(p.backlogHistlen, o.backlogHistlen)),
    p.backlogHistlen,
    o.backlogHistlen,
  );

  const syncs = syncCounterRule(ctx.journal, p, o);
  count("sync_full", syncs, p.syncFull, o.syncFull);
  count("sync_partial_ok", syncs, p.syncPartialOk, o.syncPartialOk);
  count("sync_partial_err", syncs, p.syncPartialErr, o.syncPartialErr);

  if (o.roleReply !== undefined) checks.push(...compareRole(p, o, ctx));
  return checks;
}

// LINK-8: ROLE. Where ROLE agrees with INFO, a difference from the prediction is the difference
// INFO shows too: it is named by the decision that set the value; otherwise ROLE itself is wrong.
function compareRole(p: NodePrediction, o: ObservedNode, ctx: CompareContext): Check[] {
  const r = p.roleReply;
  const seen = o.roleReply!;
  const check = (field: string, n: Named, ok: boolean, predicted: unknown, observed: unknown): Check =>
    finish(
      { node: p.name, field: `ROLE ${field}`, ...n, ok, predicted: String(predicted), observed: String(observed) },
      ctx,
    );
  const role: Named = seen.role === o.role ? setBy(ctx, p.name, "role", "LINK-8") : { rule: "LINK-8" };
  if (r.role !== seen.role) return [check("role", role, false, r.role, seen.role)];
  const offset: Named =
    seen.offset === o.masterReplOffset ? streamRule(ctx, p.name, seen.offset - r.offset, "LINK-8") : { rule: "LINK-8" };
  if (r.role === "master" && seen.role === "master") {
    const ranges = r.replicas.map((x) => x.ack);
    const acks = seen.replicas.map((x) => x.ack);
    return [
      check("offset", offset, r.offset === seen.offset, r.offset, seen.offset),
      check(
        "replicas",
        { rule: "LINK-8" },
        acks.length === ranges.length && assignable(ranges, acks),
        `${ranges.length} online, acks ${ranges.map(showCount).join(", ")}`,
        `${acks.length} online, acks ${acks.join(", ")}`,
      ),
    ];
  }
  if (r.role === "slave" && seen.role === "slave") {
    const state = seen.state === "connected" ? "connected" : "not-connected";
    const master = ctx.masterOfAddress(`${seen.host}:${seen.port}`);
    const infoState = o.masterLinkStatus === "up" ? "connected" : "not-connected";
    const infoMaster = o.masterAddress === undefined ? undefined : ctx.masterOfAddress(o.masterAddress);
    return [
      check(
        "master",
        master === infoMaster ? setBy(ctx, p.name, "role", "LINK-8") : { rule: "LINK-8" },
        master === r.master,
        r.master,
        master ?? `${seen.host}:${seen.port}`,
      ),
      check(
        "state",
        state === infoState ? setBy(ctx, p.name, "link", "LINK-8") : { rule: "LINK-8" },
        state === r.state,
        r.state,
        seen.state,
      ),
      // A replica that is not connected shows -1 in ROLE whatever its processed offset.
      check(
        "offset",
        r.state === "connected" ? offset : { rule: "LINK-8" },
        r.offset === seen.offset,
        r.offset,
        seen.offset,
      ),
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

/**
 * The dataset digest at a checkpoint, named by the decision that set the predicted data this
 * step: a full sync (FULLSYNC-1), a partial resync (CONV-4), a restart (RESTART-4), a failed load
 * (FULLSYNC-7), a promotion (CONV-3); else CONV-1 on a replica and CONV-5 on a master.
 */
export function compareDataset(
  p: NodePrediction,
  observed: DatasetDigest,
  journal: StepJournal,
  otherWay?: (e: SyncEvent) => boolean,
): Check {
  const naming: Naming = { journal, ...(otherWay === undefined ? {} : { otherWay }) };
  const n = setBy(naming, p.name, "dataset", p.role === "slave" ? "CONV-1" : "CONV-5");
  const ok = JSON.stringify(p.dataset) === JSON.stringify(observed);
  return finish(
    {
      node: p.name,
      field: "dataset",
      ...n,
      ok,
      // Equal digests describe as "same" (what describeDigestDiff finds, without walking every key).
      predicted: ok ? "predicted: same" : describeDigestDiff(p.dataset, observed, "predicted"),
      observed: ok ? "observed: same" : describeDigestDiff(observed, p.dataset, "observed"),
    },
    naming,
  );
}

/** A short description of where `a` differs from `b` (keys only in a, or with other values). */
export function describeDigestDiff(a: DatasetDigest, b: DatasetDigest, label: string): string {
  const diffs: string[] = [];
  const dbs = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const db of [...dbs].sort()) {
    const ka = a[Number(db)] ?? {};
    const kb = b[Number(db)] ?? {};
    for (const key of Object.keys(ka).sort()) {
      if (JSON.stringify(ka[key]) !== JSON.stringify(kb[key]))
        diffs.push(`db${db} ${key}=${JSON.stringify(ka[key].value)}${ka[key].hasExpiry ? " (ttl)" : ""}`);
    }
    for (const key of Object.keys(kb)) if (!(key in ka)) diffs.push(`db${db} ${key} missing`);
  }
  if (diffs.length === 0) return `${label}: same`;
  const shown = diffs.slice(0, 5).join("; ");
  return diffs.length > 5 ? `${shown}; … ${diffs.length - 5} more` : shown;
}
