// Splits an inline command line into arguments exactly like Redis' sdssplitargs():
// whitespace separates, "double quotes" understand \xHH \n \r \t \b \a and \<any>,
// 'single quotes' understand only \', a closing quote must be followed by a space or the end,
// and a NUL byte ends the line (sdssplitargs works on a C string).

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const hexValue = (c: number): number =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;

/** Returns the arguments, or null when quotes are unbalanced. */
export function splitInlineArgs(line: Buffer, start: number, end: number): Buffer[] | null {
  const nul = line.indexOf(0, start);
  if (nul !== -1 && nul < end) end = nul;
  const args: Buffer[] = [];
  let p = start;
  for (;;) {
    while (p < end && isSpace(line[p])) p++;
    if (p >= end) return args;
    const bytes: number[] = [];
    let inDouble = false;
    let inSingle = false;
    const tokenStart = p;
    let plain = true; // token without quotes: can be sliced instead of copied
    for (;;) {
      if (inDouble) {
        if (p >= end) return null;
        const c = line[p];
        if (
          c === 0x5c &&
          p + 3 < end &&
          line[p + 1] === 0x78 &&
          hexValue(line[p + 2]) >= 0 &&
          hexValue(line[p + 3]) >= 0
        ) {
          bytes.push(hexValue(line[p + 2]) * 16 + hexValue(line[p + 3]));
          p += 3;
        } else if (c === 0x5c && p + 1 < end) {
          p++;
          const e = line[p];
          bytes.push(
            e === 0x6e ? 0x0a : e === 0x72 ? 0x0d : e === 0x74 ? 0x09 : e === 0x62 ? 0x08 : e === 0x61 ? 0x07 : e,
          );
        } else if (c === 0x22) {
          // closing quote must be followed by a space or nothing
          if (p + 1 < end && !isSpace(line[p + 1])) return null;
          p++;
          break;
        } else {
          bytes.push(c);
        }
        p++;
      } else if (inSingle) {
        if (p >= end) return null;
        const c = line[p];
        if (c === 0x5c && p + 1 < end && line[p + 1] === 0x27) {
          p++;
          bytes.push(0x27);
        } else if (c === 0x27) {
          if (p + 1 < end && !isSpace(line[p + 1])) return null;
          p++;
          break;
        } else {
          bytes.push(c);
        }
        p++;
      } else {
        if (p >= end) break;
        const c = line[p];
        // unlike the leading-space skip, only these four end an unquoted token
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
        if (c === 0x22 || c === 0x27) {
          if (plain) {
            for (let i = tokenStart; i < p; i++) bytes.push(line[i]);
            plain = false;
          }
          if (c === 0x22) inDouble = true;
          else inSingle = true;
        } else if (!plain) {
          bytes.push(c);
        }
        p++;
      }
    }
    args.push(
      plain && !inDouble && !inSingle && bytes.length === 0
        ? Buffer.from(line.subarray(tokenStart, p))
        : Buffer.from(bytes),
    );
  }
}
