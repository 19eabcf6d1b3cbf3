// Parsers for the configs whose value has structure: save, client-output-buffer-limit, bind.

import { parseMemory } from "./memory-units.js";

/** Validates and normalizes "save": pairs of "<seconds> <changes>", or "". */
export function parseSave(text: string): string | { error: string } {
  const parts = text.split(" ").filter((p) => p !== "");
  if (parts.length % 2 !== 0) return { error: "Invalid save parameters" };
  for (const p of parts) {
    if (!/^-?\d+$/.test(p) || Number(p) < 1) return { error: "Invalid save parameters" };
  }
  return parts.join(" ");
}

const CLASS_ORDER = ["normal", "slave", "pubsub"] as const;
const CLASS_ALIASES: Record<string, (typeof CLASS_ORDER)[number]> = {
  normal: "normal",
  slave: "slave",
  replica: "slave",
  pubsub: "pubsub",
};

export interface OutputBufferLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

export type OutputBufferLimits = Record<(typeof CLASS_ORDER)[number], OutputBufferLimit>;

export const DEFAULT_OUTPUT_BUFFER_LIMITS = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

export function parseOutputBufferLimits(text: string): OutputBufferLimits | null {
  const limits: Partial<OutputBufferLimits> = {};
  const parts = text.split(" ").filter((p) => p !== "");
  for (let i = 0; i + 3 < parts.length; i += 4) {
    const cls = CLASS_ALIASES[parts[i].toLowerCase()];
    if (cls === undefined) return null;
    limits[cls] = {
      hard: parseMemory(parts[i + 1]) ?? 0,
      soft: parseMemory(parts[i + 2]) ?? 0,
      softSeconds: Number(parts[i + 3]),
    };
  }
  return limits as OutputBufferLimits;
}

/**
 * Merges "class hard soft seconds ..." into the current value like Redis 7.0
 * setConfigClientOutputBufferLimitOption, returning the normalized full text or an error.
 */
export function mergeOutputBufferLimits(current: string, text: string): string | { error: string } {
  const parts = text.split(" ").filter((p) => p !== "");
  if (parts.length % 4 !== 0) return { error: "Wrong number of arguments in buffer limit configuration." };
  const limits =
    parseOutputBufferLimits(current) ?? (parseOutputBufferLimits(DEFAULT_OUTPUT_BUFFER_LIMITS) as OutputBufferLimits);
  const updates: [keyof OutputBufferLimits, OutputBufferLimit][] = [];
  for (let i = 0; i < parts.length; i += 4) {
    const cls = CLASS_ALIASES[parts[i].toLowerCase()];
    if (cls === undefined) return { error: "Invalid client class specified in buffer limit configuration." };
    const hard = parseMemory(parts[i + 1]);
    const soft = parseMemory(parts[i + 2]);
    const secs = /^-?\d+$/.test(parts[i + 3]) ? Number(parts[i + 3]) : NaN;
    if (hard === null || soft === null || Number.isNaN(secs) || hard < 0 || soft < 0 || secs < 0) {
      return { error: "Error in hard, soft or soft_seconds setting in buffer limit configuration." };
    }
    updates.push([cls, { hard, soft, softSeconds: secs }]);
  }
  for (const [cls, limit] of updates) limits[cls] = limit;
  return CLASS_ORDER.map((c) => `${c} ${limits[c].hard} ${limits[c].soft} ${limits[c].softSeconds}`).join(" ");
}

/** bind: one or more addresses separated by spaces (at most 16, like CONFIG_BINDADDR_MAX). */
export function parseBind(text: string): string | { error: string } {
  const parts = text.split(" ").filter((p) => p !== "");
  if (parts.length > 16) return { error: "Too many bind addresses specified." };
  return parts.join(" ");
}
