// INFO and ROLE texts for the observation tests. The redis 7.0.15 ones were captured from Debian's
// redis-server through the binary target; the Valkey 8 and Redis 6.2 ones are written from the
// field lists of INFO-1 in spec/info.md (Valkey: valkey_version, type= in slaveN, extra buffer fields;
// 6.2: no repl byte counters in stats, stale backlog fields after the backlog was freed).

const crlf = (lines: string[]): string => `${lines.join("\r\n")}\r\n`;

export const REDIS70_SERVER = crlf([
  "# Server",
  "redis_version:7.0.15",
  "redis_git_sha1:00000000",
  "redis_mode:standalone",
  "os:Linux 6.18.44-fc-v657 x86_64",
  "process_id:23549",
  "run_id:e4a656cbfafb4a7329ebe8a89e7b2c601d6d3503",
  "tcp_port:41657",
  "executable:/usr/bin/redis-server",
  "config_file:",
  "",
]);

export const REDIS70_MASTER = crlf([
  "# Replication",
  "role:master",
  "connected_slaves:1",
  "slave0:ip=127.0.0.1,port=37215,state=online,offset=142,lag=0",
  "master_failover_state:no-failover",
  "master_replid:7bd4fc074946327d6414d432cbb00810f7d85562",
  "master_replid2:0000000000000000000000000000000000000000",
  "master_repl_offset:142",
  "second_repl_offset:-1",
  "repl_backlog_active:1",
  "repl_backlog_size:1048576",
  "repl_backlog_first_byte_offset:1",
  "repl_backlog_histlen:142",
]);

export const REDIS70_STATS = crlf([
  "# Stats",
  "total_connections_received:4",
  "total_net_repl_input_bytes:0",
  "total_net_repl_output_bytes:320",
  "instantaneous_input_repl_kbps:0.00",
  "rejected_connections:0",
  "sync_full:1",
  "sync_partial_ok:0",
  "sync_partial_err:1",
  "expired_keys:0",
  "evicted_keys:0",
]);

export const REDIS70_KEYSPACE = crlf([
  "# Keyspace",
  "db0:keys=4,expires=0,avg_ttl=0",
  "db3:keys=2,expires=1,avg_ttl=86399000",
]);

export const REDIS70_REPLICA = crlf([
  "# Replication",
  "role:slave",
  "master_host:127.0.0.1",
  "master_port:32831",
  "master_link_status:up",
  "master_last_io_seconds_ago:0",
  "master_sync_in_progress:0",
  "slave_read_repl_offset:142",
  "slave_repl_offset:142",
  "slave_priority:100",
  "slave_read_only:1",
  "replica_announced:1",
  "connected_slaves:0",
  "master_failover_state:no-failover",
  "master_replid:7bd4fc074946327d6414d432cbb00810f7d85562",
  "master_replid2:0000000000000000000000000000000000000000",
  "master_repl_offset:142",
  "second_repl_offset:-1",
  "repl_backlog_active:1",
  "repl_backlog_size:1048576",
  "repl_backlog_first_byte_offset:1",
  "repl_backlog_histlen:142",
]);

/** A fresh 7.0.15 node made a replica while its master's disk BGSAVE is slowed by rdb-key-save-delay. ROLE: sync, -1. */
export const REDIS70_REPLICA_SYNCING = crlf([
  "# Replication",
  "role:slave",
  "master_host:127.0.0.1",
  "master_port:38053",
  "master_link_status:down",
  "master_last_io_seconds_ago:-1",
  "master_sync_in_progress:1",
  "slave_read_repl_offset:0",
  "slave_repl_offset:0",
  "master_sync_total_bytes:-1",
  "master_sync_read_bytes:0",
  "master_sync_left_bytes:-1",
  "master_sync_perc:-0.00",
  "master_sync_last_io_seconds_ago:0",
  "master_link_down_since_seconds:-1",
  "slave_priority:100",
  "slave_read_only:1",
  "replica_announced:1",
  "connected_slaves:0",
  "master_failover_state:no-failover",
  "master_replid:18b3c4cf61ed46cf2062c47a3c00afb972fef40c",
  "master_replid2:0000000000000000000000000000000000000000",
  "master_repl_offset:0",
  "second_repl_offset:-1",
  "repl_backlog_active:0",
  "repl_backlog_size:1048576",
  "repl_backlog_first_byte_offset:0",
  "repl_backlog_histlen:0",
]);
export const REDIS70_REPLICA_SYNCING_ROLE = ["slave", "127.0.0.1", 38053, "sync", -1];

