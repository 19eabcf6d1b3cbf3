// The ROLE reply (LINK-8) as a typed value, in the shape the checker compares
// (harness/check/observed.ts ObservedRole):
//   master  → ["master", offset:int, [[ip, port:bulk, ack:bulk], ...]]   (online replicas only)
//   replica → ["slave", host, port:int, state, offset:int (-1 without a master client)]

export type RoleReply =
  | { role: "master"; offset: number; replicas: { ip: string; port: number; ack: number }[] }
  /** state: connect | connecting | handshake | sync | connected (others passed through as printed). */
  | { role: "slave"; host: string; port: number; state: string; offset: number };

export class RoleFormatError extends Error {
  override name = "RoleFormatError";
}

/** Parses ROLE as an ioredis client returns it (strings, numbers, arrays; Buffers are read as UTF-8). */
export function parseRole(reply: unknown): RoleReply {
  const items = asArray(reply, "ROLE");
  const role = asText(items[0], "role");
  if (role === "master") {
    const replicas = asArray(items[2], "replica list").map((entry, i) => {
      const r = asArray(entry, `replica ${i}`);
      return { ip: asText(r[0], "replica ip"), port: asInt(r[1], "replica port"), ack: asInt(r[2], "replica offset") };
    });
    return { role: "master", offset: asInt(items[1], "master offset"), replicas };
  }
  // Valkey keeps "slave" in ROLE; "replica" is accepted in case a fork renames it.
  if (role === "slave" || role === "replica") {
    return {
      role: "slave",
      host: asText(items[1], "master host"),
      port: asInt(items[2], "master port"),
      state: asText(items[3], "link state"),
      offset: asInt(items[4], "replica offset"),
    };
  }
  throw new RoleFormatError(`ROLE: unsupported role ${JSON.stringify(role)} (replcheck checks masters and replicas)`);
}

function asArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new RoleFormatError(`ROLE: ${what} is not an array: ${describe(v)}`);
  return v;
}

function asText(v: unknown, what: string): string {
  if (typeof v === "string") return v;
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  throw new RoleFormatError(`ROLE: ${what} is not a string: ${describe(v)}`);
}

// Ports and acked offsets of a master's replicas are bulk strings, the rest are integers: accept both.
function asInt(v: unknown, what: string): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  const text = typeof v === "string" || Buffer.isBuffer(v) ? v.toString() : undefined;
  if (text !== undefined && /^-?\d+$/.test(text)) return Number(text);
  throw new RoleFormatError(`ROLE: ${what} is not an integer: ${describe(v)}`);
}

function describe(v: unknown): string {
  return v === undefined ? "missing" : JSON.stringify(v);
}
