// One direction of a proxied connection: reads a source socket and writes a sink socket.
// A pump can hold (no sink yet: parked or still connecting), forward (optionally rate-limited)
// or drop (blackhole). It never buffers without bound: it pauses its source when the sink's
// buffer is full or when more than HOLD_LIMIT_BYTES are queued.
import type { Socket } from "node:net";
import { TokenBucket } from "./token-bucket.js";

/** Most bytes a pump keeps queued before pausing its source (the rest waits in the kernel). */
const HOLD_LIMIT_BYTES = 64 * 1024;

export interface PumpHooks {
  forwarded(bytes: number): void;
  dropped(bytes: number): void;
}

export class Pump {
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private sink: Socket | undefined;
  private limiter: TokenBucket | undefined;
  private dropping = false;
  private awaitingDrain = false;
  private timer: NodeJS.Timeout | undefined;
  private sourceEnded = false;
  private sinkEnded = false;
  private stopped = false;

  constructor(
    private readonly source: Socket,
    private readonly hooks: PumpHooks,
  ) {
    source.on("data", this.onData);
    source.on("end", this.onEnd);
  }

  /** Starts writing to `sink` (held bytes first, in order). */
  attach(sink: Socket): void {
    this.sink = sink;
    this.flush();
  }

  /** undefined = unlimited. A new rate applies to bytes not yet written. */
  setRate(bytesPerSecond: number | undefined): void {
    if (bytesPerSecond === undefined) this.limiter = undefined;
    else if (this.limiter) this.limiter.setRate(bytesPerSecond);
    else this.limiter = new TokenBucket(bytesPerSecond);
    this.cancelTimer();
    this.flush();
  }

  /**
   * Blackhole: discard what is queued and everything read from now on (the source keeps being
   * read, so the sender sees its bytes accepted). Bytes already handed to the sink socket are
   * beyond recall and may still arrive.
   */
  startDropping(): void {
    this.dropping = true;
    this.cancelTimer();
    if (this.queuedBytes > 0) this.hooks.dropped(this.queuedBytes);
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.updateSourceFlow();
  }

  stopDropping(): void {
    this.dropping = false;
    this.flush();
  }

  /** Stops for good (the connection is being torn down). */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.stopped) return;
    if (this.dropping) {
      this.hooks.dropped(chunk.length);
      return;
    }
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    this.flush();
  };

  private readonly onEnd = (): void => {
    this.sourceEnded = true;
    this.flush();
  };

  private readonly onDrain = (): void => {
    this.awaitingDrain = false;
    this.flush();
  };

  private flush(): void {
    const sink = this.sink;
    if (this.stopped || this.dropping || !sink || this.awaitingDrain || this.timer) {
      this.updateSourceFlow();
      return;
    }
    if (sink.destroyed || sink.writableEnded) {
      this.updateSourceFlow();
      return;
    }
    while (this.queuedBytes > 0) {
      let budget = this.queuedBytes;
      if (this.limiter) {
        const wanted = Math.min(this.queuedBytes, this.limiter.minChunk);
        const allowance = this.limiter.available();
        if (allowance < wanted) {
          this.timer = setTimeout(this.onTimer, this.limiter.msUntil(wanted));
          break;
        }
        budget = Math.min(allowance, this.queuedBytes);
        this.limiter.take(budget);
      }
      if (!this.writeUpTo(sink, budget)) {
        this.awaitingDrain = true;
        sink.once("drain", this.onDrain);
        break;
      }
    }
    // Half-close travels like data: only once everything before it has been written.
    if (this.queuedBytes === 0 && this.sourceEnded && !this.sinkEnded) {
      this.sinkEnded = true;
      sink.end();
    }
    this.updateSourceFlow();
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.flush();
  };

  /** Writes up to `budget` queued bytes; false when the sink asks us to wait for 'drain'. */
  private writeUpTo(sink: Socket, budget: number): boolean {
    let more = true;
    while (budget > 0 && this.queue.length > 0 && more) {
      const head = this.queue[0];
      let piece: Buffer;
      if (head.length <= budget) {
        piece = head;
        this.queue.shift();
      } else {
        piece = head.subarray(0, budget);
        this.queue[0] = head.subarray(budget);
      }
      budget -= piece.length;
      this.queuedBytes -= piece.length;
      this.hooks.forwarded(piece.length);
      more = sink.write(piece);
    }
    return more;
  }

  /** Backpressure: read only while the sink can take more and the hold queue is not full. */
  private updateSourceFlow(): void {
    if (this.source.destroyed) return;
    const hold = !this.stopped && !this.dropping && (this.awaitingDrain || this.queuedBytes >= HOLD_LIMIT_BYTES);
    if (hold && !this.source.isPaused()) this.source.pause();
    else if (!hold && this.source.isPaused()) this.source.resume();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
