// One step of the model: apply an action, let replication settle, and return every possible outcome.

import type { Action } from "./actions.js";
import { explore, type Chooser } from "./choice.js";
import { cloneCluster, node, type ClusterState } from "./cluster.js";
import { clientCommand, clientTransaction, clientWait } from "./client.js";
import { backlogTtlExpired, configSet, pingTick, replTimeout, restart, save } from "./lifecycle.js";
import { settle, type ReplicationContext, type StepJournal } from "./replication.js";
import type { ExpectedReply } from "./reply.js";
import { replicaOf, replicaOfNoOne, setLink } from "./topology.js";

export interface StepOutcome extends StepJournal {
  state: ClusterState;
  /** The reply the action's client gets (commands, transactions, WAIT, REPLICAOF, CONFIG SET, SAVE). */
  reply?: ExpectedReply;
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
    case "ping-tick":
      pingTick(rc, node(c, a.node));
      return undefined;
    case "backlog-ttl-expired":
      backlogTtlExpired(rc, node(c, a.node));
      return undefined;
    case "repl-timeout":
      replTimeout(rc, node(c, a.replica));
      return undefined;
  }
}

function runOnce(state: ClusterState, action: Action, chooser: Chooser): Omit<StepOutcome, "path"> {
  const rc: ReplicationContext = { cluster: cloneCluster(state), chooser, journal: { syncs: [], notes: [] } };
  const reply = applyAction(rc, action);
  settle(rc);
  return { state: rc.cluster, reply, ...rc.journal };
}

/** Every outcome the action may have (at least one). The input state is never modified. */
export function step(state: ClusterState, action: Action): StepOutcome[] {
  return explore((chooser) => runOnce(state, action, chooser)).map(({ result, path }) => ({ ...result, path }));
}

/** Let replication settle without any action (e.g. right after the cluster was built). */
export function settleCluster(state: ClusterState): StepOutcome[] {
  return explore((chooser) => {
    const rc: ReplicationContext = { cluster: cloneCluster(state), chooser, journal: { syncs: [], notes: [] } };
    settle(rc);
    return { state: rc.cluster, ...rc.journal };
  }).map(({ result, path }) => ({ ...result, path }));
}
