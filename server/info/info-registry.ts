// INFO: sections in Redis 7.0 order, each produced by a provider that the layer owning the data
// defines (core/server-info.ts, replication). Field names and formats follow genRedisInfoString.

/** Returns the section's "name:value" lines (without the "# Title" header). */
export type InfoProvider = () => string[];

interface Section {
  name: string; // lowercase key
  title: string; // header text
  inDefault: boolean;
  provider: InfoProvider;
}

const DEFAULT_ORDER = [
  "server",
  "clients",
  "memory",
  "persistence",
  "stats",
  "replication",
  "cpu",
  "modules",
  "errorstats",
  "cluster",
  "keyspace",
];

export class InfoRegistry {
  private readonly sections = new Map<string, Section>();

  /** Adds a section or replaces the provider of an existing one (e.g. "replication"). */
  define(name: string, title: string, provider: InfoProvider, inDefault = true): void {
    const key = name.toLowerCase();
    const existing = this.sections.get(key);
    if (existing) {
      existing.provider = provider;
      return;
    }
    this.sections.set(key, { name: key, title, inDefault, provider });
  }

  setProvider(name: string, provider: InfoProvider): void {
    const s = this.sections.get(name.toLowerCase());
    if (s === undefined) throw new Error(`unknown INFO section '${name}'`);
    s.provider = provider;
  }

  /** The INFO reply text for the requested section names (none = "default"). */
  render(requested: string[]): string {
    const wanted = new Set<string>();
    const names = requested.length === 0 ? ["default"] : requested.map((r) => r.toLowerCase());
    for (const n of names) {
      if (n === "default") for (const s of this.sections.values()) if (s.inDefault) wanted.add(s.name);
      if (n === "all" || n === "everything") for (const s of this.sections.values()) wanted.add(s.name);
      if (this.sections.has(n)) wanted.add(n);
    }
    const order = [...DEFAULT_ORDER, ...[...this.sections.keys()].filter((k) => !DEFAULT_ORDER.includes(k))];
    let out = "";
    let count = 0;
    for (const key of order) {
      if (!wanted.has(key)) continue;
      const s = this.sections.get(key) as Section;
      if (count++ > 0) out += "\r\n";
      out += `# ${s.title}\r\n`;
      for (const line of s.provider()) out += `${line}\r\n`;
    }
    return out;
  }
}
