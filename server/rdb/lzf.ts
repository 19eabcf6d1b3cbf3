// LZF, the compression Redis uses for RDB strings (src/lzf_c.c, src/lzf_d.c). The format:
//   control byte c < 32          -> a literal run of c+1 bytes follows;
//   control byte c >= 32         -> a back reference: length (c >> 5) + 2, where a top value of 7 means
//                                   "add the next byte"; distance ((c & 31) << 8 | next byte) + 1.
// Any compressor producing that format is compatible; this one is a greedy hash-chain-free matcher
// like liblzf's, so its ratio is comparable.

import { RdbError } from "./errors.js";

const MAX_LITERAL_RUN = 32;
const MAX_DISTANCE = 8192;
const MAX_MATCH = 264; // 7 + 255 + 2
const HASH_BITS = 14;
const HASH_SIZE = 1 << HASH_BITS;

/**
 * Hash table of "position + generation base". Entries written by earlier calls are below the current
 * base and therefore read as invalid, so output never depends on earlier inputs and the table never
 * needs clearing (except when the base would overflow).
 */
const table = new Int32Array(HASH_SIZE);
let generationBase = 1;

function hash3(a: number, b: number, c: number): number {
  return (Math.imul((a << 16) | (b << 8) | c, 0x9e3779b1) >>> (32 - HASH_BITS)) & (HASH_SIZE - 1);
}

/**
 * Compress `input`. Returns null when the result would be longer than `maxOutput` bytes (Redis asks
 * for at most len-4 and stores the string verbatim otherwise).
 */
export function lzfCompress(input: Uint8Array, maxOutput: number = input.length): Buffer | null {
  const n = input.length;
  if (n === 0 || maxOutput <= 0) return null;
  if (generationBase > 0x7fffffff - n - MAX_DISTANCE - 1) {
    table.fill(0);
    generationBase = 1;
  }
  const base = generationBase;
  generationBase += n + 1;

  const out = Buffer.allocUnsafe(maxOutput);
  let op = 0;
  let literalStart = 0;
  let ip = 0;

  // Emits input[from, to) as literal runs; false if it does not fit.
  const flushLiterals = (from: number, to: number): boolean => {
    while (from < to) {
      const run = Math.min(MAX_LITERAL_RUN, to - from);
      if (op + 1 + run > maxOutput) return false;
      out[op++] = run - 1;
      for (let k = 0; k < run; k++) out[op++] = input[from + k];
      from += run;
    }
    return true;
  };

  while (ip + 2 < n) {
    const h = hash3(input[ip], input[ip + 1], input[ip + 2]);
    const ref = table[h] - base;
    table[h] = ip + base;
    const distance = ip - ref - 1;
    if (
      ref >= 0 &&
      distance >= 0 &&
      distance < MAX_DISTANCE &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1] &&
      input[ref + 2] === input[ip + 2]
    ) {
      const maxLen = Math.min(n - ip, MAX_MATCH);
      let len = 3;
      while (len < maxLen && input[ref + len] === input[ip + len]) len++;
      if (!flushLiterals(literalStart, ip)) return null;
      const lenCode = len - 2;
      if (lenCode < 7) {
        if (op + 2 > maxOutput) return null;
        out[op++] = (lenCode << 5) | (distance >>> 8);
      } else {
        if (op + 3 > maxOutput) return null;
        out[op++] = (7 << 5) | (distance >>> 8);
        out[op++] = lenCode - 7;
      }
      out[op++] = distance & 0xff;
      // Index the positions inside the match too, so later repeats of them are found.
      const matchEnd = ip + len;
      for (let p = ip + 1; p < matchEnd && p + 2 < n; p++) {
        table[hash3(input[p], input[p + 1], input[p + 2])] = p + base;
      }
      ip = matchEnd;
      literalStart = ip;
    } else {
      ip++;
    }
  }
  if (!flushLiterals(literalStart, n)) return null;
  return out.subarray(0, op);
}

/**
 * Decompress LZF data that must expand to exactly `outputLength` bytes. Throws RdbError on any
 * inconsistency (back reference before the start, overrun, wrong final size).
 */
export function lzfDecompress(input: Uint8Array, outputLength: number): Buffer {
  const out = Buffer.allocUnsafe(outputLength);
  const n = input.length;
  let ip = 0;
  let op = 0;
  while (ip < n) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (ip + run > n) throw new RdbError("Invalid LZF data: literal run past the end of the input");
      if (op + run > outputLength) throw new RdbError("Invalid LZF data: output longer than announced");
      for (let k = 0; k < run; k++) out[op++] = input[ip++];
    } else {
      let len = ctrl >>> 5;
      if (len === 7) {
        if (ip >= n) throw new RdbError("Invalid LZF data: truncated back reference");
        len += input[ip++];
      }
      if (ip >= n) throw new RdbError("Invalid LZF data: truncated back reference");
      let ref = op - ((ctrl & 0x1f) << 8) - input[ip++] - 1;
      len += 2;
      if (ref < 0) throw new RdbError("Invalid LZF data: back reference before the start");
      if (op + len > outputLength) throw new RdbError("Invalid LZF data: output longer than announced");
      // Byte by byte on purpose: a reference may overlap the bytes it produces.
      for (let k = 0; k < len; k++) out[op++] = out[ref++];
    }
  }
  if (op !== outputLength) {
    throw new RdbError(`Invalid LZF data: expanded to ${op} bytes, ${outputLength} announced`);
  }
  return out;
}
