// One round trip of observation: INFO replication, stats, server, keyspace and ROLE, pipelined,
// normalised to the fields the model predicts (model/predict.ts NodePrediction; the checker's
// harness/check/observed.ts ObservedNode is this plus the node's name and, at checkpoints, its dataset).

import type { Redis } from "ioredis";
import {
  InfoFormatError,
  keyspaceCounts,
  parseInfo,
  replicationInfo,
  syncStats,
  type InfoSections,
  type ReplicaLine,
} from "./info.js";
import { ioredisPipe, type CommandPipe } from "./pipe.js";
import { parseRole, type RoleReply } from "./role.js";

export interface NodeObservation {
  role: "master" | "slave";
  /** Replicas: `master_host:master_port` (a link proxy's address when the harness set up the edge). */
  masterAddress?: string;
  masterLinkStatus?: "up" | "down";
  connectedSlaves?: number;
  minSlavesGoodSlaves?: number;
  masterReplOffset: number;
  slaveReplOffset?: number;
  /** Raw 40-hex ids; replid2 is 40 zeros when cleared. */
  replid: string;
  replid2: string;
  secondReplOffset: number;
  backlogActive: boolean;
  backlogSize?: number;
  backlogFirstByte: number;
  backlogHistlen: number;
  syncFull?: number;
  syncPartialOk?: number;
  syncPartialErr?: number;
  roleReply: RoleReply;
  /** Replicas: master_sync_in_progress (1 only while the RDB transfer runs). */
  masterSyncInProgress?: boolean;
  /** Masters: the slave<i> lines. */
  replicas: ReplicaLine[];
  /** Keys per db as INFO keyspace (= DBSIZE) reports them; dbs without keys are absent. */
  dbsize: Record<number, number>;
  /** INFO server fields, for detectProfile and reports. */
  server: Record<string, string>;
  /** Everything INFO printed, by section. */
  info: InfoSections;
}

export class ObservationError extends Error {
  override name = "ObservationError";
}

const FULL: string[][] = [
  ["INFO", "replication"],
  ["INFO", "stats"],
  ["INFO", "server"],
  ["INFO", "keyspace"],
  ["ROLE"],
];
// What the checker compares on every poll; INFO server and keyspace are read only when asked for.
const LIGHT: string[][] = [["INFO", "replication"], ["INFO", "stats"], ["ROLE"]];

/** One round trip: `client` is an ioredis client (tests) or the cluster's observer connection. */
export async function observeNode(
  client: Redis | CommandPipe,
  options: { timeoutMs?: number; light?: boolean } = {},
): Promise<NodeObservation> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const pipe = "batch" in client ? client : ioredisPipe(client);
  const COMMANDS = options.light === true ? LIGHT : FULL;
  let replies: unknown[];
  try {
    replies = await pipe.batch(COMMANDS, timeoutMs);
  } catch (e) {
    throw new ObservationError(`observing ${pipe.address}: ${(e as Error).message}`);
  }
  replies.forEach((value, i) => {
    if (value instanceof Error)
      throw new ObservationError(`observing ${pipe.address}: ${COMMANDS[i].join(" ")} failed: ${value.message}`);
  });
  const info: InfoSections = {};
  for (const text of replies.slice(0, -1)) Object.assign(info, parseInfo(String(text)));
  return fromInfoAndRole(info, parseRole(replies[replies.length - 1]));
}

/** Builds the observation from parsed INFO sections and a parsed ROLE (exported for tests on fixed text). */
export function fromInfoAndRole(info: InfoSections, roleReply: RoleReply): NodeObservation {
  const repl = replicationInfo(info);
  const stats = syncStats(info);
  const masterReplOffset = required(repl.masterReplOffset, "master_repl_offset");
  const obs: NodeObservation = {
    role: repl.role,
    masterReplOffset,
    replid: required(repl.masterReplid, "master_replid"),
    replid2: required(repl.masterReplid2, "master_replid2"),
    secondReplOffset: required(repl.secondReplOffset, "second_repl_offset"),
    backlogActive: required(repl.replBacklogActive, "repl_backlog_active"),
    backlogFirstByte: required(repl.replBacklogFirstByteOffset, "repl_backlog_first_byte_offset"),
    backlogHistlen: required(repl.replBacklogHistlen, "repl_backlog_histlen"),
    roleReply,
    replicas: repl.slaves,
    dbsize: keyspaceCounts(info),
    server: info.server ?? {},
    info,
  };
  setIfDefined(obs, "connectedSlaves", repl.connectedSlaves);
  setIfDefined(obs, "minSlavesGoodSlaves", repl.minSlavesGoodSlaves);
  setIfDefined(obs, "backlogSize", repl.replBacklogSize);
  setIfDefined(obs, "syncFull", stats.syncFull);
  setIfDefined(obs, "syncPartialOk", stats.syncPartialOk);
  setIfDefined(obs, "syncPartialErr", stats.syncPartialErr);
  if (repl.role === "slave") {
    if (repl.masterHost !== undefined && repl.masterPort !== undefined)
      obs.masterAddress = `${repl.masterHost}:${repl.masterPort}`;
    const link = repl.masterLinkStatus;
    if (link !== undefined && link !== "up" && link !== "down") {
      throw new InfoFormatError(`INFO replication: master_link_status is ${JSON.stringify(link)}, expected up or down`);
    }
    setIfDefined(obs, "masterLinkStatus", link);
    setIfDefined(obs, "slaveReplOffset", repl.slaveReplOffset);
    setIfDefined(obs, "masterSyncInProgress", repl.masterSyncInProgress);
  }
  return obs;
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined)
    throw new ObservationError(`INFO replication has no ${field} (not a Redis-compatible replication section?)`);
  return value;
}

// Optional fields stay absent (not `undefined`-valued) so that observations compare and print cleanly.
function setIfDefined<K extends keyof NodeObservation>(
  obs: NodeObservation,
  key: K,
  value: NodeObservation[K] | undefined,
): void {
  if (value !== undefined) obs[key] = value;
}
