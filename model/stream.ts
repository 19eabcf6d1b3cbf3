// The replication stream as a list of items with exact byte sizes, and how one execution unit
// turns into items (SELECT emission and MULTI/EXEC wrapping).

import type { PropagatedOp } from "./commands/context.js";
import type { ItemWhy } from "./decision.js";
import type { Profile } from "./profile.js";
import { argvBytes, EXEC_BYTES, GETACK_BYTES, MULTI_BYTES, PING_BYTES, selectBytes } from "./resp-size.js";

/**
 * An item of the stream. `why`: the decisions that gave it its form and size (several when one
 * item settles several questions, e.g. a command that needed no SELECT and was not rewritten).
 * A `none` item has no bytes: it only carries the decision that a write propagates nothing.
 */
export type StreamItem = (
  | { kind: "select"; db: number; bytes: number }
  | { kind: "command"; db: number; argv: readonly string[]; bytes: number }
  | { kind: "multi" | "exec" | "ping" | "getack" | "none"; bytes: number }
) & { why?: readonly ItemWhy[] };

/** An item at its place in a node's stream: `start` is the offset of its first byte. */
export interface LoggedItem {
  start: number;
  item: StreamItem;
}

// OFFSET-7: the EXEC that closes a wrapped unit (a MULTI without its EXEC is a plausible bug too).
export const EXEC_ITEM: StreamItem = {
  kind: "exec",
  bytes: EXEC_BYTES,
  why: [
    {
      rule: "OFFSET-7",
      clauseId: "exec-closes-unit",
      clause: `EXEC (${EXEC_BYTES} bytes) closes the wrapped unit`,
      alternative: { form: "no EXEC", diff: -EXEC_BYTES },
    },
  ],
};
// OFFSET-4: the cron PING, never preceded by SELECT (sent with the current stream db).
export const PING_ITEM: StreamItem = {
  kind: "ping",
  bytes: PING_BYTES,
  why: [
    {
      rule: "OFFSET-4",
      clauseId: "cron-ping",
      clause: `the replication cron sends ping (${PING_BYTES} bytes) to a master's replicas`,
      alternative: { form: "no ping", diff: -PING_BYTES },
    },
  ],
};
// OFFSET-5: REPLCONF GETACK *, never preceded by SELECT.
export const GETACK_ITEM: StreamItem = {
  kind: "getack",
  bytes: GETACK_BYTES,
  why: [
    {
      rule: "OFFSET-5",
      clauseId: "blocking-wait-sends-getack",
      clause: `a WAIT that blocks sends REPLCONF GETACK * (${GETACK_BYTES} bytes)`,
      alternative: { form: "no GETACK", diff: -GETACK_BYTES },
    },
  ],
};

const shown = (argv: readonly string[]): string => argv.map((a) => (a.length > 24 ? `${a.slice(0, 8)}…` : a)).join(" ");

// OFFSET-2: a command the client's argv propagates as it is, unless the command said otherwise (OFFSET-6, OFFSET-8).
export const commandItem = (op: PropagatedOp, extra: readonly ItemWhy[] = []): StreamItem => {
  const bytes = argvBytes(op.argv);
  const why = op.why ?? {
    rule: "OFFSET-2",
    clauseId: "verbatim-argv",
    clause: `${shown(op.argv)} costs ${bytes} bytes`,
  };
  return { kind: "command", db: op.db, argv: op.argv, bytes, why: [why, ...extra] };
};

// OFFSET-3: a SELECT before a command whose db differs from the stream's (-1 = unset).
export const selectItem = (db: number, previous = -1): StreamItem => {
  const bytes = selectBytes(db);
  const clause =
    previous === -1
      ? `SELECT ${db}: the stream's db was reset (start-up, full-sync setup or promotion)`
      : `SELECT ${db}: the stream last selected db ${previous}`;
  return {
    kind: "select",
    db,
    bytes,
    why: [
      {
        rule: "OFFSET-3",
        clauseId: previous === -1 ? "select-after-reset" : "select-db-change",
        clause,
        alternative: { form: "no SELECT", diff: -bytes },
      },
    ],
  };
};

export interface EmittedUnit {
  items: StreamItem[];
  /** The stream's selected db after the unit (slaveseldb). */
  streamDb: number;
}

/**
 * OFFSET-3 + OFFSET-7: the items one execution unit adds to the stream of a master whose stream db
 * is `streamDb` (-1 = unknown, the next command must SELECT). Ops marked `dropped` propagate
 * nothing (OFFSET-6) and only leave their decision as a `none` item.
 */
export function emitUnit(
  profile: Profile,
  streamDb: number,
  given: readonly PropagatedOp[],
  isTransaction: boolean,
): EmittedUnit {
  const ops = given.filter((o) => o.dropped !== true);
  const markers: StreamItem[] = given
    .filter((o) => o.dropped === true)
    .map((o) => ({ kind: "none", bytes: 0, why: o.why === undefined ? [] : [o.why] }));
  const items: StreamItem[] = [];
  let db = streamDb;
  const select = (want: number): void => {
    if (want !== db) {
      items.push(selectItem(want, db));
      db = want;
    }
  };
  if (ops.length === 0) return { items: markers, streamDb };
  // OFFSET-7: 6.2 wraps every transaction that wrote and every multi-op command; 7.0+ only units of more than one op.
  const wrap = profile.wrapping === "multiple-ops" ? ops.length > 1 : ops.length > 1 || isTransaction;
  const wrapBytes = MULTI_BYTES + EXEC_BYTES;
  const unit = `${isTransaction ? "a transaction" : "a command"} propagating ${ops.length} op${ops.length === 1 ? "" : "s"}`;
  if (wrap) {
    // 6.2/7.0 emit MULTI with the first op's db (SELECT before MULTI); 7.2+ with db -1 (SELECT after MULTI).
    if (!profile.selectInsideMulti) select(ops[0].db);
    items.push({
      kind: "multi",
      bytes: MULTI_BYTES,
      why: [
        {
          rule: "OFFSET-7",
          clauseId: "wrapped",
          clause: `MULTI/EXEC (${wrapBytes} bytes) around ${unit}`,
          alternative: { form: "not wrapped", diff: -wrapBytes },
        },
      ],
    });
  }
  ops.forEach((op, i) => {
    const extra: ItemWhy[] = [];
    // OFFSET-3: a command in the stream's db goes out without SELECT.
    if (op.db === db)
      extra.push({
        rule: "OFFSET-3",
        clauseId: "no-select-same-db",
        clause: `no SELECT: the stream already selected db ${db}`,
        alternative: { form: `SELECT ${db} again`, diff: selectBytes(db) },
      });
    // OFFSET-7: a transaction of one op is not wrapped in 7.0+.
    if (!wrap && isTransaction && i === 0)
      extra.push({
        rule: "OFFSET-7",
        clauseId: "not-wrapped",
        clause: `no MULTI/EXEC around ${unit}`,
        alternative: { form: "wrapped in MULTI/EXEC", diff: wrapBytes },
      });
    select(op.db);
    items.push(commandItem(op, extra));
  });
  if (wrap) items.push(EXEC_ITEM);
  return { items: [...items, ...markers], streamDb: db };
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
