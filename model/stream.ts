// The replication stream as a list of items with exact byte sizes, and how one execution unit
// turns into items (SELECT emission and MULTI/EXEC wrapping).

import type { PropagatedOp } from "./commands/context.js";
import type { Profile } from "./profile.js";
import { argvBytes, EXEC_BYTES, GETACK_BYTES, MULTI_BYTES, PING_BYTES, selectBytes } from "./resp-size.js";

export type StreamItem =
  | { kind: "select"; db: number; bytes: number }
  | { kind: "command"; db: number; argv: readonly string[]; bytes: number }
  | { kind: "multi" | "exec" | "ping" | "getack"; bytes: number };

/** An item at its place in a node's stream: `start` is the offset of its first byte. */
export interface LoggedItem {
  start: number;
  item: StreamItem;
}

export const MULTI_ITEM: StreamItem = { kind: "multi", bytes: MULTI_BYTES };
export const EXEC_ITEM: StreamItem = { kind: "exec", bytes: EXEC_BYTES };
// OFFSET-4: the cron PING, never preceded by SELECT (sent with the current stream db).
export const PING_ITEM: StreamItem = { kind: "ping", bytes: PING_BYTES };
// OFFSET-5: REPLCONF GETACK *, never preceded by SELECT.
export const GETACK_ITEM: StreamItem = { kind: "getack", bytes: GETACK_BYTES };

export const commandItem = (op: PropagatedOp): StreamItem => ({ kind: "command", db: op.db, argv: op.argv, bytes: argvBytes(op.argv) });
export const selectItem = (db: number): StreamItem => ({ kind: "select", db, bytes: selectBytes(db) });

export interface EmittedUnit {
  items: StreamItem[];
  /** The stream's selected db after the unit (slaveseldb). */
  streamDb: number;
}

/**
 * OFFSET-3 + OFFSET-7: the items one execution unit adds to the stream of a master whose stream db
 * is `streamDb` (-1 = unknown, the next command must SELECT).
 */
export function emitUnit(profile: Profile, streamDb: number, ops: readonly PropagatedOp[], isTransaction: boolean): EmittedUnit {
  const items: StreamItem[] = [];
  let db = streamDb;
  const select = (want: number): void => {
    if (want !== db) {
      items.push(selectItem(want));
      db = want;
    }
  };
  if (ops.length === 0) return { items, streamDb };
  // OFFSET-7: 6.2 wraps every transaction that wrote and every multi-op command; 7.0+ only units of more than one op.
  const wrap = profile.wrapping === "multiple-ops" ? ops.length > 1 : ops.length > 1 || isTransaction;
  if (wrap) {
    // 6.2/7.0 emit MULTI with the first op's db (SELECT before MULTI); 7.2+ with db -1 (SELECT after MULTI).
    if (!profile.selectInsideMulti) select(ops[0].db);
    items.push(MULTI_ITEM);
  }
  for (const op of ops) {
    select(op.db);
    items.push(commandItem(op));
  }
  if (wrap) items.push(EXEC_ITEM);
  return { items, streamDb: db };
}

export const unitBytes = (items: readonly StreamItem[]): number => items.reduce((n, i) => n + i.bytes, 0);

/** Place items at the end of a stream whose last byte is `offset`. */
export function placeItems(items: readonly StreamItem[], offset: number): LoggedItem[] {
  const placed: LoggedItem[] = [];
  let start = offset + 1;
  for (const item of items) {
    placed.push({ start, item });
    start += item.bytes;
  }
  return placed;
}

/** The logged items from offset `from` on, or null when `from` is not an item boundary of the log. */
export function itemsFrom(log: readonly LoggedItem[], from: number, offset: number): LoggedItem[] | null {
  if (from === offset + 1) return [];
  let lo = 0;
  let hi = log.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = log[mid].start;
    if (s === from) return log.slice(mid);
    if (s < from) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

/** Drop items that end before `keepFrom` (they can no longer be served from the backlog). */
export function pruneLog(log: readonly LoggedItem[], keepFrom: number): readonly LoggedItem[] {
  let i = 0;
  while (i < log.length && log[i].start + log[i].item.bytes - 1 < keepFrom) i++;
  return i === 0 ? log : log.slice(i);
}
