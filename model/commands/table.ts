// The model's command table and the single entry point that runs one command.

import type { Profile } from "../profile.js";
import { err, type ExpectedReply } from "../reply.js";
import type { CommandContext, CommandSpec } from "./context.js";
import { arityError, unknownCommand } from "./errors.js";
import { hashCommands } from "./hashes.js";
import { keyCommands } from "./keys.js";
import { listCommands } from "./lists.js";
import { setCommands } from "./sets.js";
import { stringCommands } from "./strings.js";
import { CommandError } from "./values.js";
import { zsetCommands } from "./zsets.js";

const TABLE: ReadonlyMap<string, CommandSpec> = new Map(
  [...stringCommands, ...keyCommands, ...listCommands, ...hashCommands, ...setCommands, ...zsetCommands].map((c) => [c.name, c]),
);

export function lookupCommand(name: string): CommandSpec | undefined {
  return TABLE.get(name.toLowerCase());
}

export const modelledCommands = (): string[] => [...TABLE.keys()];

/** The error a command gets before it runs: unknown command or wrong arity (DATA-8), else null. */
export function precheckCommand(profile: Profile, argv: readonly string[]): string | null {
  const spec = lookupCommand(argv[0]);
  if (spec === undefined) return unknownCommand(argv[0], argv.slice(1), profile.errors.unknownCommandQuote);
  const n = argv.length;
  if ((spec.arity > 0 && n !== spec.arity) || (spec.arity < 0 && n < -spec.arity)) return arityError(spec.name);
  return null;
}

/**
 * Run one already prechecked command. A command error becomes the reply; commands validate before
 * they change anything, and whatever they queued for propagation is dropped.
 */
export function runCommand(ctx: CommandContext, argv: readonly string[]): ExpectedReply {
  const spec = lookupCommand(argv[0])!;
  const opsBefore = ctx.ops.length;
  try {
    return spec.run(ctx, argv);
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    ctx.ops.length = opsBefore;
    return err(e.message);
  }
}
