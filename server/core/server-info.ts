// The core's INFO sections (server.c genRedisInfoString, 7.0 fields): server, clients, memory,
// stats, cpu, keyspace and the fixed ones. Persistence and replication are the replication
// layer's. The entry point defines them, so the registry and the server stay independent.

import os from "node:os";
import type { RedisServer } from "./redis-server.js";

export function defineServerInfo(server: RedisServer): void {
  const info = server.info;
  info.define("server", "Server", () => serverSection(server));
  info.define("clients", "Clients", () => clientsSection(server));
  info.define("memory", "Memory", () => memorySection(server));
  info.define("stats", "Stats", () => statsSection(server));
  info.define("cpu", "CPU", () => cpuSection());
  info.define("modules", "Modules", () => []);
  info.define("errorstats", "Errorstats", () => []);
  info.define("cluster", "Cluster", () => ["cluster_enabled:0"]);
  info.define("keyspace", "Keyspace", () => keyspaceSection(server));
}

function serverSection(server: RedisServer): string[] {
  const s = server;
  const now = s.now();
  const uptime = Math.floor((now - s.startedAt) / 1000);
  const hz = s.config.getInt("hz");
  return [
    "redis_version:7.0.15",
    "redis_git_sha1:00000000",
    "redis_git_dirty:0",
    "redis_build_id:0",
    "redis_mode:standalone",
    `os:${os.type()} ${os.release()} ${os.arch() === "x64" ? "x86_64" : os.arch()}`,
    "arch_bits:64",
    "monotonic_clock:POSIX clock_gettime",
    "multiplexing_api:epoll",
    "atomicvar_api:c11-builtin",
    "gcc_version:0.0.0",
    `process_id:${process.pid}`,
    "process_supervised:no",
    `run_id:${s.runId}`,
    `tcp_port:${s.port}`,
    `server_time_usec:${now * 1000}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86400)}`,
    `hz:${hz}`,
    `configured_hz:${hz}`,
    `lru_clock:${Math.floor(now / 1000) & 0xffffff}`,
    `executable:${process.execPath}`,
    "config_file:",
    "io_threads_active:0",
    `replcheck_version:${s.replcheckVersion}`,
  ];
}

function clientsSection(server: RedisServer): string[] {
  return [
    `connected_clients:${[...server.clients.values()].filter((c) => c.kind !== "replica").length}`,
    "cluster_connections:0",
    `maxclients:${server.config.getInt("maxclients")}`,
    "client_recent_max_input_buffer:0",
    "client_recent_max_output_buffer:0",
    `blocked_clients:${[...server.clients.values()].filter((c) => c.blocked).length}`,
    "tracking_clients:0",
    "clients_in_timeout_table:0",
  ];
}

function memorySection(server: RedisServer): string[] {
  const mem = process.memoryUsage();
  const maxmemory = server.config.getInt("maxmemory");
  return [
    `used_memory:${mem.heapUsed}`,
    `used_memory_human:${human(mem.heapUsed)}`,
    `used_memory_rss:${mem.rss}`,
    `used_memory_rss_human:${human(mem.rss)}`,
    `used_memory_peak:${mem.heapTotal}`,
    `used_memory_peak_human:${human(mem.heapTotal)}`,
    `maxmemory:${maxmemory}`,
    `maxmemory_human:${human(maxmemory)}`,
    "maxmemory_policy:noeviction",
    "mem_allocator:v8",
  ];
}

function statsSection(server: RedisServer): string[] {
  const st = server.stats;
  return [
    `total_connections_received:${st.totalConnectionsReceived}`,
    `total_commands_processed:${st.totalCommandsProcessed}`,
    "instantaneous_ops_per_sec:0",
    `total_net_input_bytes:${st.totalNetInputBytes}`,
    `total_net_output_bytes:${st.totalNetOutputBytes}`,
    `total_net_repl_input_bytes:${st.totalNetReplInputBytes}`,
    `total_net_repl_output_bytes:${st.totalNetReplOutputBytes}`,
    "instantaneous_input_kbps:0.00",
    "instantaneous_output_kbps:0.00",
    "instantaneous_input_repl_kbps:0.00",
    "instantaneous_output_repl_kbps:0.00",
    `rejected_connections:${st.rejectedConnections}`,
    `sync_full:${st.syncFull}`,
    `sync_partial_ok:${st.syncPartialOk}`,
    `sync_partial_err:${st.syncPartialErr}`,
    `expired_keys:${st.expiredKeys}`,
    "expired_stale_perc:0.00",
    "expired_time_cap_reached_count:0",
    "expire_cycle_cpu_milliseconds:0",
    `evicted_keys:${st.evictedKeys}`,
    "evicted_clients:0",
    "total_eviction_exceeded_time:0",
    "current_eviction_exceeded_time:0",
    `keyspace_hits:${st.keyspaceHits}`,
    `keyspace_misses:${st.keyspaceMisses}`,
    "pubsub_channels:0",
    "pubsub_patterns:0",
    "pubsubshard_channels:0",
    "latest_fork_usec:0",
    "total_forks:0",
    "migrate_cached_sockets:0",
    "slave_expires_tracked_keys:0",
    `unexpected_error_replies:${st.unexpectedErrorReplies}`,
    `total_error_replies:${st.totalErrorReplies}`,
  ];
}

function cpuSection(): string[] {
  const u = process.cpuUsage();
  const sys = (u.system / 1e6).toFixed(6);
  const user = (u.user / 1e6).toFixed(6);
  return [
    `used_cpu_sys:${sys}`,
    `used_cpu_user:${user}`,
    "used_cpu_sys_children:0.000000",
    "used_cpu_user_children:0.000000",
    `used_cpu_sys_main_thread:${sys}`,
    `used_cpu_user_main_thread:${user}`,
  ];
}

function keyspaceSection(server: RedisServer): string[] {
  const lines: string[] = [];
  const now = server.now();
  for (const db of server.keyspace.dbs) {
    if (db.size === 0) continue;
    lines.push(
      `db${db.id}:keys=${db.size},expires=${db.volatileKeys.size},avg_ttl=${averageTtl(db.volatileKeys, db.dict, now)}`,
    );
  }
  return lines;
}

/** Mean remaining TTL over (at most the first 1000) volatile keys; Redis shows an estimate too. */
function averageTtl(keys: Set<string>, dict: ReadonlyMap<string, { expireAt?: number }>, now: number): number {
  let n = 0;
  let sum = 0;
  for (const k of keys) {
    const at = dict.get(k)?.expireAt;
    if (at !== undefined && at > now) {
      sum += at - now;
      n++;
    }
    if (n >= 1000) break;
  }
  return n === 0 ? 0 : Math.floor(sum / n);
}

/** bytesToHuman() of Redis. */
function human(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(2)}K`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(2)}M`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)}G`;
}
