// Run one scenario on fresh live nodes: apply each step, let the cluster settle, observe every
// node, and compare with the model outcome that explains it. Stops at the first divergence.

import {
  createCluster,
  describeAction,
  detectProfile,
  ModelUnsupported,
  predictNode,
  step as modelStep,
  type ClusterState,
  type StepOutcome,
  type SyncEvent,
} from "../../model/index.js";
import type { Check } from "../check/compare.js";
import type { ObservedNode } from "../check/observed.js";
import { ReplIdBinding } from "../check/replid-binding.js";
import { describeReply, type ObservedReply } from "../check/reply.js";
import { verdict, type StepVerdict } from "../check/verdict.js";
import { applyStep } from "../live/apply.js";
import { LiveCluster } from "../live/cluster.js";
import type { RawStep } from "../scenario/raw.js";
import { resolve, type Step } from "../scenario/resolve.js";
import type { ServerConfig, Target } from "../targets/target.js";
import { modelConfig } from "./model-config.js";
import { summarizeObservation, summarizePrediction, type NodeSummary } from "./summary.js";

export interface RunConfig {
  makeTarget(): Promise<Target>;
  /** Number of replicas next to the first master (nodes n0..n<replicas>). */
  replicas: number;
  /** Start-up configuration of every node (the deterministic defaults plus overrides). */
  nodeConfig: ServerConfig;
  /** Per-command timeout; a command without a reply by then is an unknown outcome. */
  commandTimeoutMs: number;
  /** How long a step may take to settle into a state the model explains. */
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
  /** The model does not cover this step (it was not applied). */
  skipped?: string;
  /** The step's client got no reply in time: its outcome is unknown and the run stops there. */
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
  target: string;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const nodeNames = (replicas: number): string[] => Array.from({ length: replicas + 1 }, (_, i) => `n${i}`);

/** Fresh nodes n0..n<replicas> of the config's target. */
export async function startLiveCluster(config: RunConfig): Promise<LiveCluster> {
  return LiveCluster.start(await config.makeTarget(), nodeNames(config.replicas), config.nodeConfig, config.commandTimeoutMs);
}

/**
 * Run a generated (`raws`) or fixed scenario on fresh nodes: `started` if the caller already
 * started them (a campaign starts the next scenario's nodes while the current one runs).
 */
export async function runScenario(config: RunConfig, raws: readonly RawStep[] | null, fixedSteps?: readonly Step[], started?: Promise<LiveCluster>): Promise<ScenarioResult> {
  const cluster = await (started ?? startLiveCluster(config));
  const target = cluster.target;
  const names = nodeNames(config.replicas);
  try {
    const first = await cluster.observe(names[0], false, 5000, true);
    const identity = detectProfile(first.server ?? {});
    const nodeConfig = modelConfig(identity.profile, config.nodeConfig);
    let model: ClusterState = createCluster(names.map((name) => ({ name, profile: identity.profile.id, config: nodeConfig })));
    let binding = ReplIdBinding.empty();
    const result: ScenarioResult = { status: "passed", steps: [], executed: [], profile: `${identity.profile.label} (${identity.version})`, target: target.description };

    const runOne = async (given: Step, last: boolean): Promise<boolean> => {
      const step = withClock(given);
      const index = result.steps.length + 1;
      const description = describeAction(step.action) + (step.throttle === undefined ? "" : ` (throttled to ${step.throttle} B/s)`);
      let outcomes: StepOutcome[];
      try {
        outcomes = modelStep(model, step.action);
      } catch (e) {
        if (!(e instanceof ModelUnsupported)) throw e;
        result.steps.push(emptyRecord(index, step, description, { skipped: e.message }));
        return true;
      }
      result.executed.push(step);
      const started = Date.now();
      const reply = await applyStep(cluster, step, model, config.commandTimeoutMs);
      const withDataset = last || (config.checkpointEvery > 0 && index % config.checkpointEvery === 0);
      const v = await settleAndCompare(cluster, names, outcomes, reply, step, binding, config.settleDeadlineMs, withDataset);
      const record: StepRecord = {
        index,
        step,
        description,
        outcomes: outcomes.length,
        chosen: v.verdict.index,
        path: v.verdict.outcome.path,
        checks: v.verdict.checks,
        failures: v.verdict.failures,
        predicted: Object.fromEntries(names.map((n) => [n, summarizePrediction(predictNode(v.verdict.outcome.state, v.verdict.outcome.state.nodes[n]))])),
        observed: Object.fromEntries(names.map((n) => [n, summarizeObservation(v.observed[n], v.verdict.binding, (a) => cluster.masterOfAddress(a))])),
        reply: v.verdict.outcome.reply !== undefined && reply !== undefined ? { predicted: describeReply(v.verdict.outcome.reply), observed: describeReply(reply) } : undefined,
        syncs: v.verdict.outcome.syncs,
        notes: v.verdict.outcome.notes,
        settleMs: Date.now() - started,
      };
      if (reply?.kind === "timeout" && v.verdict.outcome.reply?.kind !== "blocked") {
        record.unknown = `${description}: no reply within ${config.commandTimeoutMs} ms`;
        record.failures = [];
        result.steps.push(record);
        config.onStep?.(record);
        result.status = "inconclusive";
        result.reason = record.unknown;
        return false;
      }
      result.steps.push(record);
      config.onStep?.(record);
      if (record.failures.length > 0) {
        result.status = "diverged";
        result.reason = record.failures.map((f) => `${f.rule} ${f.node} ${f.field}`).join(", ");
        return false;
      }
      model = v.verdict.outcome.state;
      binding = v.verdict.binding;
      return true;
    };

    const setup: Step[] = names.slice(1).map((n) => ({ action: { kind: "replicaof", node: n, master: names[0] } }));
    const queue = fixedSteps !== undefined ? [...fixedSteps] : setup;
    for (let i = 0; i < queue.length; i++) {
      if (!(await runOne(queue[i], raws === null && i === queue.length - 1))) return result;
    }
    if (raws !== null) {
      for (let i = 0; i < raws.length; i++) {
        const steps = resolve(raws[i], model, names, Date.now());
        for (let j = 0; j < steps.length; j++) {
          if (!(await runOne(steps[j], i === raws.length - 1 && j === steps.length - 1))) return result;
        }
      }
    }
    return result;
  } finally {
    await cluster.close();
  }
}

/** Commands carry the wall clock of when they are sent (EX → PXAT needs it; saved files hold stale times). */
function withClock(step: Step): Step {
  const a = step.action;
  return a.kind === "command" || a.kind === "transaction" ? { ...step, action: { ...a, now: Date.now() } } : step;
}

function emptyRecord(index: number, step: Step, description: string, extra: Partial<StepRecord>): StepRecord {
  return { index, step, description, outcomes: 0, chosen: -1, path: [], checks: [], failures: [], predicted: {}, observed: {}, syncs: [], notes: [], settleMs: 0, ...extra };
}

interface Settled {
  verdict: StepVerdict;
  observed: Record<string, ObservedNode>;
}

/**
 * Poll every node until some model outcome explains what they show, or the deadline passes (then
 * the closest outcome is reported). Never a fixed sleep: the interval only spaces the polls.
 */
async function settleAndCompare(
  cluster: LiveCluster,
  names: readonly string[],
  outcomes: readonly StepOutcome[],
  reply: ObservedReply | undefined,
  step: Step,
  binding: ReplIdBinding,
  deadlineMs: number,
  withDataset: boolean,
): Promise<Settled> {
  const deadline = Date.now() + deadlineMs;
  const ctx = { action: step.action, binding, masterOfAddress: (a: string) => cluster.masterOfAddress(a) };
  let polls = 0;
  for (;;) {
    const observed: Record<string, ObservedNode> = {};
    await Promise.all(names.map(async (n) => (observed[n] = await cluster.observe(n, false))));
    let v = verdict(outcomes, { nodes: observed, reply }, ctx);
    const settled = v.failures.length === 0;
    if (settled || Date.now() >= deadline) {
      if (withDataset) {
        // Checkpoint: add each node's dataset to the observation that settled (no second INFO round).
        await Promise.all(names.map(async (n) => (observed[n].dataset = await cluster.digest(n))));
        v = verdict(outcomes, { nodes: observed, reply }, ctx);
      }
      return { verdict: v, observed };
    }
    // Most steps settle within a few ms: poll every ms at first, then back off to 20 ms.
    polls++;
    await pause(polls < 10 ? 1 : Math.min(2 * (polls - 8), 20));
  }
}
