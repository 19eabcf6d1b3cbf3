// Run one scenario on fresh live nodes: apply each step, let the cluster settle, observe every
// node, and compare with the model outcome that explains it. Stops at the first divergence.

import {
  createCluster,
  describeAction,
  distinctClauses,
  ModelUnsupported,
  step as modelStep,
  type ClusterState,
  type ProfileId,
  type RuleClause,
  type StepOutcome,
  type SyncEvent,
} from "../../model/index.js";
import type { Check } from "../check/compare.js";
import type { ObservedNode } from "../check/observed.js";
import { finalFailures } from "../check/pending.js";
import { predictionOf } from "../check/predictions.js";
import { ReplIdBinding } from "../check/replid-binding.js";
import { describeReply, type ObservedReply } from "../check/reply.js";
import { allVerdicts, closest, type StepVerdict } from "../check/verdict.js";
import { type Applied, applyTimed } from "../steps/actions.js";
import { LiveCluster } from "../live/cluster.js";
import { resolve } from "../steps/generators.js";
import type { RawStep } from "../steps/raw-step.js";
import type { Step } from "../steps/step.js";
import { OutcomeUnknown, type ServerConfig, type Target } from "../targets/target.js";
import { modelConfig } from "./model-config.js";
import { phaseClock } from "./phase-times.js";
import { chooseNodeProfiles } from "./profile-choice.js";
import { summarizeObservation, summarizePrediction, type NodeSummary } from "./summary.js";

export interface RunConfig {
  makeTarget(): Promise<Target>;
  /** Number of replicas next to the first master (nodes n0..n<replicas>). */
  replicas: number;
  /** Start-up configuration of every node (the deterministic defaults plus overrides). */
  nodeConfig: ServerConfig;
  /** Per-command timeout; a command without a reply by then is an unknown outcome. */
  commandTimeoutMs: number;
  /**
   * How long a step may go without visible progress before the harness stops waiting for a state
   * the model explains (progress extends it, up to SETTLE_CAP_FACTOR times). A deadline that
   * passes is inconclusive unless the state reached is one the model rules out.
   */
  settleDeadlineMs: number;
  /** Compare dataset digests every N steps (and always at the end); 0 = only at the end. */
  checkpointEvery: number;
  /** A model profile id chosen by the user (`--profile`); otherwise detected from INFO server. */
  profile?: string;
  /** Aborted on SIGINT/SIGTERM or when the time budget is spent: the scenario stops between steps. */
  signal?: AbortSignal;
  onStep?(record: StepRecord): void;
}

export interface StepRecord {
  index: number;
  step: Step;
  description: string;
  /** How many outcomes the model allowed, and which one matched. */
  outcomes: number;
  chosen: number;
  path: string[];
  checks: Check[];
  failures: Check[];
  predicted: Record<string, NodeSummary>;
  observed: Record<string, NodeSummary>;
  reply?: { predicted: string; observed: string };
  /** The PSYNCs the chosen outcome decided in this step (request, rule, reason, outcome). */
  syncs: SyncEvent[];
  notes: string[];
  /** The (rule, clause) of every decision the chosen outcome took, once each (clause coverage). */
  clauses?: RuleClause[];
  /** The model does not cover this step (it was not applied). */
  skipped?: string;
  /**
   * The step's outcome is unknown and the run stops there: its client got no reply in time, or the
   * nodes did not reach a state the model explains before the settle deadline, though they may yet.
   */
  unknown?: string;
  /** Milliseconds from applying the step to a matching observation. */
  settleMs: number;
}

