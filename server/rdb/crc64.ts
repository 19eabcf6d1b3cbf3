// Redis's CRC-64 (src/crc64.c): Jones polynomial 0xad93d23594c935a9, reflected in and out, initial value
// 0, no final xor. check("123456789") = 0xe9c6d914c4b8d9ca. The RDB trailer stores it little-endian.
//
// The 64-bit state is kept as two uint32 halves so the hot loop never touches BigInt, and input is
// consumed 16 bytes per step with 16 lookup tables (slicing-by-16).

/** Bit-reversed Jones polynomial, split in halves. */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;
const SLICES = 16;

/** TABLE_LO[k * 256 + b] / TABLE_HI[...]: CRC contribution of byte b followed by k zero bytes. */
const TABLE_LO = new Uint32Array(SLICES * 256);
const TABLE_HI = new Uint32Array(SLICES * 256);

function buildTables(): void {
  for (let b = 0; b < 256; b++) {
    let lo = b;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | (hi << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ POLY_LO) >>> 0;
        hi = (hi ^ POLY_HI) >>> 0;
      }
    }
    TABLE_LO[b] = lo;
    TABLE_HI[b] = hi;
  }
  for (let k = 1; k < SLICES; k++) {
    for (let b = 0; b < 256; b++) {
      const prevLo = TABLE_LO[(k - 1) * 256 + b];
      const prevHi = TABLE_HI[(k - 1) * 256 + b];
      const idx = prevLo & 0xff;
      TABLE_LO[k * 256 + b] = (((prevLo >>> 8) | (prevHi << 24)) ^ TABLE_LO[idx]) >>> 0;
      TABLE_HI[k * 256 + b] = ((prevHi >>> 8) ^ TABLE_HI[idx]) >>> 0;
    }
  }
}
buildTables();

/** Incremental CRC-64: feed chunks with update(), read the value with value() / toBufferLE(). */
export class Crc64 {
  private lo = 0;
  private hi = 0;

  update(data: Uint8Array): this {
    let lo = this.lo;
    let hi = this.hi;
    const n = data.length;
    let i = 0;
    const TL = TABLE_LO;
    const TH = TABLE_HI;
    // 16 bytes per step: the first 8 are folded into the state, the next 8 go straight to the tables.
    for (const last = n - 16; i <= last; i += 16) {
      const a = lo ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
      const b = hi ^ (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24));
      const c8 = data[i + 8],
        c9 = data[i + 9],
        c10 = data[i + 10],
        c11 = data[i + 11];
      const c12 = data[i + 12],
        c13 = data[i + 13],
        c14 = data[i + 14],
        c15 = data[i + 15];
      const i15 = 15 * 256 + (a & 0xff);
      const i14 = 14 * 256 + ((a >>> 8) & 0xff);
      const i13 = 13 * 256 + ((a >>> 16) & 0xff);
      const i12 = 12 * 256 + (a >>> 24);
      const i11 = 11 * 256 + (b & 0xff);
      const i10 = 10 * 256 + ((b >>> 8) & 0xff);
      const i9 = 9 * 256 + ((b >>> 16) & 0xff);
      const i8 = 8 * 256 + (b >>> 24);
      const i7 = 7 * 256 + c8,
        i6 = 6 * 256 + c9,
        i5 = 5 * 256 + c10,
        i4 = 4 * 256 + c11;
      const i3 = 3 * 256 + c12,
        i2 = 2 * 256 + c13,
        i1 = 256 + c14,
        i0 = c15;
      lo =
        TL[i15] ^
        TL[i14] ^
        TL[i13] ^
        TL[i12] ^
        TL[i11] ^
        TL[i10] ^
        TL[i9] ^
        TL[i8] ^
        TL[i7] ^
        TL[i6] ^
        TL[i5] ^
        TL[i4] ^
        TL[i3] ^
        TL[i2] ^
        TL[i1] ^
        TL[i0];
      hi =
        TH[i15] ^
        TH[i14] ^
        TH[i13] ^
        TH[i12] ^
        TH[i11] ^
        TH[i10] ^
        TH[i9] ^
        TH[i8] ^
        TH[i7] ^
        TH[i6] ^
        TH[i5] ^
        TH[i4] ^
        TH[i3] ^
        TH[i2] ^
        TH[i1] ^
        TH[i0];
    }
    for (; i < n; i++) {
      const idx = (lo ^ data[i]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TL[idx];
      hi = (hi >>> 8) ^ TH[idx];
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** The CRC so far as an unsigned 64-bit BigInt (only here, never in the loop). */
  value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** The CRC so far as the 8 little-endian bytes of the RDB trailer. */
  toBufferLE(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32LE(this.lo, 0);
    out.writeUInt32LE(this.hi, 4);
    return out;
  }
}

/** One-shot CRC-64 of a buffer (as Redis: crc64(0, data, len)). */
export function crc64(data: Uint8Array): bigint {
  return new Crc64().update(data).value();
}