/** Its master at the same moment, with min-replicas-to-write 1: the replica waits for the BGSAVE. ROLE lists no replica. */
export const REDIS70_MASTER_SYNCING = crlf([
  "# Replication",
  "role:master",
  "connected_slaves:1",
  "min_slaves_good_slaves:0",
  "slave0:ip=127.0.0.1,port=37003,state=wait_bgsave,offset=0,lag=0",
  "master_failover_state:no-failover",
  "master_replid:88282898a08d30ad4ce1d45f08c35afd7b46353e",
  "master_replid2:0000000000000000000000000000000000000000",
  "master_repl_offset:0",
  "second_repl_offset:-1",
  "repl_backlog_active:1",
  "repl_backlog_size:1048576",
  "repl_backlog_first_byte_offset:1",
  "repl_backlog_histlen:0",
]);
export const REDIS70_MASTER_SYNCING_ROLE = ["master", 0, []];

export const VALKEY8_SERVER = crlf([
  "# Server",
  "redis_version:7.2.4",
  "server_name:valkey",
  "valkey_version:8.0.1",
  "valkey_git_sha1:00000000",
  "process_id:4242",
  "tcp_port:6379",
]);

export const VALKEY8_MASTER = crlf([
  "# Replication",
  "role:master",
  "connected_slaves:2",
  "slave0:ip=127.0.0.1,port=7001,state=online,offset=5000,lag=0,type=replica",
  "slave1:ip=::1,port=7002,state=wait_bgsave,offset=0,lag=0,type=replica",
  "replicas_waiting_psync:0",
  "master_failover_state:no-failover",
  "master_replid:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "master_replid2:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
  "master_repl_offset:5000",
  "second_repl_offset:4001",
  "repl_backlog_active:1",
  "repl_backlog_size:10485760",
  "repl_backlog_first_byte_offset:1",
  "repl_backlog_histlen:5000",
]);

export const VALKEY8_REPLICA = crlf([
  "# Replication",
  "role:slave",
  "master_host:127.0.0.1",
  "master_port:7000",
  "master_link_status:up",
  "master_last_io_seconds_ago:1",
  "master_sync_in_progress:0",
  "slave_read_repl_offset:5000",
  "slave_repl_offset:5000",
  "replicas_repl_buffer_size:0",
  "replicas_repl_buffer_peak:0",
  "slave_priority:100",
  "slave_read_only:1",
  "replica_announced:1",
  "connected_slaves:0",
  "master_failover_state:no-failover",
  "master_replid:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "master_replid2:0000000000000000000000000000000000000000",
  "master_repl_offset:5000",
  "second_repl_offset:-1",
  "repl_backlog_active:1",
  "repl_backlog_size:10485760",
  "repl_backlog_first_byte_offset:4001",
  "repl_backlog_histlen:1000",
]);

export const REDIS62_SERVER = crlf(["# Server", "redis_version:6.2.16", "redis_mode:standalone", "process_id:99"]);

/** A 6.2 master whose backlog was freed by repl-backlog-ttl: active 0 with the stale window. */
export const REDIS62_MASTER_BACKLOG_FREED = crlf([
  "# Replication",
  "role:master",
  "connected_slaves:0",
  "master_failover_state:no-failover",
  "master_replid:cccccccccccccccccccccccccccccccccccccccc",
  "master_replid2:0000000000000000000000000000000000000000",
  "master_repl_offset:50",
  "second_repl_offset:-1",
  "repl_backlog_active:0",
  "repl_backlog_size:1048576",
  "repl_backlog_first_byte_offset:1",
  "repl_backlog_histlen:50",
]);

export const REDIS62_STATS = crlf([
  "# Stats",
  "total_connections_received:3",
  "total_net_input_bytes:100",
  "sync_full:1",
  "sync_partial_ok:0",
  "sync_partial_err:0",
  "expired_keys:0",
]);
