// Redis memtoll(): "1gb" = 1024^3, "1g" = 1000^3, plain numbers are bytes, units are
// case-insensitive. Returns null when the text is not a memory value.
const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};

export function parseMemory(text: string): number | null {
  const m = /^(\d+)([a-zA-Z]*)$/.exec(text); // memtoll refuses negative values
  if (m === null) return null;
  const mul = UNITS[m[2].toLowerCase()];
  if (mul === undefined) return null;
  return Number(m[1]) * mul;
}
