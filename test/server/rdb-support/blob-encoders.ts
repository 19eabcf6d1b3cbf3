// Test-only encoders for the compact blobs Redis stores inside RDB values, written from the format
// descriptions (listpack.c, ziplist.c, intset.c, zipmap.c headers). They let tests build RDB files in
// encodings the writer never produces (e.g. the Redis 6.2 ziplists) and check them against a real server.

export type BlobEntry = Buffer | string | bigint | number;

const asBytes = (e: Buffer | string): Buffer => (typeof e === "string" ? Buffer.from(e, "latin1") : e);
const isInt = (e: BlobEntry): e is bigint | number => typeof e === "bigint" || typeof e === "number";

function intLE(v: bigint, width: number): Buffer {
  const b = Buffer.alloc(width);
  let u = BigInt.asUintN(width * 8, v);
  for (let i = 0; i < width; i++, u >>= 8n) b[i] = Number(u & 0xffn);
  return b;
}

function fits(v: bigint, bits: number): boolean {
  return v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits - 1);
}

function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function u16le(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}

// ---------------------------------------------------------------------------------------------- listpack

function listpackEntry(e: BlobEntry): Buffer {
  if (isInt(e)) {
    const v = BigInt(e);
    if (v >= 0n && v <= 127n) return Buffer.from([Number(v)]);
    if (fits(v, 13)) {
      const u = Number(BigInt.asUintN(13, v));
      return Buffer.from([0xc0 | (u >> 8), u & 0xff]);
    }
    if (fits(v, 16)) return Buffer.concat([Buffer.from([0xf1]), intLE(v, 2)]);
    if (fits(v, 24)) return Buffer.concat([Buffer.from([0xf2]), intLE(v, 3)]);
    if (fits(v, 32)) return Buffer.concat([Buffer.from([0xf3]), intLE(v, 4)]);
    return Buffer.concat([Buffer.from([0xf4]), intLE(v, 8)]);
  }
  const s = asBytes(e);
  if (s.length < 64) return Buffer.concat([Buffer.from([0x80 | s.length]), s]);
  if (s.length < 4096) return Buffer.concat([Buffer.from([0xe0 | (s.length >> 8), s.length & 0xff]), s]);
  return Buffer.concat([Buffer.from([0xf0]), u32le(s.length), s]);
}

function backlen(l: number): Buffer {
  // Same size thresholds as lpEncodeBacklen (which pads with a leading zero group at the exact bounds).
  const size = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
  const out: number[] = [];
  for (let i = 0; i < size; i++) {
    const group = Math.floor(l / 2 ** (7 * (size - 1 - i))) & 127;
    // Most significant group first; every byte but the first is flagged with 128.
    out.push(i === 0 ? group : group | 128);
  }
  return Buffer.from(out);
}

export function encodeListpack(entries: BlobEntry[]): Buffer {
  const body = entries.map((e) => {
    const enc = listpackEntry(e);
    return Buffer.concat([enc, backlen(enc.length)]);
  });
  const total = 6 + body.reduce((n, b) => n + b.length, 0) + 1;
  return Buffer.concat([u32le(total), u16le(Math.min(entries.length, 0xffff)), ...body, Buffer.from([0xff])]);
}

// ----------------------------------------------------------------------------------------------- ziplist

function ziplistEncoding(e: BlobEntry): Buffer {
  if (isInt(e)) {
    const v = BigInt(e);
    if (v >= 0n && v <= 12n) return Buffer.from([0xf1 + Number(v)]);
    if (fits(v, 8)) return Buffer.concat([Buffer.from([0xfe]), intLE(v, 1)]);
    if (fits(v, 16)) return Buffer.concat([Buffer.from([0xc0]), intLE(v, 2)]);
    if (fits(v, 24)) return Buffer.concat([Buffer.from([0xf0]), intLE(v, 3)]);
    if (fits(v, 32)) return Buffer.concat([Buffer.from([0xd0]), intLE(v, 4)]);
    return Buffer.concat([Buffer.from([0xe0]), intLE(v, 8)]);
  }
  const s = asBytes(e);
  if (s.length < 64) return Buffer.concat([Buffer.from([s.length]), s]);
  if (s.length < 16384) return Buffer.concat([Buffer.from([0x40 | (s.length >> 8), s.length & 0xff]), s]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(s.length);
  return Buffer.concat([Buffer.from([0x80]), len, s]);
}

export function encodeZiplist(entries: BlobEntry[]): Buffer {
  const body: Buffer[] = [];
  let prev = 0;
  let offset = 10;
  let tail = 10;
  for (const e of entries) {
    const prevlen = prev < 254 ? Buffer.from([prev]) : Buffer.concat([Buffer.from([0xfe]), u32le(prev)]);
    const entry = Buffer.concat([prevlen, ziplistEncoding(e)]);
    tail = offset;
    offset += entry.length;
    prev = entry.length;
    body.push(entry);
  }
  const total = offset + 1;
  return Buffer.concat([
    u32le(total),
    u32le(tail),
    u16le(Math.min(entries.length, 0xffff)),
    ...body,
    Buffer.from([0xff]),
  ]);
}

// ------------------------------------------------------------------------------------------------ intset

export function encodeIntset(values: bigint[], width: 2 | 4 | 8): Buffer {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.concat([u32le(width), u32le(sorted.length), ...sorted.map((v) => intLE(v, width))]);
}

// ------------------------------------------------------------------------------------------------ zipmap

function zipmapLen(n: number): Buffer {
  return n < 254 ? Buffer.from([n]) : Buffer.concat([Buffer.from([254]), u32le(n)]);
}

export function encodeZipmap(pairs: Array<[string, string]>, freeBytes = 0): Buffer {
  const body = pairs.map(([f, v]) => {
    const fb = Buffer.from(f, "latin1");
    const vb = Buffer.from(v, "latin1");
    return Buffer.concat([
      zipmapLen(fb.length),
      fb,
      zipmapLen(vb.length),
      Buffer.from([freeBytes]),
      vb,
      Buffer.alloc(freeBytes),
    ]);
  });
  return Buffer.concat([Buffer.from([Math.min(pairs.length, 254)]), ...body, Buffer.from([0xff])]);
}
