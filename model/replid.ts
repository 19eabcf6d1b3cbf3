// Symbolic replication ids. Real ids are random 40-hex strings the model cannot know; it names
// them instead ("R1", "R2", ...) and the harness binds each name to the first real id it sees for
// it, requiring a one-to-one mapping. Lineage rules then compare names, not bytes.

export type ReplId = string;

/** replid2 after clearReplicationId2(): 40 zeros in INFO (REPLID-1). */
export const NO_REPLID: ReplId = "none";

export const ZERO_REPLID_HEX = "0".repeat(40);

/** A source of fresh ids, carried in the cluster state so that the model stays deterministic. */
export interface ReplIdCounter {
  next: number;
}

export function freshReplId(counter: ReplIdCounter): ReplId {
  const id = `R${counter.next}`;
  counter.next += 1;
  return id;
}
