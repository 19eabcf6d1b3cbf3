// The configs replcheck's server knows, with Redis 7.0.15 names, aliases, ranges and defaults
// (config.c standardConfig table; checked against the real redis-server with CONFIG GET/SET).

import type { ConfigDefinition } from "./config-types.js";
import { DEFAULT_OUTPUT_BUFFER_LIMITS, mergeOutputBufferLimits, parseBind, parseSave } from "./special-formats.js";

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
// biome-ignore lint/correctness/noPrecisionLoss: the nearest double to LLONG_MAX is what a JS number bound can hold
const LLONG_MAX = 9223372036854775807;
const UINT_MAX = 4294967295;
const MB = 1024 * 1024;

const bool = (name: string, def: boolean, extra: Partial<ConfigDefinition> = {}): ConfigDefinition =>
  ({ type: "bool", name, default: def, ...extra }) as ConfigDefinition;
const int = (
  name: string,
  min: number,
  max: number,
  def: number,
  extra: Partial<ConfigDefinition> = {},
): ConfigDefinition => ({ type: "int", name, min, max, default: def, ...extra }) as ConfigDefinition;
const str = (name: string, def: string, extra: Partial<ConfigDefinition> = {}): ConfigDefinition =>
  ({ type: "string", name, default: def, ...extra }) as ConfigDefinition;
const enumeration = (
  name: string,
  values: string[],
  def: string,
  extra: Partial<ConfigDefinition> = {},
): ConfigDefinition => ({ type: "enum", name, values, default: def, ...extra }) as ConfigDefinition;

/** CONFIG_REPL_BACKLOG_MIN_SIZE: enforced only by CONFIG SET (replication.c resizeReplicationBacklog, run by CONFIG SET, not at start-up). */
export const REPL_BACKLOG_MIN_SIZE = 16384;

export function configDefinitions(cwd: string): ConfigDefinition[] {
  return [
    // networking
    int("port", 0, 65535, 6379, { immutable: true }),
    str("bind", "127.0.0.1", { immutable: true, parse: parseBind }),
    int("maxclients", 1, UINT_MAX, 10000, { unsignedRangeText: true }),
    int("timeout", 0, INT_MAX, 0),
    int("tcp-keepalive", 0, INT_MAX, 300),
    int("tcp-backlog", 0, INT_MAX, 511, { immutable: true }),
    bool("protected-mode", true),
    str("unixsocket", "", { immutable: true }),
    bool("daemonize", false, { immutable: true }),
    str("pidfile", "", { immutable: true }),
    str("logfile", "", { immutable: true }),
    enumeration("loglevel", ["debug", "verbose", "notice", "warning"], "notice"),
    int("proto-max-bulk-len", MB, LLONG_MAX, 512 * MB, { memory: true }),
    int("client-query-buffer-limit", MB, LLONG_MAX, 1024 * MB, { memory: true }),
    str("client-output-buffer-limit", DEFAULT_OUTPUT_BUFFER_LIMITS),
    // security
    str("requirepass", ""),
    str("masterauth", ""),
    str("masteruser", ""),
    enumeration("enable-debug-command", ["no", "yes", "local"], "no", { immutable: true }),
    enumeration("enable-protected-configs", ["no", "yes", "local"], "no", { immutable: true }),
    enumeration("enable-module-command", ["no", "yes", "local"], "no", { immutable: true }),
    // keyspace and expiry
    int("databases", 1, INT_MAX, 16, { immutable: true }),
    int("hz", 0, INT_MAX, 10, { clamp: (v: number) => Math.min(500, Math.max(1, v)) }),
    bool("dynamic-hz", true),
    int("active-expire-effort", 1, 10, 1),
    bool("activerehashing", true),
    int("maxmemory", 0, LLONG_MAX, 0, { memory: true }),
    bool("lazyfree-lazy-eviction", false),
    bool("lazyfree-lazy-expire", false),
    bool("lazyfree-lazy-server-del", false),
    bool("lazyfree-lazy-user-del", false),
    bool("lazyfree-lazy-user-flush", false),
    // persistence
    str("dir", cwd, { protected: true }),
    str("dbfilename", "dump.rdb", { protected: true }),
    str("save", "3600 1 300 100 60 10000", { parse: parseSave }),
    bool("appendonly", false),
    bool("rdbchecksum", true, { immutable: true }),
    bool("rdbcompression", true),
    bool("rdb-del-sync-files", false),
    bool("stop-writes-on-bgsave-error", true),
    int("rdb-key-save-delay", INT_MIN, INT_MAX, 0, { hidden: true }),
    int("key-load-delay", INT_MIN, INT_MAX, 0, { hidden: true }),
    int("shutdown-timeout", 0, INT_MAX, 10),
    // replication
    str("replicaof", "", { aliases: ["slaveof"], immutable: true }),
    int("repl-backlog-size", 1, LLONG_MAX, MB, {
      memory: true,
      clampOnSet: (v: number) => Math.max(REPL_BACKLOG_MIN_SIZE, v),
    }),
    int("repl-backlog-ttl", 0, LLONG_MAX, 3600),
    int("repl-timeout", 1, INT_MAX, 60),
    int("repl-ping-replica-period", 1, INT_MAX, 10, { aliases: ["repl-ping-slave-period"] }),
    bool("repl-diskless-sync", true),
    int("repl-diskless-sync-delay", 0, INT_MAX, 5),
    int("repl-diskless-sync-max-replicas", 0, INT_MAX, 0),
    enumeration("repl-diskless-load", ["disabled", "on-empty-db", "swapdb"], "disabled"),
    bool("repl-disable-tcp-nodelay", false),
    bool("replica-read-only", true, { aliases: ["slave-read-only"] }),
    bool("replica-serve-stale-data", true, { aliases: ["slave-serve-stale-data"] }),
    bool("replica-lazy-flush", false, { aliases: ["slave-lazy-flush"] }),
    bool("replica-ignore-maxmemory", true, { aliases: ["slave-ignore-maxmemory"] }),
    bool("replica-announced", true),
    str("replica-announce-ip", "", { aliases: ["slave-announce-ip"] }),
    int("replica-announce-port", 0, 65535, 0, { aliases: ["slave-announce-port"] }),
    int("replica-priority", 0, INT_MAX, 100, { aliases: ["slave-priority"] }),
    int("min-replicas-to-write", 0, INT_MAX, 0, { aliases: ["min-slaves-to-write"] }),
    int("min-replicas-max-lag", 0, INT_MAX, 10, { aliases: ["min-slaves-max-lag"] }),
  ];
}

/** Configs whose value is merged/validated by a dedicated function on CONFIG SET. */
export const mergeSpecial: Record<string, (current: string, text: string) => string | { error: string }> = {
  "client-output-buffer-limit": mergeOutputBufferLimits,
};
