// Exact RESP byte sizes of replication-stream items (the table of spec/offsets.md, OFFSET-2).

/** UTF-8 byte length of a string, without Buffer/TextEncoder (the model uses no host APIs). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const digits = (n: number): number => String(n).length;

// OFFSET-2: a multibulk of n args costs (1+digits(n)+2) + Σ(1+digits(len)+2+len+2).
export function argvBytes(argv: readonly string[]): number {
  let total = 1 + digits(argv.length) + 2;
  for (const a of argv) {
    const len = utf8Length(a);
    total += 1 + digits(len) + 2 + len + 2;
  }
  return total;
}

// OFFSET-3: SELECT is `*2\r\n$6\r\nSELECT\r\n$<d>\r\n<db>\r\n` (23 bytes for db 0-9, 24 for 10-99).
export const selectBytes = (db: number): number => argvBytes(["SELECT", String(db)]);

// OFFSET-4: the cron PING is the lowercase `ping` (shared.ping): 14 bytes.
export const PING_BYTES = argvBytes(["ping"]);
// OFFSET-5: REPLCONF GETACK * costs 37 bytes.
export const GETACK_BYTES = argvBytes(["REPLCONF", "GETACK", "*"]);
// OFFSET-7: MULTI 15 bytes, EXEC 14 bytes.
export const MULTI_BYTES = argvBytes(["MULTI"]);
export const EXEC_BYTES = argvBytes(["EXEC"]);
