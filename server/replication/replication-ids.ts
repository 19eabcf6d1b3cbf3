// The replication ids of a node (facts §4): replid (40 random hex chars), replid2 (the previous
// history, 40 zeros when cleared) and second_repl_offset (first offset not covered by replid2).

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

  /** changeReplicationId(): a new random history id. */
  change(): void {
    this.replid = randomReplId();
  }

  /** clearReplicationId2(). */
  clearSecond(): void {
    this.replid2 = ZERO_REPLID;
    this.secondOffset = -1;
  }

  /** shiftReplicationId() (REPLID-4): the current history becomes replid2 up to offset + 1. */
  shift(masterReplOffset: number): void {
    this.replid2 = this.replid;
    this.secondOffset = masterReplOffset + 1;
    this.change();
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
}