export interface ScenarioResult {
  /** interrupted: stopped by the run's signal (Ctrl-C, SIGTERM, time budget) before it ended. */
  status: "passed" | "diverged" | "inconclusive" | "interrupted";
  reason?: string;
  steps: StepRecord[];
  /** The concrete steps run (a replayable scenario, see replay.ts). */
  executed: Step[];
  profile: string;
  /**
   * The model profile's id (clause coverage tells the clauses this profile cannot take); absent
   * when the nodes have different profiles (a mixed target).
   */
  profileId?: ProfileId;
  /** A mixed target's distinct profile ids, in node order (absent when every node has one profile). */
  mixedProfileIds?: ProfileId[];
  target: string;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const yieldToIo = () => new Promise((r) => setImmediate(r));

/** Progress extends a step's settle deadline, up to this many times settleDeadlineMs in all. */
export const SETTLE_CAP_FACTOR = 4;

export const nodeNames = (replicas: number): string[] => Array.from({ length: replicas + 1 }, (_, i) => `n${i}`);

/** Fresh nodes n0..n<replicas> of the config's target. */
export async function startLiveCluster(config: RunConfig): Promise<LiveCluster> {
  return LiveCluster.start(
    await config.makeTarget(),
    nodeNames(config.replicas),
    config.nodeConfig,
    config.commandTimeoutMs,
  );
}

const NO_ANSWER: NodeSummary = {
  role: "(no answer)",
  link: "?",
  offset: "?",
  replid: "?",
  replid2: "?",
  backlog: "?",
  syncs: "?",
};

/** The run's signal fired while a step was settling: the scenario stops without a verdict for it. */
class ScenarioInterrupted extends Error {}

/** What the checker carries from one accepted step to the next. */
interface Checked {
  model: ClusterState;
  binding: ReplIdBinding;
}

interface ScenarioContext {
  config: RunConfig;
  cluster: LiveCluster;
  names: readonly string[];
  /** Adds wall time to the bench's phase breakdown (phase-times.ts; a no-op unless enabled). */
  clock: ReturnType<typeof phaseClock>;
}

/** One step's result: its record, and the state to go on from (absent when the scenario stops). */
interface StepResult {
  record: StepRecord;
  next?: Checked;
  stop?: { status: "diverged" | "inconclusive"; reason: string };
}

/**
 * One step of checking: ask the model for every outcome, apply the step, let the cluster settle,
 * observe, compare, and record. The input state is never modified.
 */
async function checkStep(
  ctx: ScenarioContext,
  state: Checked,
  given: Step,
  index: number,
  last: boolean,
): Promise<StepResult> {
  const { config, cluster, names, clock } = ctx;
  const step = withClock(given);
  const description =
    describeAction(step.action) + (step.throttle === undefined ? "" : ` (throttled to ${step.throttle} B/s)`);
  let outcomes: StepOutcome[];
  try {
    outcomes = modelStep(state.model, step.action);
  } catch (e) {
    if (!(e instanceof ModelUnsupported)) throw e;
    return { record: emptyRecord(index, step, description, { skipped: e.message }), next: state };
  }
  clock.lap("model");
  const started = Date.now();
  let applied: Applied;
  try {
    applied = await applyTimed(cluster, step, state.model, config.commandTimeoutMs);
  } catch (e) {
    // The target could not make the step happen as the model assumes (a real-time timer).
    if (!(e instanceof OutcomeUnknown)) throw e;
    const unknown = `${description}: ${e.message}`;
    return {
      record: emptyRecord(index, step, description, { unknown }),
      stop: { status: "inconclusive", reason: unknown },
    };
  }
  // A WAIT's time is mostly its own timeout (up to seconds in a situation): shown apart.
  clock.lap(step.action.kind === "wait" ? "apply WAIT" : "apply");
  // FULLSYNC-1: a full sync's dataset is checked right after it, not at a later checkpoint.
  const fullSync = outcomes.some((o) => o.syncs.some((e) => e.outcome === "fullresync"));
  const withDataset = last || fullSync || (config.checkpointEvery > 0 && index % config.checkpointEvery === 0);
  const settled = await settle(ctx, outcomes, applied.reply, applied.elapsedMs, step, state.binding, withDataset);
  const v = settled.verdict;
  const record: StepRecord = {
    index,
    step,
    description,
    outcomes: outcomes.length,
    chosen: v.index,
    path: v.outcome.path,
    checks: v.checks,
    failures: v.failures,
    predicted: Object.fromEntries(names.map((n) => [n, summarizePrediction(predictionOf(v.outcome.state, n))])),
    observed: Object.fromEntries(
      names.map((n) => {
        const o = settled.observed[n] as ObservedNode | undefined;
        return [n, o === undefined ? NO_ANSWER : summarizeObservation(o, v.binding, (a) => cluster.masterOfAddress(a))];
      }),
    ),
    reply:
      v.outcome.reply !== undefined && applied.reply !== undefined
        ? { predicted: describeReply(v.outcome.reply), observed: describeReply(applied.reply) }
        : undefined,
    syncs: v.outcome.syncs,
    notes: settled.judgedOnReply === undefined ? v.outcome.notes : [...v.outcome.notes, settled.judgedOnReply],
    clauses: distinctClauses(v.outcome.decisions),
    settleMs: Date.now() - started,
  };
  clock.lap("record");
  if (applied.reply?.kind === "timeout" && v.outcome.reply?.kind !== "blocked") {
    record.unknown = `${description}: no reply within ${config.commandTimeoutMs} ms`;
    record.failures = [];
    return { record, stop: { status: "inconclusive", reason: record.unknown } };
  }
  if (settled.unsettled !== undefined) {
    record.unknown = settled.unsettled;
    return { record, stop: { status: "inconclusive", reason: record.unknown } };
  }
  if (record.failures.length > 0) {
    return {
      record,
      stop: { status: "diverged", reason: record.failures.map((f) => `${f.rule} ${f.node} ${f.field}`).join(", ") },
    };
  }
  return { record, next: { model: v.outcome.state, binding: v.binding } };
}

/**
 * Run a generated (`raws`) or fixed scenario on fresh nodes: `started` if the caller already
 * started them (a campaign starts the next scenario's nodes while the current one runs).
 */
export async function runScenario(
  config: RunConfig,
  raws: readonly RawStep[] | null,
  fixedSteps?: readonly Step[],
  started?: Promise<LiveCluster>,
): Promise<ScenarioResult> {
  const clock = phaseClock();
  const cluster = await (started ?? startLiveCluster(config));
  clock.lap("start-up");
  const target = cluster.target;
  const names = nodeNames(config.replicas);
  try {
    // Each node is checked against its own profile (a mixed target runs two kinds of server).
    const servers = await Promise.all(names.map(async (n) => (await cluster.observe(n, false, 5000, true)).server));
    const profiles = chooseNodeProfiles(Object.fromEntries(names.map((n, i) => [n, servers[i] ?? {}])), config.profile);
    const specOf = (name: string) => {
      const { profile } = profiles.byNode[name];
      return { name, profile: profile.id, config: modelConfig(profile, config.nodeConfig) };
    };
    let state: Checked = {
      model: createCluster(names.map(specOf)),
      binding: ReplIdBinding.empty(),
    };
    const result: ScenarioResult = {
      status: "passed",
      steps: [],
      executed: [],
      profile: profiles.text,
      ...(profiles.sole === undefined
        ? { mixedProfileIds: [...new Set(names.map((n) => profiles.byNode[n].profile.id))] }
        : { profileId: profiles.sole }),
      target: target.description,
    };
    const ctx: ScenarioContext = { config, cluster, names, clock };
    clock.lap("profile");

    /** Runs one step; false when the scenario stops here. */
    const runOne = async (step: Step, last: boolean): Promise<boolean> => {
      if (config.signal?.aborted === true) {
        result.status = "interrupted";
        result.reason = "interrupted before this step";
        return false;
      }
      let r: StepResult;
      try {
        r = await checkStep(ctx, state, step, result.steps.length + 1, last);
      } catch (e) {
        if (!(e instanceof ScenarioInterrupted)) throw e;
        result.status = "interrupted";
        result.reason = `interrupted while step ${result.steps.length + 1} settled`;
        return false;
      }
      result.steps.push(r.record);
      if (r.record.skipped === undefined) result.executed.push(r.record.step);
      config.onStep?.(r.record);
      clock.lap("record");
      if (r.stop !== undefined) {
        result.status = r.stop.status;
        result.reason = r.stop.reason;
        return false;
      }
      state = r.next!;
      return true;
    };

    const setup: Step[] = names.slice(1).map((n) => ({ action: { kind: "replicaof", node: n, master: names[0] } }));
    const queue = fixedSteps !== undefined ? [...fixedSteps] : setup;
    for (let i = 0; i < queue.length; i++) {
      if (!(await runOne(queue[i], raws === null && i === queue.length - 1))) return result;
    }
    if (raws !== null) {
      for (let i = 0; i < raws.length; i++) {
        const steps = resolve(raws[i], { state: state.model, names, now: Date.now() });
        clock.lap("model");
        for (let j = 0; j < steps.length; j++) {
          if (!(await runOne(steps[j], i === raws.length - 1 && j === steps.length - 1))) return result;
        }
      }
    }
    return result;
  } finally {
    clock.lap("record");
    await cluster.close();
    clock.lap("close");
  }
}

/** Commands carry the wall clock of when they are sent (EX → PXAT needs it; saved files hold stale times). */
function withClock(step: Step): Step {
  const a = step.action;
  return a.kind === "command" || a.kind === "transaction" ? { ...step, action: { ...a, now: Date.now() } } : step;
}

function emptyRecord(index: number, step: Step, description: string, extra: Partial<StepRecord>): StepRecord {
  return {
    index,
    step,
    description,
    outcomes: 0,
    chosen: -1,
    path: [],
    checks: [],
    failures: [],
    predicted: {},
    observed: {},
    syncs: [],
    notes: [],
    settleMs: 0,
    ...extra,
  };
}

interface Settled {
  verdict: StepVerdict;
  observed: Record<string, ObservedNode>;
  /** Set when the deadline passed in a state the model allows as still in progress: why it is unknown. */
  unsettled?: string;
  /** The step diverged on its reply alone, judged at once (see replyDecides): what the record says. */
  judgedOnReply?: string;
}

/**
 * A reply no outcome allows decides the step at once: the reply cannot change, and a reply failure
 * is never "still in progress" (check/pending.ts), so waiting out the settle deadline would give
 * the same verdict 5 s later. Only the reply failures are kept: the other fields were not waited
 * for. This is what makes shrinking a wrong WAIT count or a wrong error reply fast.
 */
function replyDecides(all: readonly StepVerdict[]): boolean {
  return all.length > 0 && all.every((v) => v.failures.some((f) => f.field === "reply"));
}

/** Whether every failure of a verdict could still turn right with time (see check/pending.ts). */
function onlyPending(v: StepVerdict): boolean {
  return finalFailures(v.checks, (node) => v.outcome.state.nodes[node]?.master ?? null).length === 0;
}

/** A digest of what changes while replication makes progress, to tell a stuck cluster from a slow one. */
function progressMark(observed: Record<string, ObservedNode>): string {
  return JSON.stringify(
    Object.values(observed).map((o) => [
      o.role,
      o.masterLinkStatus,
      o.masterReplOffset,
      o.replid,
      o.connectedSlaves,
      o.syncFull,
      o.syncPartialOk,
      o.backlogHistlen,
    ]),
  );
}

const showFailure = (f: Check): string => `${f.node} ${f.field} ${f.observed} (predicted ${f.predicted})`;

/**
 * Poll every node until some model outcome explains what they show. Never a fixed sleep: the
 * interval only spaces the polls. The deadline counts from the last visible progress (capped), and
 * when it passes the step is a divergence only if no outcome allows what is seen as still settling.
 */
async function settle(
  ctx: ScenarioContext,
  outcomes: readonly StepOutcome[],
  reply: ObservedReply | undefined,
  replyElapsedMs: number,
  step: Step,
  binding: ReplIdBinding,
  withDataset: boolean,
): Promise<Settled> {
  const { cluster, names, config, clock } = ctx;
  const begun = Date.now();
  const cap = begun + config.settleDeadlineMs * SETTLE_CAP_FACTOR;
  let deadline = begun + config.settleDeadlineMs;
  let mark = "";
  const vctx = { action: step.action, binding, masterOfAddress: (a: string) => cluster.masterOfAddress(a) };
  for (let polls = 1; ; polls++) {
    if (config.signal?.aborted === true) throw new ScenarioInterrupted();
    const observed: Record<string, ObservedNode> = {};
    const silent: string[] = [];
    await Promise.all(
      names.map(async (n) => {
        try {
          observed[n] = await cluster.observe(n, false, config.commandTimeoutMs);
        } catch (e) {
          // A node that does not answer INFO in time (loaded machine, a large RDB loading) is no verdict.
          silent.push(`${n} did not answer INFO: ${(e as Error).message}`);
        }
      }),
    );
    clock.lap("settle observe");
    clock.count("polls");
    const now = Date.now();
    const m = progressMark(observed);
    if (m !== mark) {
      mark = m;
      deadline = Math.min(cap, Math.max(deadline, now + config.settleDeadlineMs));
    }
    const expired = now >= deadline;
    const obs = { nodes: observed, reply, replyElapsedMs };
    let all = allVerdicts(outcomes, obs, vctx);
    let best = closest(all);
    clock.lap("check");
    if (silent.length === 0 && !expired && replyDecides(all)) {
      const others = best.failures.filter((f) => f.field !== "reply").length;
      return {
        verdict: { ...best, failures: best.failures.filter((f) => f.field === "reply") },
        observed,
        judgedOnReply: `judged on its reply at once${others === 0 ? "" : ` (${others} other check${others === 1 ? " was" : "s were"} not waited for)`}`,
      };
    }
    if (silent.length === 0 && (best.failures.length === 0 || expired)) {
      if (withDataset) {
        // Checkpoint: add each node's dataset to the observation that settled (no second INFO round).
        await Promise.all(names.map(async (n) => (observed[n].dataset = await cluster.digest(n))));
        clock.lap("dataset");
        clock.count("checkpoints");
        all = allVerdicts(outcomes, obs, vctx);
        best = closest(all);
        clock.lap("check");
      }
      if (best.failures.length === 0 || !expired) return { verdict: best, observed };
    }
    if (expired) {
      const waited = `${((now - begun) / 1000).toFixed(1)} s`;
      if (silent.length > 0) return { verdict: best, observed, unsettled: `${silent.join("; ")} (waited ${waited})` };
      const pending = all.find(onlyPending);
      if (pending !== undefined) {
        return {
          verdict: pending,
          observed,
          unsettled: `not settled after ${waited}, still in progress: ${pending.failures.map(showFailure).join("; ")}`,
        };
      }
      return { verdict: best, observed };
    }
    // The first retries only yield to I/O: a reply often overtakes the replication stream by a hop
    // (the link proxy), and what is in flight lands within a turn of the event loop.
    await (polls <= 2 ? yieldToIo() : pause(polls < 10 ? 1 : Math.min(2 * (polls - 8), 20)));
    clock.lap("settle wait");
  }
}
