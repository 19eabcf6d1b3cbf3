// The model's command table and the single entry point that runs one command.

import type { Profile } from "../profile.js";
import { err, type ExpectedReply } from "../reply.js";
import { argvBytes } from "../resp-size.js";
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
  [...stringCommands, ...keyCommands, ...listCommands, ...hashCommands, ...setCommands, ...zsetCommands].map((c) => [
    c.name,
    c,
  ]),
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
    const reply = spec.run(ctx, argv);
    if (reply.kind !== "error") explainOps(ctx, spec, argv, opsBefore);
    return reply;
  } catch (e) {
    if (!(e instanceof CommandError)) throw e;
    ctx.ops.length = opsBefore;
    return err(e.message);
  }
}

const sameArgv = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const show = (argv: readonly string[]): string => argv.map((a) => (a.length > 24 ? `${a.slice(0, 8)}…` : a)).join(" ");

/**
 * Record why the ops a command left have their form, so that an offset off by exactly the
 * difference to the client's own argv names the rule: not propagated (OFFSET-6) or rewritten
 * (OFFSET-8). Ops the command explained itself keep their reason; verbatim ops are OFFSET-2's.
 */
function explainOps(ctx: CommandContext, spec: CommandSpec, argv: readonly string[], from: number): void {
  const ops = ctx.ops.slice(from);
  const name = argv[0].toUpperCase();
  if (ops.length === 0) {
    // OFFSET-6: a write that changed nothing is not propagated.
    if (spec.write) {
      const bytes = argvBytes(argv);
      ctx.ops.push({
        db: ctx.db,
        argv,
        dropped: true,
        why: {
          rule: "OFFSET-6",
          clauseId: "unchanged-not-propagated",
          clause: `${name} changed nothing and is not propagated`,
          alternative: { form: show(argv), diff: bytes },
        },
      });
    }
    return;
  }
  if (ops.every((o) => o.why !== undefined)) return;
  if (ops.length === 1 && sameArgv(ops[0].argv, argv)) return;
  // OFFSET-8: propagated in another form than the client sent.
  const bytes = ops.reduce((n, o) => n + argvBytes(o.argv), 0);
  const clause = `${show(argv)} is propagated as ${ops.map((o) => show(o.argv)).join("; ")}`;
  ops.forEach((o, i) => {
    if (o.why !== undefined) return;
    const alternative = i === 0 ? { form: show(argv), diff: argvBytes(argv) - bytes } : undefined;
    ctx.ops[from + i] = {
      ...o,
      why:
        alternative === undefined
          ? { rule: "OFFSET-8", clauseId: "rewritten", clause }
          : { rule: "OFFSET-8", clauseId: "rewritten", clause, alternative },
    };
  });
}
