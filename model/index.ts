// The reference model: pure, deterministic, synchronous. See spec/ for the rules it implements.

export type { Action, ConfigName } from "./actions.js";
export { describeAction } from "./actions.js";
export { backlogCovers, backlogWindow, BACKLOG_MIN_SIZE, clampBacklogSize, type Backlog } from "./backlog.js";
export { explore, firstChoice, TooManyOutcomes, type Chooser } from "./choice.js";
export {
  cloneCluster,
  createCluster,
  edgeKey,
  goodReplicaRange,
  linkOf,
  replicaClients,
  rootOf,
  type ClusterState,
  type ModelLinkState,
  type NodeSpec,
} from "./cluster.js";
export { ModelUnsupported, type PropagatedOp } from "./commands/context.js";
export { errorRule } from "./commands/errors.js";
export { lookupCommand, modelledCommands } from "./commands/table.js";
export { Dataset, type DatasetDigest, type KeyDigest } from "./keyspace.js";
export { parseMemory } from "./lifecycle.js";
export { defaultConfig, type Count, type NodeConfig, type NodeState } from "./node.js";
export { predictCluster, predictNode, settledOffsets, type NodePrediction } from "./predict.js";
export { detectProfile, getProfile, PROFILES, type Profile, type ProfileId } from "./profile.js";
export {
  allClauses,
  CLAUSES,
  clauseApplies,
  clauseAppliesToCluster,
  clauseUnreachable,
  distinctClauses,
  ruleClauseOf,
  type ClauseId,
  type ClauseOf,
  type ClauseRule,
  type RuleClause,
} from "./clauses.js";
export {
  decisionsFor,
  type ClausedWhy,
  type Decision,
  type DecisionAbout,
  type ItemWhy,
  type Why,
} from "./decision.js";
export {
  decidePsync,
  describeRequest,
  psyncCounters,
  psyncRequest,
  type PsyncDecision,
  type PsyncRequest,
  type PsyncVerdict,
} from "./psync.js";
export type { StepJournal, SyncEvent } from "./journal.js";
export { isRuleId, RULE_IDS, RULES, type RuleId } from "./rule-ids.js";
export { NO_REPLID, ZERO_REPLID_HEX, type ReplId } from "./replid.js";
export type { ExpectedReply, Reply } from "./reply.js";
export { argvBytes, EXEC_BYTES, GETACK_BYTES, MULTI_BYTES, PING_BYTES, selectBytes } from "./resp-size.js";
export { fullSyncOverruns, replicaOutputLimit } from "./full-sync.js";
export { settleCluster, step, type StepOutcome } from "./step.js";
export { emitUnit, type StreamItem } from "./stream.js";
