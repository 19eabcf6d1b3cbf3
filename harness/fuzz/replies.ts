// RESP2 replies as a tree, to compare two servers' answers after the documented masks
// (known-differences.ts) and to print them readably.

/** One RESP2 reply as a tree. */
export type Reply =
  | { kind: "status" | "error" | "integer"; text: string }
  | { kind: "bulk"; value: Buffer | null }
  | { kind: "array"; items: Reply[] | null };

/** The top-level replies in `buf`, and the bytes after the last complete one (a cut-off reply). */
export function parseReplies(buf: Buffer): { replies: Reply[]; rest: Buffer } {
  const replies: Reply[] = [];
  let pos = 0;
  for (;;) {
    const r = parseOne(buf, pos);
    if (r === null) break;
    replies.push(r.reply);
    pos = r.end;
  }
  return { replies, rest: buf.subarray(pos) };
}

/** Counts complete top-level replies as bytes arrive. */
export class ReplyCounter {
  count = 0;
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let pos = 0;
    for (;;) {
      const r = parseOne(this.pending, pos);
      if (r === null) break;
      this.count++;
      pos = r.end;
    }
    this.pending = this.pending.subarray(pos);
  }
}

function parseOne(buf: Buffer, pos: number): { reply: Reply; end: number } | null {
  if (pos >= buf.length) return null;
  const nl = buf.indexOf("\r\n", pos);
  if (nl === -1) return null;
  const type = buf[pos];
  const line = buf.toString("latin1", pos + 1, nl);
  const next = nl + 2;
  switch (type) {
    case 0x2b:
      return { reply: { kind: "status", text: line }, end: next };
    case 0x2d:
      return { reply: { kind: "error", text: line }, end: next };
    case 0x3a:
      return { reply: { kind: "integer", text: line }, end: next };
    case 0x24: {
      const n = Number(line);
      if (n < 0) return { reply: { kind: "bulk", value: null }, end: next };
      if (buf.length < next + n + 2) return null;
      return { reply: { kind: "bulk", value: buf.subarray(next, next + n) }, end: next + n + 2 };
    }
    case 0x2a: {
      const n = Number(line);
      if (n < 0) return { reply: { kind: "array", items: null }, end: next };
      const items: Reply[] = [];
      let at = next;
      for (let i = 0; i < n; i++) {
        const r = parseOne(buf, at);
        if (r === null) return null;
        items.push(r.reply);
        at = r.end;
      }
      return { reply: { kind: "array", items }, end: at };
    }
    default:
      // Not RESP: a server bug. Treat the rest as one opaque status so the comparison shows it.
      return {
        reply: {
          kind: "status",
          text: `<not RESP: ${JSON.stringify(buf.toString("latin1", pos, Math.min(buf.length, pos + 80)))}>`,
        },
        end: buf.length,
      };
  }
}

/** A reply back in RESP2 bytes (as a latin1 string). */
export function encodeReply(r: Reply): string {
  switch (r.kind) {
    case "status":
      return `+${r.text}\r\n`;
    case "error":
      return `-${r.text}\r\n`;
    case "integer":
      return `:${r.text}\r\n`;
    case "bulk":
      return r.value === null ? "$-1\r\n" : `$${r.value.length}\r\n${r.value.toString("latin1")}\r\n`;
    case "array":
      return r.items === null ? "*-1\r\n" : `*${r.items.length}\r\n${r.items.map(encodeReply).join("")}`;
  }
}

/** One line per reply, bytes as a JSON string: what a counterexample shows. */
export function showReply(r: Reply): string {
  return JSON.stringify(encodeReply(r));
}
