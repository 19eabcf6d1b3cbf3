// Command table entries: Redis 7.0 name, arity, flags and key positions, plus the handler.

import type { CommandContext } from "./command-context.js";

export type CommandFlag =
  | "write"
  | "readonly"
  | "denyoom"
  | "admin"
  | "pubsub"
  | "noscript"
  | "blocking"
  | "loading"
  | "stale"
  | "skip_monitor"
  | "skip_slowlog"
  | "asking"
  | "fast"
  | "no_auth"
  | "may_replicate"
  | "sentinel"
  | "only_sentinel"
  | "no_mandatory_keys"
  | "protected"
  | "no_async_loading"
  | "no_multi"
  | "movablekeys"
  | "allow_busy";

export type CommandHandler = (ctx: CommandContext) => void;

export interface CommandSpec {
  /** Lowercase name ("get"; for a subcommand just "get" with parent "config"). */
  name: string;
  /** "get" or "config|get": the name used in arity errors and COMMAND INFO. */
  fullName: string;
  arity: number;
  flags: ReadonlySet<CommandFlag>;
  firstKey: number;
  lastKey: number;
  keyStep: number;
  /** ACL categories shown by COMMAND INFO (without "@"). */
  categories: readonly string[];
  handler: CommandHandler | null;
  subcommands: Map<string, CommandSpec> | null;
  parent: CommandSpec | null;
  /** Cached flag tests for the hot path. */
  isWrite: boolean;
  isReadonly: boolean;
  /** CMD_TOUCHES_ARBITRARY_KEYS (SCAN...): its unit is never wrapped in MULTI/EXEC. */
  touchesArbitraryKeys: boolean;
}

export interface CommandDefinition {
  name: string;
  arity: number;
  flags: CommandFlag[];
  keys?: [first: number, last: number, step: number];
  categories?: string[];
  handler?: CommandHandler;
  subcommands?: CommandDefinition[];
  touchesArbitraryKeys?: boolean;
}

export function buildSpec(def: CommandDefinition, parent: CommandSpec | null = null): CommandSpec {
  const name = def.name.toLowerCase();
  const flags = new Set(def.flags);
  const [firstKey, lastKey, keyStep] = def.keys ?? [0, 0, 0];
  const spec: CommandSpec = {
    name,
    fullName: parent ? `${parent.name}|${name}` : name,
    arity: def.arity,
    flags,
    firstKey,
    lastKey,
    keyStep,
    categories: def.categories ?? deriveCategories(flags),
    handler: def.handler ?? null,
    subcommands: null,
    parent,
    isWrite: flags.has("write"),
    isReadonly: flags.has("readonly"),
    touchesArbitraryKeys: def.touchesArbitraryKeys ?? false,
  };
  if (def.subcommands) {
    spec.subcommands = new Map();
    for (const sub of def.subcommands) spec.subcommands.set(sub.name.toLowerCase(), buildSpec(sub, spec));
  }
  return spec;
}

function deriveCategories(flags: ReadonlySet<CommandFlag>): string[] {
  const c: string[] = [];
  if (flags.has("write")) c.push("write");
  if (flags.has("readonly")) c.push("read");
  if (flags.has("admin")) c.push("admin", "dangerous");
  if (flags.has("pubsub")) c.push("pubsub");
  c.push(flags.has("fast") ? "fast" : "slow");
  if (flags.has("blocking")) c.push("blocking");
  return c;
}

/** Compact definition helper: def("get", 2, "readonly fast", [1, 1, 1], "read string fast", handler). */
export function def(
  name: string,
  arity: number,
  flags: string,
  keys: [number, number, number] | null,
  categories: string,
  handler: CommandHandler | null,
  extra: Partial<CommandDefinition> = {},
): CommandDefinition {
  return {
    name,
    arity,
    flags: flags.split(" ").filter((f) => f !== "") as CommandFlag[],
    keys: keys ?? [0, 0, 0],
    categories: categories.split(" ").filter((c) => c !== ""),
    ...(handler ? { handler } : {}),
    ...extra,
  };
}
