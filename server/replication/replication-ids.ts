// The replication ids of a node: replid (40 random hex chars), replid2 (the previous history, 40
// zeros when cleared) and second_repl_offset (first offset not covered by replid2). Every change
// is one named operation below, each the Redis code path it follows (replication.c, server.c).

import { randomBytes } from "node:crypto";

export const REPLID_LENGTH = 40;
export const ZERO_REPLID = "0".repeat(REPLID_LENGTH);

export function randomReplId(): string {
  return randomBytes(REPLID_LENGTH / 2).toString("hex");
}

export class ReplicationIds {
  replid = randomReplId(); // REPLID-1
  replid2 = ZERO_REPLID;
  secondOffset = -1;

  /**
   * changeReplicationId() + clearReplicationId2(): a new history with no previous one (REPLID-2 a
   * master's first backlog, REPLID-6 a freed backlog, DEBUG CHANGE-REPL-ID).
   */
  newHistory(): void {
    this.replid = randomReplId();
    this.clearSecond();
  }

  /** shiftReplicationId() (REPLID-4, on promotion): the current history becomes replid2 up to offset + 1. */
  shift(masterReplOffset: number): void {
    this.replid2 = this.replid;
    this.secondOffset = masterReplOffset + 1;
    this.replid = randomReplId();
  }

  /** readSyncBulkPayload() after a full sync (REPLID-3): the master's history, no previous one. */
  adoptMaster(masterReplid: string): void {
    this.replid = masterReplid;
    this.clearSecond();
  }

  /**
   * slaveTryPartialResynchronization() on `+CONTINUE <newid>` (REPLID-5): the master's previous id
   * stays valid up to our offset + 1, its new id is ours from there on.
   */
  continueWithNewId(previousReplid: string, newReplid: string, masterReplOffset: number): void {
    this.replid2 = previousReplid;
    this.secondOffset = masterReplOffset + 1;
    this.replid = newReplid;
  }

  /** loadDataFromDisk() on a replica (RESTART-1): the RDB's id is ours again. */
  restoreAsReplica(savedReplid: string): void {
    this.replid = savedReplid;
  }

  /** loadDataFromDisk() on a master (RESTART-2, 7.0): the RDB's history becomes replid2 up to its offset + 1. */
  restoreAsMaster(savedReplid: string, savedOffset: number): void {
    this.replid2 = savedReplid;
    this.secondOffset = savedOffset + 1;
  }

  /**
   * PSYNC-1: may a request for `id` starting at `offset` continue this history?
   * strcasecmp: case-insensitive, whole string.
   */
  accepts(id: string, offset: number): boolean {
    const wanted = id.toLowerCase();
    if (wanted === this.replid.toLowerCase()) return true;
    return wanted === this.replid2.toLowerCase() && offset <= this.secondOffset;
  }

  /** clearReplicationId2(). */
  private clearSecond(): void {
    this.replid2 = ZERO_REPLID;
    this.secondOffset = -1;
  }
}
