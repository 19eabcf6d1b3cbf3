// INFO text → sections of fields, and typed views of the replication and stats fields (spec/info.md).
// A field the product does not print is undefined: a capability of that product, not an error.
// A field that is present but malformed is an error: it would make any verdict meaningless.

/** Section name (lower case: "replication", "stats", ...) → field → raw value. */
export type InfoSections = Record<string, Record<string, string>>;

export class InfoFormatError extends Error {
  override name = "InfoFormatError";
}

export function parseInfo(text: string): InfoSections {
  const sections: InfoSections = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") continue;
    if (line.startsWith("#")) {
      const name = line.slice(1).trim().toLowerCase();
      current = sections[name] ??= {};
      continue;
    }
    const colon = line.indexOf(":");
    if (colon < 0) throw new InfoFormatError(`INFO line without a colon: ${JSON.stringify(line)}`);
    // Fields printed before any section header (not done by Redis) are kept under "".
    current ??= sections[""] ??= {};
    current[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return sections;
}

/** One field of an INFO text, whatever its section (undefined when the product does not print it). */
export function infoField(text: string, name: string): string | undefined {
  for (const fields of Object.values(parseInfo(text))) if (name in fields) return fields[name].trim();
  return undefined;
}

/** One `slave<i>:` line of a master (valkey adds type=...). */
export interface ReplicaLine {
  ip: string;
  port: number;
  state: string;
  /** The replica's last acknowledged offset (not the master's). */
  offset: number;
  lag: number;
  /** Valkey: replica | rdb-channel | main-channel. */
  type?: string;
}

export interface ReplicationInfo {
  role: "master" | "slave";
  connectedSlaves?: number;
  minSlavesGoodSlaves?: number;
  /** slave0, slave1, ... in index order. */
  slaves: ReplicaLine[];
  masterHost?: string;
  masterPort?: number;
  masterLinkStatus?: string;
  masterSyncInProgress?: boolean;
  slaveReadReplOffset?: number;
  slaveReplOffset?: number;
  masterReplid?: string;
  masterReplid2?: string;
  masterReplOffset?: number;
  secondReplOffset?: number;
  replBacklogActive?: boolean;
  replBacklogSize?: number;
  replBacklogFirstByteOffset?: number;
  replBacklogHistlen?: number;
}

export interface SyncStatsInfo {
  syncFull?: number;
  syncPartialOk?: number;
  syncPartialErr?: number;
}

/** Typed replication fields from a parsed INFO (the "replication" section). */
export function replicationInfo(info: InfoSections): ReplicationInfo {
  const f = info.replication ?? {};
  const role = f.role;
  if (role !== "master" && role !== "slave") {
    throw new InfoFormatError(`INFO replication: role is ${JSON.stringify(role)}, expected master or slave`);
  }
  return {
    role,
    connectedSlaves: int(f, "connected_slaves"),
    minSlavesGoodSlaves: int(f, "min_slaves_good_slaves"),
    slaves: replicaLines(f),
    masterHost: f.master_host,
    masterPort: int(f, "master_port"),
    masterLinkStatus: f.master_link_status,
    masterSyncInProgress: flag(f, "master_sync_in_progress"),
    slaveReadReplOffset: int(f, "slave_read_repl_offset"),
    slaveReplOffset: int(f, "slave_repl_offset"),
    masterReplid: f.master_replid,
    masterReplid2: f.master_replid2,
    masterReplOffset: int(f, "master_repl_offset"),
    secondReplOffset: int(f, "second_repl_offset"),
    replBacklogActive: flag(f, "repl_backlog_active"),
    replBacklogSize: int(f, "repl_backlog_size"),
    replBacklogFirstByteOffset: int(f, "repl_backlog_first_byte_offset"),
    replBacklogHistlen: int(f, "repl_backlog_histlen"),
  };
}

/** Typed sync counters from a parsed INFO (the "stats" section). */
export function syncStats(info: InfoSections): SyncStatsInfo {
  const f = info.stats ?? {};
  return {
    syncFull: int(f, "sync_full"),
    syncPartialOk: int(f, "sync_partial_ok"),
    syncPartialErr: int(f, "sync_partial_err"),
  };
}

/** Keys per db from the "keyspace" section (`db0:keys=3,expires=0,avg_ttl=0`): what DBSIZE reports. */
export function keyspaceCounts(info: InfoSections): Record<number, number> {
  const out: Record<number, number> = {};
  for (const [field, value] of Object.entries(info.keyspace ?? {})) {
    const db = /^db(\d+)$/.exec(field);
    if (db === null) continue;
    const keys = int(parseKeyValueList(value, field), "keys");
    if (keys === undefined) throw new InfoFormatError(`INFO keyspace: ${field} has no keys= count: ${value}`);
    out[Number(db[1])] = keys;
  }
  return out;
}

function replicaLines(f: Record<string, string>): ReplicaLine[] {
  const lines: { index: number; line: ReplicaLine }[] = [];
  for (const [field, value] of Object.entries(f)) {
    const m = /^slave(\d+)$/.exec(field);
    if (m === null) continue;
    const kv = parseKeyValueList(value, field);
    const ip = kv.ip;
    const state = kv.state;
    const port = int(kv, "port");
    const offset = int(kv, "offset");
    const lag = int(kv, "lag");
    if (ip === undefined || state === undefined || port === undefined || offset === undefined || lag === undefined) {
      throw new InfoFormatError(`INFO replication: ${field} lacks ip/port/state/offset/lag: ${value}`);
    }
    const line: ReplicaLine = { ip, port, state, offset, lag };
    if (kv.type !== undefined) line.type = kv.type;
    lines.push({ index: Number(m[1]), line });
  }
  return lines.sort((a, b) => a.index - b.index).map((l) => l.line);
}

/** `a=1,b=2` → { a: "1", b: "2" }. */
function parseKeyValueList(text: string, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) throw new InfoFormatError(`INFO ${field}: ${JSON.stringify(part)} is not key=value`);
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

function int(f: Record<string, string>, name: string): number | undefined {
  const v = f[name];
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new InfoFormatError(`INFO field ${name} is not an integer: ${JSON.stringify(v)}`);
  return Number(v);
}

function flag(f: Record<string, string>, name: string): boolean | undefined {
  const v = f[name];
  if (v === undefined) return undefined;
  if (v !== "0" && v !== "1") throw new InfoFormatError(`INFO field ${name} is not 0 or 1: ${JSON.stringify(v)}`);
  return v === "1";
}
