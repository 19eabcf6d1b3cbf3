// The replication backlog as the model sees it: the window of offsets a node can still serve.
// A ring (6.2, builtin) is byte-exact; a 7.x block backlog is known only within bounds, so the
// first byte offset is an interval [firstLo, firstHi] that is exact when both ends meet.

import type { Profile } from "./profile.js";

export interface Backlog {
  kind: "ring" | "blocks";
  /** Effective configured size (repl-backlog-size after CONFIG SET clamping). */
  size: number;
  /** Lowest possible offset of the first byte held. */
  firstLo: number;
  /** Highest possible offset of the first byte held (== firstLo when exact). */
  firstHi: number;
  /** blocks only: the largest block capacity the backlog may have allocated during its life. */
  blockMax: number;
}

// BACKLOG-4: CONFIG SET clamps to 16 KiB; start-up values are not clamped.
export const BACKLOG_MIN_SIZE = 16 * 1024;
export const clampBacklogSize = (size: number): number => Math.max(size, BACKLOG_MIN_SIZE);

// BACKLOG-1 / BACKLOG-7: a new backlog is empty and starts at offset + 1.
export function createBacklog(profile: Profile, size: number, offset: number): Backlog {
  return {
    kind: profile.backlogKind,
    size,
    firstLo: offset + 1,
    firstHi: offset + 1,
    blockMax: profile.backlogKind === "blocks" ? profile.blockCapacityMax(size) : 0,
  };
}

/** The window after the node's offset advanced to `offset` (bytes fed since the last call). */
export function feedBacklog(b: Backlog, offset: number): Backlog {
  if (b.kind === "ring") {
    // BACKLOG-2: histlen = min(bytes fed, size), first = offset - histlen + 1.
    const first = Math.max(b.firstLo, offset - b.size + 1);
    return { ...b, firstLo: first, firstHi: first };
  }
  // BACKLOG-3: whole blocks are dropped only while more than `size` bytes stay, so once more than
  // `size` bytes were fed: size < histlen <= size + blockMax. No replica pins blocks when the model
  // is compared or decides a PSYNC (the rule says why), so the cap always applies.
  return {
    ...b,
    firstLo: Math.max(b.firstLo, offset - b.size - b.blockMax + 1),
    firstHi: Math.max(b.firstHi, offset - b.size),
  };
}

// BACKLOG-5: CONFIG SET repl-backlog-size on a live backlog.
export function resizeBacklog(profile: Profile, b: Backlog, newSize: number, offset: number): Backlog {
  switch (profile.backlogResize) {
    case "drop-history":
      // 6.2 frees the ring and starts empty when the size actually changes.
      return newSize === b.size ? b : createBacklog(profile, newSize, offset);
    case "keep-newest":
      return feedBacklog({ ...b, size: newSize }, offset);
    case "trim-blocks":
      return feedBacklog(
        { ...b, size: newSize, blockMax: Math.max(b.blockMax, profile.blockCapacityMax(newSize)) },
        offset,
      );
  }
}

export type Coverage = "yes" | "no" | "maybe";

// PSYNC-2: the window check, both ends inclusive: first_byte <= off <= master_repl_offset + 1.
export function backlogCovers(b: Backlog | null, offset: number, requested: number): Coverage {
  if (b === null || requested > offset + 1) return "no";
  if (requested >= b.firstHi) return "yes";
  if (requested < b.firstLo) return "no";
  return "maybe";
}

/** BACKLOG-3: after an uncertain decision was observed, narrow the window to what the outcome proves. */
export function learnCoverage(b: Backlog, requested: number, covered: boolean): Backlog {
  return covered
    ? { ...b, firstHi: Math.min(b.firstHi, requested) }
    : { ...b, firstLo: Math.max(b.firstLo, requested + 1) };
}

export interface BacklogWindow {
  firstLo: number;
  firstHi: number;
  histlenLo: number;
  histlenHi: number;
}

/** The INFO-visible window: repl_backlog_first_byte_offset and repl_backlog_histlen ranges. */
export function backlogWindow(b: Backlog, offset: number): BacklogWindow {
  return {
    firstLo: b.firstLo,
    firstHi: b.firstHi,
    histlenLo: offset - b.firstHi + 1,
    histlenHi: offset - b.firstLo + 1,
  };
}
