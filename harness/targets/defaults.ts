// The start-up configuration that makes replication offsets byte-exact and runs fast (PROFILE-3).
// Only options that Redis 6.2, 7.0, 7.2/7.4 and Valkey 8 all accept: an unknown option makes the
// server refuse to start.

import type { ServerConfig } from "./target.js";

export function deterministicConfig(): ServerConfig {
  return {
    // No cron PINGs (14 bytes each) in the stream. One can still go out at cron loop 0 if replicas
    // already exist at start-up (OFFSET-4).
    "repl-ping-replica-period": "3600",
    // With no PINGs an idle replica would otherwise drop its master after 60 s and PSYNC again
    // (bumping sync_partial_ok); a master would drop a silent replica the same way.
    "repl-timeout": "3600",
    // Disk-based full sync: the stream starts as soon as the RDB is sent, instead of waiting for the
    // replica's first ACK after a diskless transfer (FULLSYNC-3). Defaults differ (6.2 no, 7.0+ yes).
    "repl-diskless-sync": "no",
    // No 5 s wait before a diskless full sync starts (in case a run turns diskless sync on).
    "repl-diskless-sync-delay": "0",
    // The replica keeps serving its old data until the RDB is complete, then flushes and loads it
    // (the default everywhere; swapdb would change when old data disappears).
    "repl-diskless-load": "disabled",
    // Never free a master's backlog: freeing changes the replid (BACKLOG-6, REPLID-6).
    "repl-backlog-ttl": "0",
    // No background saves; RDBs come only from replication and explicit SAVE.
    save: "",
    // AOF changes offsets in 7.2+ (+1 rule, FACK) and writes files we do not want.
    appendonly: "no",
    // DEL vs UNLINK in the stream (3 bytes apart): Valkey 8 defaults these to yes, Redis to no.
    "lazyfree-lazy-eviction": "no",
    "lazyfree-lazy-expire": "no",
    "lazyfree-lazy-server-del": "no",
    "lazyfree-lazy-user-del": "no",
    "lazyfree-lazy-user-flush": "no",
    "replica-lazy-flush": "no",
    // No eviction: evicted keys would put DELs in the stream at unpredictable times.
    maxmemory: "0",
    // serverCron notices a finished BGSAVE (the RDB of a disk full sync) only on its next tick:
    // 100 Hz instead of the default 10 cuts ~90 ms off every full sync. It changes no offset: the
    // replication cron keeps its 1 Hz period, and scenarios hold no keys that expire by themselves.
    hz: "100",
  };
}
