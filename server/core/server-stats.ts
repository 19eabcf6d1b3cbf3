// Counters shown by INFO stats. The replication layer increments the sync_* and repl byte
// counters; CONFIG RESETSTAT resets them all (resetServerStats).

export class ServerStats {
  totalConnectionsReceived = 0;
  totalCommandsProcessed = 0;
  rejectedConnections = 0;
  expiredKeys = 0;
  evictedKeys = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  syncFull = 0;
  syncPartialOk = 0;
  syncPartialErr = 0;
  totalNetInputBytes = 0;
  totalNetOutputBytes = 0;
  totalNetReplInputBytes = 0;
  totalNetReplOutputBytes = 0;
  totalErrorReplies = 0;
  unexpectedErrorReplies = 0;

  reset(): void {
    this.totalConnectionsReceived = 0;
    this.totalCommandsProcessed = 0;
    this.rejectedConnections = 0;
    this.expiredKeys = 0;
    this.evictedKeys = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.syncFull = 0;
    this.syncPartialOk = 0;
    this.syncPartialErr = 0;
    this.totalNetInputBytes = 0;
    this.totalNetOutputBytes = 0;
    this.totalNetReplInputBytes = 0;
    this.totalNetReplOutputBytes = 0;
    this.totalErrorReplies = 0;
    this.unexpectedErrorReplies = 0;
  }
}
