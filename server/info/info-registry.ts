// INFO: sections in Redis 7.0 order, each produced by a provider. Other layers replace or add
// providers (replication, persistence). Field names and formats follow genRedisInfoString.

import os from "node:os";
import type { RedisServer } from "../core/redis-server.js";

/** Returns the section's "name:value" lines (without the "# Title" header). */
export type InfoProvider = () => string[];

interface Section {
  name: string; // lowercase key
  title: string; // header text
  inDefault: boolean;
  provider: InfoProvider;
}

const DEFAULT_ORDER = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace"];

export class InfoRegistry {
  private readonly sections = new Map<string, Section>();

  constructor(private readonly server: RedisServer) {
    this.define("server", "Server", () => this.serverSection());
    this.define("clients", "Clients", () => this.clientsSection());
    this.define("memory", "Memory", () => this.memorySection());
    this.define("persistence", "Persistence", () => this.persistenceSection());
    this.define("stats", "Stats", () => this.statsSection());
    this.define("replication", "Replication", () => this.replicationSection());
    this.define("cpu", "CPU", () => this.cpuSection());
    this.define("modules", "Modules", () => []);
    this.define("errorstats", "Errorstats", () => []);
    this.define("cluster", "Cluster", () => ["cluster_enabled:0"]);
    this.define("keyspace", "Keyspace", () => this.keyspaceSection());
  }

  /** Adds a section or replaces the provider of an existing one (e.g. "replication"). */
  define(name: string, title: string, provider: InfoProvider, inDefault = true): void {
    const key = name.toLowerCase();
    const existing = this.sections.get(key);
    if (existing) {
      existing.provider = provider;
      return;
    }
    this.sections.set(key, { name: key, title, inDefault, provider });
  }

  setProvider(name: string, provider: InfoProvider): void {
    const s = this.sections.get(name.toLowerCase());
    if (s === undefined) throw new Error(`unknown INFO section '${name}'`);
    s.provider = provider;
  }

  /** The INFO reply text for the requested section names (none = "default"). */
  render(requested: string[]): string {
    const wanted = new Set<string>();
    const names = requested.length === 0 ? ["default"] : requested.map((r) => r.toLowerCase());
    for (const n of names) {
      if (n === "default") for (const s of this.sections.values()) if (s.inDefault) wanted.add(s.name);
      if (n === "all" || n === "everything") for (const s of this.sections.values()) wanted.add(s.name);
      if (this.sections.has(n)) wanted.add(n);
    }
    const order = [...DEFAULT_ORDER, ...[...this.sections.keys()].filter((k) => !DEFAULT_ORDER.includes(k))];
    let out = "";
    let count = 0;
    for (const key of order) {
      if (!wanted.has(key)) continue;
      const s = this.sections.get(key) as Section;
      if (count++ > 0) out += "\r\n";
      out += `# ${s.title}\r\n`;
      for (const line of s.provider()) out += `${line}\r\n`;
    }
    return out;
  }

  private serverSection(): string[] {
    const s = this.server;
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

  private clientsSection(): string[] {
    return [
      `connected_clients:${[...this.server.clients.values()].filter((c) => c.kind !== "replica").length}`,
      "cluster_connections:0",
      `maxclients:${this.server.config.getInt("maxclients")}`,
      "client_recent_max_input_buffer:0",
      "client_recent_max_output_buffer:0",
      `blocked_clients:${[...this.server.clients.values()].filter((c) => c.blocked).length}`,
      "tracking_clients:0",
      "clients_in_timeout_table:0",
    ];
  }

  private memorySection(): string[] {
    const mem = process.memoryUsage();
    const maxmemory = this.server.config.getInt("maxmemory");
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

  private persistenceSection(): string[] {
    return [
      "loading:0",
      "async_loading:0",
      `rdb_changes_since_last_save:${this.server.dirty}`,
      "rdb_bgsave_in_progress:0",
      `rdb_last_save_time:${Math.floor(this.server.startedAt / 1000)}`,
      "rdb_last_bgsave_status:ok",
      "aof_enabled:0",
      "aof_rewrite_in_progress:0",
    ];
  }

  private statsSection(): string[] {
    const st = this.server.stats;
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

  /** A standalone master with no replicas; the replication layer replaces this provider. */
  private replicationSection(): string[] {
    return [
      "role:master",
      "connected_slaves:0",
      "master_failover_state:no-failover",
      `master_replid:${this.server.runId}`,
      "master_replid2:0000000000000000000000000000000000000000",
      "master_repl_offset:0",
      "second_repl_offset:-1",
      "repl_backlog_active:0",
      `repl_backlog_size:${this.server.config.getInt("repl-backlog-size")}`,
      "repl_backlog_first_byte_offset:0",
      "repl_backlog_histlen:0",
    ];
  }

  private cpuSection(): string[] {
    const u = process.cpuUsage();
    const sys = (u.system / 1e6).toFixed(6);
    const user = (u.user / 1e6).toFixed(6);
    return [`used_cpu_sys:${sys}`, `used_cpu_user:${user}`, "used_cpu_sys_children:0.000000", "used_cpu_user_children:0.000000", `used_cpu_sys_main_thread:${sys}`, `used_cpu_user_main_thread:${user}`];
  }

  private keyspaceSection(): string[] {
    const lines: string[] = [];
    const now = this.server.now();
    for (const db of this.server.keyspace.dbs) {
      if (db.size === 0) continue;
      lines.push(`db${db.id}:keys=${db.size},expires=${db.volatileKeys.size},avg_ttl=${averageTtl(db.volatileKeys, db.dict, now)}`);
    }
    return lines;
  }
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
