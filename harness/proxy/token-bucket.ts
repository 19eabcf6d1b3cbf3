// Token bucket for throttled links: smooth output in small chunks instead of one burst per second.

/** Burst allowance: 20 ms of traffic, so a throttled link never dumps a large backlog at once. */
const BURST_SECONDS = 0.02;
/** Smallest chunk worth a timer: 5 ms of traffic, capped so slow links still send small pieces. */
const MIN_CHUNK_SECONDS = 0.005;
const MAX_MIN_CHUNK_BYTES = 16 * 1024;

export class TokenBucket {
  private tokens: number;
  private lastRefill: number;
  private bytesPerSecond: number;

  constructor(
    bytesPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.bytesPerSecond = bytesPerSecond;
    this.lastRefill = this.now();
    // Start with one small chunk so the first bytes of a throttled link are not delayed.
    this.tokens = this.minChunk;
  }

  get rate(): number {
    return this.bytesPerSecond;
  }

  /** Bytes worth waiting for before writing again (never more than what is queued). */
  get minChunk(): number {
    return Math.max(1, Math.min(MAX_MIN_CHUNK_BYTES, Math.floor(this.bytesPerSecond * MIN_CHUNK_SECONDS)));
  }

  private get burst(): number {
    return Math.max(this.minChunk, Math.floor(this.bytesPerSecond * BURST_SECONDS));
  }

  setRate(bytesPerSecond: number): void {
    this.refill(); // bytes earned so far were earned at the old rate
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = Math.min(this.tokens, this.burst);
  }

  /** Whole bytes that may be sent now. */
  available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  take(bytes: number): void {
    this.tokens -= bytes;
  }

  /** Milliseconds until `bytes` tokens are available (at least 1, so timers always advance). */
  msUntil(bytes: number): number {
    this.refill();
    const missing = bytes - this.tokens;
    return Math.max(1, Math.ceil((missing / this.bytesPerSecond) * 1000));
  }

  private refill(): void {
    const now = this.now();
    const earned = ((now - this.lastRefill) / 1000) * this.bytesPerSecond;
    this.lastRefill = now;
    this.tokens = Math.min(this.burst, this.tokens + earned);
  }
}
