// The config registry: typed values by canonical name, aliases, CONFIG GET/SET semantics of
// Redis 7.0 (atomic multi-pair SET, the same error texts) and change events for other layers.

import type { ConfigDefinition, ConfigValue } from "./config-types.js";
import { configDefinitions, mergeSpecial } from "./definitions.js";
import { parseMemory } from "./memory-units.js";
import { globMatch } from "../util/glob.js";

export type ConfigChangeListener = (name: string, value: ConfigValue) => void;

type ParseResult = { value: ConfigValue } | { error: string };

export class ConfigRegistry {
  private readonly defs = new Map<string, ConfigDefinition>(); // canonical and alias names
  private readonly ordered: ConfigDefinition[];
  private readonly values = new Map<string, ConfigValue>();
  private readonly listeners: ConfigChangeListener[] = [];
  private readonly getters = new Map<string, () => string>();

  constructor(cwd: string = process.cwd()) {
    this.ordered = configDefinitions(cwd);
    for (const def of this.ordered) {
      this.defs.set(def.name, def);
      for (const alias of def.aliases ?? []) this.defs.set(alias, def);
      this.values.set(def.name, def.default);
    }
  }

  /** Looks a config up by name or alias (case-insensitive). */
  definition(name: string): ConfigDefinition | undefined {
    return this.defs.get(name.toLowerCase());
  }

  getInt(name: string): number {
    return this.values.get(name) as number;
  }

  getBool(name: string): boolean {
    return this.values.get(name) as boolean;
  }

  getString(name: string): string {
    return this.values.get(name) as string;
  }

  /** The text CONFIG GET prints for a config. */
  getText(name: string): string | undefined {
    const def = this.definition(name);
    if (def === undefined) return undefined;
    const getter = this.getters.get(def.name);
    if (getter !== undefined) return getter();
    const v = this.values.get(def.name) as ConfigValue;
    return typeof v === "boolean" ? (v ? "yes" : "no") : String(v);
  }

  /** Lets another layer compute what CONFIG GET shows (e.g. replicaof from the live state). */
  setGetter(name: string, getter: () => string): void {
    const def = this.definition(name);
    if (def === undefined) throw new Error(`unknown config '${name}'`);
    this.getters.set(def.name, getter);
  }

  onChange(listener: ConfigChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private parse(def: ConfigDefinition, text: string, fromClient: boolean): ParseResult {
    switch (def.type) {
      case "bool": {
        const t = text.toLowerCase();
        if (t !== "yes" && t !== "no") return { error: "argument must be 'yes' or 'no'" };
        if (def.name === "appendonly" && t === "yes")
          return { error: "appendonly yes is not supported by replcheck's server" };
        return { value: t === "yes" };
      }
      case "enum": {
        const t = text.toLowerCase();
        if (!def.values.includes(t))
          return { error: `argument(s) must be one of the following: ${def.values.join(", ")}` };
        return { value: t };
      }
      case "int": {
        let v: number | null;
        if (def.memory) {
          v = parseMemory(text);
          if (v === null) return { error: "argument must be a memory value" };
        } else {
          v = /^(0|-?[1-9]\d{0,18})$/.test(text) ? Number(text) : null;
          if (v === null) return { error: "argument couldn't be parsed into an integer" };
        }
        if (v < def.min || v > def.max) {
          return { error: `argument must be between ${rangeText(def.min)} and ${rangeText(def.max)} inclusive` };
        }
        if (def.validate) {
          const err = def.validate(v);
          if (err !== null) return { error: err };
        }
        if (fromClient && def.clampOnSet) v = def.clampOnSet(v);
        if (def.clamp) v = def.clamp(v);
        return { value: v };
      }
      case "string": {
        const merge = mergeSpecial[def.name];
        if (merge !== undefined) {
          const r = merge(this.values.get(def.name) as string, text);
          return typeof r === "string" ? { value: r } : r;
        }
        if (def.parse) {
          const r = def.parse(text);
          return typeof r === "string" ? { value: r } : r;
        }
        return { value: text };
      }
    }
  }

  /**
   * Applies start-up options (like `--name value` on the command line): immutable configs are
   * allowed, CONFIG SET clamps are not applied. Throws an Error naming the bad option.
   */
  applyStartupOptions(options: Record<string, string>): void {
    for (const [rawName, text] of Object.entries(options)) {
      const def = this.definition(rawName);
      if (def === undefined) throw new Error(`Bad server option '${rawName}': unknown config name`);
      const r = this.parse(def, text, false);
      if ("error" in r) throw new Error(`Bad server option '${rawName}' = '${text}': ${r.error}`);
      this.values.set(def.name, r.value);
    }
  }

  /**
   * CONFIG SET with name/value pairs, all or nothing. Returns null on success or the full error
   * reply text (with its "ERR" code) like Redis 7.0.
   */
  setFromClient(pairs: [string, string][], protectedAllowed = false): string | null {
    const seen = new Set<ConfigDefinition>();
    const defs: ConfigDefinition[] = [];
    for (const [name] of pairs) {
      const def = this.definition(name);
      if (def === undefined) return `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
      if (def.immutable) return setFailed(name, "can't set immutable config");
      if (def.protected && !protectedAllowed) return setFailed(name, "can't set protected config");
      if (seen.has(def)) return setFailed(name, "duplicate parameter");
      seen.add(def);
      defs.push(def);
    }
    const parsed: ConfigValue[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const r = this.parse(defs[i], pairs[i][1], true);
      if ("error" in r) return setFailed(pairs[i][0], r.error);
      parsed.push(r.value);
    }
    for (let i = 0; i < defs.length; i++) this.values.set(defs[i].name, parsed[i]);
    for (let i = 0; i < defs.length; i++) {
      for (const l of [...this.listeners]) l(defs[i].name, parsed[i]);
    }
    return null;
  }

  /** Sets a value from inside the server (no validation, emits the change event). */
  setInternal(name: string, value: ConfigValue): void {
    const def = this.definition(name);
    if (def === undefined) throw new Error(`unknown config '${name}'`);
    this.values.set(def.name, value);
    for (const l of [...this.listeners]) l(def.name, value);
  }

  /**
   * CONFIG GET: name/value pairs for every pattern. An exact (non-glob) name is looked up
   * directly, aliases and hidden configs included, and reported under the name asked for;
   * glob patterns list canonical names and aliases, never hidden configs.
   */
  configGet(patterns: string[]): [string, string][] {
    const out = new Map<string, string>();
    for (const raw of patterns) {
      const pattern = raw.toLowerCase();
      if (!/[*?[\\]/.test(pattern)) {
        const text = this.getText(pattern);
        if (text !== undefined) out.set(pattern, text);
        continue;
      }
      for (const def of this.ordered) {
        if (def.hidden) continue;
        for (const name of [def.name, ...(def.aliases ?? [])]) {
          if (!out.has(name) && globMatch(raw, name, true)) out.set(name, this.getText(def.name) as string);
        }
      }
    }
    return [...out];
  }
}

// biome-ignore lint/correctness/noPrecisionLoss: LLONG_MAX as the nearest double, compared like Redis's long long bound
const rangeText = (n: number): string => (n === 9223372036854775807 ? "9223372036854775807" : String(n));
const setFailed = (name: string, reason: string): string =>
  `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
