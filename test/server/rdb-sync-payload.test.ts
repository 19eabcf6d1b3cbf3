import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  diskPreamble,
  eofMarkPreamble,
  newEofMark,
  SyncPayloadError,
  SyncPayloadReceiver,
} from "../../server/rdb/sync-payload.js";

/** Splits `data` at the given cut points (any order, duplicates allowed). */
function split(data: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, data.length]) {
    out.push(data.subarray(from, p));
    from = p;
  }
  return out;
}

function receive(chunks: Buffer[]): { payload: Buffer; rest: Buffer; receiver: SyncPayloadReceiver } {
  const receiver = new SyncPayloadReceiver();
  const data: Buffer[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const p = receiver.push(chunks[i]);
    data.push(...p.data);
    if (p.done) {
      // Bytes in later chunks are the stream too: the caller reads them without the receiver.
      const rest = Buffer.concat([p.rest ?? Buffer.alloc(0), ...chunks.slice(i + 1)]);
      return { payload: Buffer.concat(data), rest, receiver };
    }
  }
  throw new Error(`payload incomplete after ${receiver.received} bytes`);
}

const payloads = fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a));
const cuts = fc.array(fc.nat(10_000), { maxLength: 12 });
const keepalives = fc.nat(3).map((n) => Buffer.from("\n".repeat(n)));
const stream = fc.uint8Array({ maxLength: 50 }).map((a) => Buffer.from(a));

describe("full-sync payload framing", () => {
  it("disk form: $<len>\\r\\n + exactly len bytes, whatever the chunking; the stream that follows is kept", () => {
    fc.assert(
      fc.property(payloads, keepalives, stream, cuts, (payload, ka, tail, cutPoints) => {
        const wire = Buffer.concat([ka, diskPreamble(payload.length), payload, tail]);
        const { payload: got, rest, receiver } = receive(split(wire, cutPoints));
        expect(receiver.mode).toBe("length");
        expect(receiver.expectedLength).toBe(payload.length);
        expect(got.equals(payload)).toBe(true);
        expect(rest.equals(tail)).toBe(true);
      }),
    );
  });

  it("diskless form: $EOF:<mark>\\r\\n + payload + mark, whatever the chunking", () => {
    fc.assert(
      fc.property(payloads, keepalives, stream, cuts, (payload, ka, tail, cutPoints) => {
        const mark = newEofMark();
        const wire = Buffer.concat([ka, eofMarkPreamble(mark), payload, Buffer.from(mark), tail]);
        const { payload: got, rest, receiver } = receive(split(wire, cutPoints));
        expect(receiver.mode).toBe("eof-mark");
        expect(receiver.eofMark).toBe(mark);
        expect(got.equals(payload)).toBe(true);
        expect(rest.equals(tail)).toBe(true);
        expect(receiver.received).toBe(payload.length);
      }),
    );
  });

  it("handles a zero-length payload and byte-by-byte delivery", () => {
    expect(receive([diskPreamble(0)]).payload.length).toBe(0);
    const mark = "0123456789012345678901234567890123456789";
    const wire = Buffer.concat([eofMarkPreamble(mark), Buffer.from("REDIS0010xyz"), Buffer.from(mark)]);
    const bytes = [...wire].map((b) => Buffer.from([b]));
    expect(receive(bytes).payload.toString()).toBe("REDIS0010xyz");
  });

  it("reports master errors and bad preambles like Redis", () => {
    expect(() => new SyncPayloadReceiver().push(Buffer.from("-ERR something\r\n"))).toThrow(
      "MASTER aborted replication with an error: ERR something",
    );
    expect(() => new SyncPayloadReceiver().push(Buffer.from("+OK\r\n"))).toThrow(SyncPayloadError);
    expect(() => new SyncPayloadReceiver().push(Buffer.from("$abc\r\n"))).toThrow(/invalid payload length/);
    expect(() => new SyncPayloadReceiver().push(Buffer.alloc(20_000, 0x24))).toThrow(/no newline/);
    const r = new SyncPayloadReceiver();
    r.push(Buffer.from("$1\r\nx"));
    expect(r.done).toBe(true);
    expect(() => r.push(Buffer.from("y"))).toThrow(/already complete/);
  });

  it("an EOF preamble with a short mark is a length preamble, as in Redis (and then invalid)", () => {
    expect(() => new SyncPayloadReceiver().push(Buffer.from("$EOF:abc\r\n"))).toThrow(/invalid payload length/);
  });
});
