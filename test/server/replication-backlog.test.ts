// The builtin ring backlog against a naive model (BACKLOG-2, BACKLOG-5), and the RDB load path
// of a database (adopt) keeping SCAN and deletes right.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Database } from "../../server/keyspace/database.js";
import type { Entry } from "../../server/keyspace/types.js";
import { RingBacklog } from "../../server/replication/master/ring-backlog.js";

type Op = { feed: Uint8Array } | { resize: number };

describe("RingBacklog", () => {
  it("holds exactly the newest min(fed, size) bytes through feeds and resizes (BACKLOG-2, BACKLOG-5)", () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 300 }).map((feed) => ({ feed })) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }).map((resize) => ({ resize })) },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.array(op, { maxLength: 60 }), (size, ops) => {
        const ring = new RingBacklog(size);
        let model = Buffer.alloc(0); // what the ring must hold
        let cap = size;
        for (const o of ops) {
          if ("feed" in o) {
            model = Buffer.concat([model, Buffer.from(o.feed)]);
            if (model.length > cap) model = model.subarray(model.length - cap);
            ring.feed(Buffer.from(o.feed));
          } else {
            cap = o.resize;
            if (model.length > cap) model = model.subarray(model.length - cap);
            ring.resize(o.resize);
          }
          expect(ring.histlen).toBe(model.length);
          expect(ring.size).toBe(cap);
          expect(ring.tail(ring.histlen).equals(model)).toBe(true);
          if (model.length > 0) expect(ring.tail(1).equals(model.subarray(model.length - 1))).toBe(true);
        }
      }),
    );
  });

  it("a 16 KiB ring after 50000 bytes: histlen 16384, the tail is the stream's end (BACKLOG-2 example)", () => {
    const ring = new RingBacklog(16384);
    const stream = Buffer.alloc(50_000);
    for (let i = 0; i < stream.length; i++) stream[i] = (i * 7) & 0xff;
    for (let off = 0; off < stream.length; off += 977) ring.feed(stream.subarray(off, off + 977));
    expect(ring.histlen).toBe(16384);
    expect(ring.tail(16384).equals(stream.subarray(50_000 - 16384))).toBe(true);
  });
});

describe("Database.adopt (RDB load)", () => {
  const entry = (v: string, expireAt?: number): Entry => ({
    value: { type: "string", value: Buffer.from(v) },
    ...(expireAt ? { expireAt } : {}),
  });

  function scanAll(db: Database, count: number): string[] {
    const out: string[] = [];
    let cursor = 0;
    do {
      const r = db.scan(cursor, count);
      out.push(...r.keys);
      cursor = r.next;
    } while (cursor !== 0);
    return out;
  }

  it("adopted keys scan in order; deletes, re-adds and compaction keep every live key exactly once", () => {
    const db = new Database(0);
    const n = 5000;
    const m = new Map<string, Entry>();
    for (let i = 0; i < n; i++) m.set(`k${i}`, entry(`v${i}`, i % 10 === 0 ? Date.now() + 100_000 : undefined));
    db.adopt(m);
    expect(db.size).toBe(n);
    expect(db.volatileKeys.size).toBe(n / 10);
    expect(scanAll(db, 7)).toEqual([...m.keys()]);
    for (let i = 0; i < n; i += 2) db.delete(`k${i}`); // triggers compaction on the way
    for (let i = 0; i < n; i += 4) db.add(`k${i}`, entry("again"));
    db.set("k1", { type: "string", value: Buffer.from("changed") });
    const scanned = scanAll(db, 13);
    expect(new Set(scanned).size).toBe(scanned.length);
    expect(scanned.sort()).toEqual([...db.dict.keys()].sort());
    expect(db.getRaw("k1")?.value).toEqual({ type: "string", value: Buffer.from("changed") });
  });
});
