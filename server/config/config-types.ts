// Shapes of config definitions. Numeric configs keep JS numbers (exact up to 2^53, which covers
// every value a test sets; LLONG_MAX bounds compare correctly as doubles).

export type ConfigValue = string | number | boolean;

interface Common {
  name: string;
  aliases?: string[];
  /** Only settable at start-up (CONFIG SET says "can't set immutable config"). */
  immutable?: boolean;
  /** PROTECTED_CONFIG in 7.0: refused by CONFIG SET while enable-protected-configs is no. */
  protected?: boolean;
  /** Not listed by CONFIG GET with a glob, but gettable by exact name. */
  hidden?: boolean;
}

export interface BoolConfig extends Common {
  type: "bool";
  default: boolean;
}

export interface IntConfig extends Common {
  type: "int";
  min: number;
  max: number;
  default: number;
  /** Accepts memory units (1mb, 1gb...). */
  memory?: boolean;
  /** Value actually stored when set through CONFIG SET (e.g. repl-backlog-size >= 16384). */
  clampOnSet?: (v: number) => number;
  /** Value stored at any time (e.g. hz kept within 1..500). */
  clamp?: (v: number) => number;
  /** Special validation error beyond the range (message), or null. */
  validate?: (v: number) => string | null;
  unsignedRangeText?: boolean;
}

export interface EnumConfig extends Common {
  type: "enum";
  values: string[];
  default: string;
}

export interface StringConfig extends Common {
  type: "string";
  default: string;
  /** Normalizes or validates; returns the stored text, or an Error message. */
  parse?: (text: string) => string | { error: string };
}

export type ConfigDefinition = BoolConfig | IntConfig | EnumConfig | StringConfig;
