// The replication stream of a node, master or replica: master_repl_offset, the backlog, the
// stream's selected db (slaveseldb) and the replica clients it feeds (replicationFeedSlaves,
// feedReplicationBacklog, 7.0 semantics). A replica feeds it with what it applied of its master's.

import type { PropagatedOp } from "../../core/hooks.js";
import { RingBacklog } from "./ring-backlog.js";
import type { ReplicaPeer } from "./replica-peer.js";
import { EXEC_BYTES, MULTI_BYTES, encodeCommand, selectBytes } from "../stream-encoding.js";

export class ReplicationStream {
  /** master_repl_offset. */
  offset = 0;
  backlog: RingBacklog | null = null;
  /** slaveseldb: -1 forces a SELECT before the next command (OFFSET-3). */
  streamDb = -1;
  /** server.slaves, in attach order (INFO numbering). */
  readonly peers = new Set<ReplicaPeer>();

  /** repl_backlog_first_byte_offset (0 without a backlog, as 7.0 prints it: BACKLOG-9). */
  get firstByteOffset(): number {
    return this.backlog === null ? 0 : this.offset - this.backlog.histlen + 1;
  }

  /** BACKLOG-1 / BACKLOG-7: an empty backlog whose first byte is offset + 1. */
  createBacklog(size: number): void {
    this.backlog = new RingBacklog(size);
  }

  freeBacklog(): void {
    this.backlog = null;
  }

  /** slaveseldb = -1: the next command is preceded by a SELECT (OFFSET-3; promotion, a new full sync). */
  reselectDb(): void {
    this.streamDb = -1;
  }

  /** The stream stands at `offset` from now on (a full sync's offset, or an RDB's on a replica restart). */
  adoptOffset(offset: number): void {
    this.offset = offset;
  }

  /**
   * loadDataFromDisk() on a master (OFFSET-12, RESTART-2): what was fed since start-up follows the
   * RDB's offset, so the backlog's first byte becomes saved offset + 1.
   */
  rebase(savedOffset: number): void {
    this.offset += savedOffset;
  }

  /**
   * OFFSET-1: bytes join the stream only while a backlog exists (7.0 feedReplicationBuffer; a
   * master with replicas always has one). Moves the offset, fills the backlog, feeds replicas.
   */
  append(buf: Buffer): void {
    if (this.backlog === null) return;
    this.offset += buf.length;
    this.backlog.feed(buf);
    for (const peer of this.peers) peer.feed(buf);
  }

  /**
   * A master's execution unit (OFFSET-3, OFFSET-7, 7.0): wrapped in MULTI/EXEC when `wrap`;
   * MULTI carries the first op's db (SELECT comes before it), EXEC the last op's (no SELECT).
   */
  appendUnit(ops: readonly PropagatedOp[], wrap: boolean): void {
    if (this.backlog === null) return;
    if (wrap) {
      this.selectDb(ops[0].db);
      this.append(MULTI_BYTES);
    }
    for (const op of ops) {
      this.selectDb(op.db);
      this.append(encodeCommand(op.argv));
    }
    if (wrap) this.append(EXEC_BYTES);
  }

  /** Items fed with the current stream db (cron PING, GETACK): never a SELECT (OFFSET-3). */
  appendUnselected(buf: Buffer): void {
    this.append(buf);
  }

  private selectDb(db: number): void {
    if (db === this.streamDb) return;
    this.append(selectBytes(db));
    this.streamDb = db;
  }

  /** PSYNC-2: can the backlog serve a replica whose first missing byte is `off`? */
  covers(off: number): boolean {
    if (this.backlog === null) return false;
    const first = this.firstByteOffset;
    return off >= first && off <= first + this.backlog.histlen;
  }

  /** PSYNC-5: the backlog bytes from `off` to the end (master_repl_offset + 1 - off bytes). */
  tailFrom(off: number): Buffer {
    if (this.backlog === null) return Buffer.alloc(0);
    return this.backlog.tail(this.offset + 1 - off);
  }
}
