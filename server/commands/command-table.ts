// Case-insensitive command lookup. The entry point registers the core's commands, then replication's.

import { buildSpec, type CommandDefinition, type CommandSpec } from "./command-spec.js";

export class CommandTable {
  private readonly byName = new Map<string, CommandSpec>();
  /** Exact-spelling cache so the hot path avoids lowercasing ("GET", "get", "Get"...). */
  private readonly byRawName = new Map<string, CommandSpec | null>();

  register(def: CommandDefinition): CommandSpec {
    const spec = buildSpec(def);
    this.byName.set(spec.name, spec);
    this.byRawName.clear();
    return spec;
  }

  registerAll(defs: CommandDefinition[]): void {
    for (const d of defs) this.register(d);
  }

  /** Looks a command up by its argv[0] bytes. */
  lookup(nameBuf: Buffer): CommandSpec | undefined {
    if (nameBuf.length > 64) return undefined;
    const raw = nameBuf.toString("latin1", 0, nameBuf.length);
    let spec = this.byRawName.get(raw);
    if (spec === undefined) {
      spec = this.byName.get(raw.toLowerCase()) ?? null;
      if (this.byRawName.size < 4096) this.byRawName.set(raw, spec);
    }
    return spec ?? undefined;
  }

  get(name: string): CommandSpec | undefined {
    return this.byName.get(name.toLowerCase());
  }

  all(): CommandSpec[] {
    return [...this.byName.values()];
  }

  get size(): number {
    return this.byName.size;
  }
}
