// Master side: one replica client (a connection that sent PSYNC or SYNC) and the stream bytes
// on their way to it. Stream bytes are held back while its snapshot is being transferred (and,
// after a diskless transfer, until its first REPLCONF ACK, as 7.0's repl_start_cmd_stream_on_ack)
// and then written once per event-loop iteration.

import type { Client } from "../../core/client.js";
import type { ReplconfInfo } from "./replconf-info.js";

/** SLAVE_STATE_*; INFO shows wait_bgsave for both wait states (replstateToString). */
export type ReplicaState = "wait_bgsave_start" | "wait_bgsave_end" | "send_bulk" | "online";

export interface PeerHost {
  /** Queue the peer for the next write pass. */
  scheduleWrite(peer: ReplicaPeer): void;
  /** Output bytes written to a replica (INFO total_net_repl_output_bytes). */
  countOutput(bytes: number): void;
  /** Enforces client-output-buffer-limit on the peer; may schedule its close. */
  checkOutputLimit(peer: ReplicaPeer): void;
}

export class ReplicaPeer {
  state: ReplicaState = "wait_bgsave_start";
  /** repl_ack_off: the highest offset the replica acknowledged. */
  ackOffset = 0;
  /** repl_ack_time, unix seconds. */
  ackTime = 0;
  /** +FULLRESYNC offset of its last full sync. */
  psyncInitialOffset = -1;
  /** Unix seconds when it started waiting for a snapshot (diskless delay). */
  waitingSince = 0;
  /** Its snapshot goes out with the EOF-mark framing. */
  diskless = false;
  /** A REPLCONF ACK arrived (starts the stream after a diskless transfer). */
  acked = false;
  /** Scheduled to be closed (output-buffer limit, timeout): fed nothing more. */
  closing = false;
  /** obuf_soft_limit_reached_time (unix seconds, 0 = not over the soft limit). */
  softLimitSince = 0;
  /** Progress of a transfer, for the repl-timeout check. */
  lastProgressBytes = 0;
  lastProgressTime = 0;

  private streaming = false;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private out: Buffer[] = [];
  private outBytes = 0;

  constructor(
    readonly client: Client,
    readonly info: ReplconfInfo,
    /** Legacy SYNC (CLIENT_PRE_PSYNC): never acks. */
    readonly preSync: boolean,
    private readonly host: PeerHost,
  ) {}

  get transferring(): boolean {
    return this.state === "wait_bgsave_end" || this.state === "send_bulk";
  }

  /** Stream bytes kept for this replica (held back, queued, or accepted by the socket). */
  get bufferedBytes(): number {
    const socket = this.transferring ? 0 : (this.client.transport.pendingBytes ?? 0);
    return this.heldBytes + this.outBytes + socket;
  }

  /** Stream bytes for this replica (replicationFeedSlaves). WAIT_BGSAVE_START replicas get none. */
  feed(buf: Buffer): void {
    if (this.state === "wait_bgsave_start" || this.closing) return;
    if (this.streaming) {
      if (this.outBytes === 0) this.host.scheduleWrite(this);
      this.out.push(buf);
      this.outBytes += buf.length;
    } else {
      this.held.push(buf);
      this.heldBytes += buf.length;
    }
    this.host.checkOutputLimit(this);
  }

  /** Writes bytes outside the stream (+FULLRESYNC, +CONTINUE, the payload) after anything queued. */
  writeDirect(chunks: Buffer[], onWritten?: () => void): void {
    this.writeQueued();
    let n = 0;
    for (const c of chunks) n += c.length;
    this.host.countOutput(n);
    this.client.transport.write(chunks, onWritten);
  }

  /** Releases the held bytes and streams from now on. */
  startStream(): void {
    if (this.streaming) return;
    this.streaming = true;
    if (this.heldBytes > 0) {
      this.out = this.held;
      this.outBytes = this.heldBytes;
      this.held = [];
      this.heldBytes = 0;
      this.host.scheduleWrite(this);
    }
  }

  get isStreaming(): boolean {
    return this.streaming;
  }

  /** Sends what was queued since the last pass, as one write. */
  writeQueued(): void {
    if (this.outBytes === 0 || this.client.closed) return;
    const data = this.out.length === 1 ? this.out[0] : Buffer.concat(this.out, this.outBytes);
    this.out = [];
    this.outBytes = 0;
    this.host.countOutput(data.length);
    this.client.transport.write([data]);
  }

  /** Forgets everything buffered (the client is gone). */
  discard(): void {
    this.held = [];
    this.heldBytes = 0;
    this.out = [];
    this.outBytes = 0;
  }
}
