// Speed figures of the RDB codec (no assertions; run with `npx tsx bench/rdb.ts`).

import type { Entry } from "../server/keyspace/types.js";
import { crc64 } from "../server/rdb/crc64.js";
import { lzfCompress, lzfDecompress } from "../server/rdb/lzf.js";
import { readRdb } from "../server/rdb/reader.js";
import { rdbChunks, writeRdb, type RdbSnapshot } from "../server/rdb/writer.js";

function time<T>(fn: () => T): { result: T; seconds: number } {
  const start = process.hrtime.bigint();
  const result = fn();
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

const mbps = (bytes: number, seconds: number): string => `${(bytes / 1e6 / seconds).toFixed(0)} MB/s`;
const rate = (n: number, seconds: number): string => `${(n / seconds / 1e6).toFixed(2)} M/s`;

function report(label: string, bytes: number, seconds: number, items?: { n: number; what: string }): void {
  const extra = items ? `, ${rate(items.n, seconds)} ${items.what}` : "";
  console.log(
    `${label.padEnd(46)} ${(seconds * 1000).toFixed(0).padStart(6)} ms  ${mbps(bytes, seconds).padStart(10)}${extra}`,
  );
}

function snapshot(db: Map<string, Entry>, compression = true): RdbSnapshot {
  return { databases: [db], checksum: true, compression, now: () => Date.now() };
}

// CRC-64 over 64 MB.
{
  const data = Buffer.alloc(64 << 20);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  crc64(data.subarray(0, 1 << 20)); // warm up
  const { seconds } = time(() => crc64(data));
  report("crc64, 64 MB", data.length, seconds);
}

// LZF on 16 MB of repetitive text.
{
  const text = Buffer.from(Array.from({ length: 400_000 }, (_, i) => `user:${i % 1000} action=${i % 7} ok `).join(""));
  const c = time(() => lzfCompress(text, text.length));
  const compressed = c.result as Buffer;
  report(
    `lzf compress, ${(text.length / 1e6).toFixed(0)} MB text (ratio ${(compressed.length / text.length).toFixed(2)})`,
    text.length,
    c.seconds,
  );
  const d = time(() => lzfDecompress(compressed, text.length));
  report("lzf decompress, same", text.length, d.seconds);
}

// 1M small string keys.
{
  const db = new Map<string, Entry>();
  for (let i = 0; i < 1_000_000; i++)
    db.set(`key:${i}`, { value: { type: "string", value: Buffer.from(`value-${i}`) } });
  writeRdb(snapshot(new Map([...db].slice(0, 10_000)))); // warm up
  const w = time(() => writeRdb(snapshot(db)));
  report("write 1M small strings (one Buffer)", w.result.length, w.seconds, { n: db.size, what: "keys" });
  const s = time(() => {
    let n = 0;
    for (const chunk of rdbChunks(snapshot(db))) n += chunk.length;
    return n;
  });
  report("write 1M small strings (64 KiB chunks)", s.result, s.seconds, { n: db.size, what: "keys" });
  const r = time(() => readRdb(w.result));
  report("read 1M small strings", w.result.length, r.seconds, { n: db.size, what: "keys" });
}

// 100K hashes of 10 fields and 100K sorted sets of 10 members.
{
  const db = new Map<string, Entry>();
  for (let i = 0; i < 100_000; i++) {
    db.set(`h:${i}`, {
      value: {
        type: "hash",
        value: new Map(Array.from({ length: 10 }, (_, f) => [`field${f}`, Buffer.from(`v${i * f}`)])),
      },
    });
    db.set(`z:${i}`, {
      value: { type: "zset", value: new Map(Array.from({ length: 10 }, (_, m) => [`member${m}`, m * 1.5 + i])) },
    });
  }
  const w = time(() => writeRdb(snapshot(db)));
  report("write 100K hashes + 100K zsets (x10 each)", w.result.length, w.seconds, { n: 2_000_000, what: "elements" });
  const r = time(() => readRdb(w.result));
  report("read same", w.result.length, r.seconds, { n: 2_000_000, what: "elements" });
}

// 300 x 100 KB compressible values (LZF path) vs compression off.
{
  const db = new Map<string, Entry>();
  for (let i = 0; i < 300; i++)
    db.set(`big:${i}`, { value: { type: "string", value: Buffer.from(`chunk ${i} `.repeat(10_000)) } });
  const on = time(() => writeRdb(snapshot(db, true)));
  report(`write 300 x 100 KB text, LZF on (${(on.result.length / 1e6).toFixed(1)} MB out)`, 300 * 100_000, on.seconds);
  const off = time(() => writeRdb(snapshot(db, false)));
  report("write same, LZF off", off.result.length, off.seconds);
  const r = time(() => readRdb(on.result));
  report("read the LZF file (MB/s of expanded data)", 300 * 100_000, r.seconds);
}
