// One step of the model: apply an action, let replication settle, and return every possible outcome.

import type { Action, ConfigName } from "./actions.js";
import { explore, type Chooser } from "./choice.js";
import { cloneCluster, node, trackAckSilence, type ClusterState } from "./cluster.js";
import { clientCommand, clientTransaction, clientWait } from "./client.js";
import { backlogTtlExpired, configSet, pauseWhile, pingTick, replTimeout, restart, save } from "./lifecycle.js";
import { emptyJournal, type ReplicationContext, type StepJournal } from "./journal.js";
import { settle } from "./replication.js";
import { errorRule } from "./commands/errors.js";
import type { Why } from "./decision.js";
import type { ExpectedReply } from "./reply.js";
import type { RuleId } from "./rule-ids.js";
import { replicaOf, replicaOfNoOne, setLink } from "./topology.js";

export interface StepOutcome extends StepJournal {
  state: ClusterState;
  /** The reply the action's client gets (commands, transactions, WAIT, REPLICAOF, CONFIG SET, SAVE). */
  reply?: ExpectedReply;
  /** The rule the reply applies (absent for a WAIT count, which is judged with its own rules). */
  replyWhy?: Why;
  /** The choices that lead to this outcome (empty when the step is deterministic). */
  path: string[];
}

function applyAction(rc: ReplicationContext, a: Action): ExpectedReply | undefined {
  const c = rc.cluster;
  switch (a.kind) {
    case "command":
      c.now = a.now;
      return clientCommand(rc, node(c, a.node), a.db, a.argv);
    case "transaction":
      c.now = a.now;
      return clientTransaction(rc, node(c, a.node), a.db, a.commands);
    case "wait":
      return clientWait(rc, node(c, a.node), a.numReplicas, a.timeoutMs);
    case "link":
      setLink(rc, node(c, a.replica), a.state, a.master);
      return undefined;
    case "replicaof":
      return replicaOf(rc, node(c, a.node), a.master);
    case "replicaof-no-one":
      return replicaOfNoOne(rc, node(c, a.node));
    case "config-set":
      return configSet(rc, node(c, a.node), a.name, a.value);
    case "save":
      return save(node(c, a.node));
    case "restart":
      restart(rc, node(c, a.node), a.save);
      return undefined;
    case "pause":
      c.now = a.now;
      pauseWhile(rc, node(c, a.node), node(c, a.writer), a.db, a.writes);
      return undefined;
    case "crash":
      // With `save ""` a kill and a plain shutdown write nothing: both are a restart without SAVE.
      restart(rc, node(c, a.node), false);
      return undefined;
    case "ping-tick":
      pingTick(rc, node(c, a.node));
      return undefined;
    case "backlog-ttl-expired":
      backlogTtlExpired(rc, node(c, a.node));
      return undefined;
    case "repl-timeout":
      replTimeout(rc, node(c, a.replica));
      return undefined;
    default:
      // A kind added to Action but not here does not compile.
      return a satisfies never;
  }
}

const CONFIG_RULES: Record<ConfigName, RuleId> = {
  "repl-backlog-size": "BACKLOG-4",
  "repl-backlog-ttl": "BACKLOG-6",
  "min-replicas-to-write": "MINREP-1",
  "min-replicas-max-lag": "MINREP-1",
  "replica-read-only": "RO-1",
  "replica-serve-stale-data": "RO-2",
  "repl-diskless-sync": "FULLSYNC-3",
};

/** The rule a reply applies: its error's rule, else the action's. */
function explainReply(a: Action, reply: ExpectedReply): Why | undefined {
  if (reply.kind === "error") {
    const rule = a.kind === "wait" ? "WAIT-5" : errorRule(reply.value);
    if (rule !== undefined) return { rule, clause: `-${reply.value}` };
  }
  switch (a.kind) {
    case "wait":
      return reply.kind === "blocked" ? { rule: "WAIT-4", clause: `WAIT blocks until ${reply.until}` } : undefined;
    case "command":
      return { rule: "CONV-5", clause: `${a.argv[0].toUpperCase()} on ${a.node}'s dataset` };
    case "transaction":
      return { rule: "DATA-6", clause: "EXEC replies with each queued command's reply" };
    case "replicaof":
      return {
        rule: "LINK-7",
        clause: reply.kind === "status" && reply.value !== "OK" ? reply.value : "REPLICAOF host port replies +OK",
      };
    case "replicaof-no-one":
      return { rule: "LINK-7", clause: "REPLICAOF NO ONE replies +OK" };
    case "config-set":
      return { rule: CONFIG_RULES[a.name], clause: `CONFIG SET ${a.name} ${a.value}` };
    case "save":
      return { rule: "RESTART-3", clause: "SAVE writes the RDB" };
    default:
      return undefined;
  }
}

function runOnce(state: ClusterState, action: Action, chooser: Chooser): Omit<StepOutcome, "path"> {
  const rc: ReplicationContext = { cluster: cloneCluster(state), chooser, journal: emptyJournal() };
  const reply = applyAction(rc, action);
  settle(rc);
  trackAckSilence(rc.cluster, action.kind === "command" || action.kind === "transaction" || action.kind === "pause");
  const replyWhy = reply === undefined ? undefined : explainReply(action, reply);
  return { state: rc.cluster, reply, ...(replyWhy === undefined ? {} : { replyWhy }), ...rc.journal };
}

/** Every outcome the action may have (at least one). The input state is never modified. */
export function step(state: ClusterState, action: Action): StepOutcome[] {
  return explore((chooser) => runOnce(state, action, chooser)).map(({ result, path }) => ({ ...result, path }));
}

/** Let replication settle without any action (e.g. right after the cluster was built). */
export function settleCluster(state: ClusterState): StepOutcome[] {
  return explore((chooser) => {
    const rc: ReplicationContext = { cluster: cloneCluster(state), chooser, journal: emptyJournal() };
    settle(rc);
    return { state: rc.cluster, ...rc.journal };
  }).map(({ result, path }) => ({ ...result, path }));
}
