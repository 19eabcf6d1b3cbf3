// Redis util.c stringmatchlen(): glob matching over binary strings held as latin1 JS strings.
// Ported literally (including the skipLongerMatches shortcut of 7.0) so edge cases agree.

const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 32 : c);

export function globMatch(pattern: string, text: string, nocase = false): boolean {
  const skip = { longer: false };
  return matchImpl(pattern, 0, pattern.length, text, 0, text.length, nocase, skip);
}

function matchImpl(
  pat: string,
  p: number,
  plen: number,
  str: string,
  s: number,
  slen: number,
  nocase: boolean,
  skip: { longer: boolean },
): boolean {
  // C reads past the counted length into the NUL terminator; charAt(out of range) gives 0 here.
  const pc = (i: number): number => (i < pat.length ? pat.charCodeAt(i) : 0);
  const sc = (i: number): number => (i < str.length ? str.charCodeAt(i) : 0);
  while (plen > 0 && slen > 0) {
    const c = pc(p);
    if (c === 0x2a /* * */) {
      while (plen > 0 && pc(p + 1) === 0x2a) {
        p++;
        plen--;
      }
      if (plen === 1) return true;
      while (slen > 0) {
        if (matchImpl(pat, p + 1, plen - 1, str, s, slen, nocase, skip)) return true;
        if (skip.longer) return false;
        s++;
        slen--;
      }
      skip.longer = true;
      return false;
    } else if (c === 0x3f /* ? */) {
      s++;
      slen--;
    } else if (c === 0x5b /* [ */) {
      p++;
      plen--;
      const not = pc(p) === 0x5e;
      if (not) {
        p++;
        plen--;
      }
      let match = false;
      for (;;) {
        if (pc(p) === 0x5c && plen >= 2) {
          p++;
          plen--;
          if (pc(p) === sc(s)) match = true;
        } else if (pc(p) === 0x5d) {
          break;
        } else if (plen === 0) {
          p--;
          plen++;
          break;
        } else if (plen >= 3 && pc(p + 1) === 0x2d) {
          let start = pc(p);
          let end = pc(p + 2);
          let ch = sc(s);
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = lower(start);
            end = lower(end);
            ch = lower(ch);
          }
          p += 2;
          plen -= 2;
          if (ch >= start && ch <= end) match = true;
        } else if (!nocase ? pc(p) === sc(s) : lower(pc(p)) === lower(sc(s))) {
          match = true;
        }
        p++;
        plen--;
      }
      if (not) match = !match;
      if (!match) return false;
      s++;
      slen--;
    } else {
      if (c === 0x5c && plen >= 2) {
        p++;
        plen--;
      }
      const a = pc(p);
      const b = sc(s);
      if (!nocase ? a !== b : lower(a) !== lower(b)) return false;
      s++;
      slen--;
    }
    p++;
    plen--;
    if (slen === 0) {
      while (pc(p) === 0x2a) {
        p++;
        plen--;
      }
      break;
    }
  }
  return plen === 0 && slen === 0;
}
