// The replication backlog of the builtin profile: a byte-exact circular buffer (BACKLOG-2, like
// Redis 6.2's): histlen = min(bytes fed since creation, size); the first byte offset is
// derived by the caller as master_repl_offset - histlen + 1. The buffer grows on demand up to
// `size`, so a large configured backlog costs memory only once it is used.

const INITIAL_CAPACITY = 16 * 1024;

export class RingBacklog {
  private buf: Buffer;
  /** Write position in buf once the ring wraps (buf.length === size). */
  private idx = 0;
  private hist = 0;

  constructor(private sizeBytes: number) {
    this.buf = Buffer.allocUnsafe(Math.max(1, Math.min(sizeBytes, INITIAL_CAPACITY)));
  }

  get size(): number {
    return this.sizeBytes;
  }

  /** repl_backlog_histlen: valid bytes held. */
  get histlen(): number {
    return this.hist;
  }

  feed(data: Buffer): void {
    const len = data.length;
    if (len === 0) return;
    const size = this.sizeBytes;
    if (len >= size) {
      // only the newest `size` bytes survive
      this.ensureCapacity(size);
      data.copy(this.buf, 0, len - size);
      this.idx = 0;
      this.hist = size;
      return;
    }
    if (this.hist + len > this.buf.length && this.buf.length < size) {
      this.ensureCapacity(Math.min(size, Math.max(this.buf.length * 2, this.hist + len)));
    }
    const cap = this.buf.length;
    const first = Math.min(len, cap - this.idx);
    data.copy(this.buf, this.idx, 0, first);
    if (first < len) data.copy(this.buf, 0, first);
    this.idx = (this.idx + len) % cap;
    this.hist = Math.min(this.hist + len, cap);
  }

  /** A copy of the newest `count` bytes (count <= histlen), oldest first. */
  tail(count: number): Buffer {
    if (count < 0 || count > this.hist) throw new RangeError(`backlog holds ${this.hist} bytes, ${count} requested`);
    const out = Buffer.allocUnsafe(count);
    const cap = this.buf.length;
    const start = (this.idx - count + cap) % cap;
    const first = Math.min(count, cap - start);
    this.buf.copy(out, 0, start, start + first);
    if (first < count) this.buf.copy(out, first, 0, count - first);
    return out;
  }

  /** BACKLOG-5 (builtin): a new size keeps the newest min(histlen, size) bytes. */
  resize(newSize: number): void {
    if (newSize === this.sizeBytes) return;
    const keep = Math.min(this.hist, newSize);
    const kept = this.tail(keep);
    this.sizeBytes = newSize;
    this.buf = Buffer.allocUnsafe(Math.max(1, Math.min(newSize, Math.max(keep, INITIAL_CAPACITY))));
    kept.copy(this.buf, 0);
    this.hist = keep;
    this.idx = keep % this.buf.length;
  }

  /** Grows the buffer to `capacity` bytes, history laid out from 0 (only while not wrapped). */
  private ensureCapacity(capacity: number): void {
    if (this.buf.length >= capacity) return;
    const history = this.tail(this.hist);
    this.buf = Buffer.allocUnsafe(capacity);
    history.copy(this.buf, 0);
    this.idx = this.hist % capacity;
  }
}
