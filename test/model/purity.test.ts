// The model is pure: it imports only model/ files and touches no clock, randomness, I/O or host API.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const MODEL = resolve(import.meta.dirname, "../../model");

function modelFiles(dir = MODEL): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modelFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Source without comments and string literals, so only code is scanned. */
function codeOf(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/`(?:\\.|[^`\\])*`/g, "``")
    .replace(/"(?:\\.|[^"\\])*"/g, '""');
}

const FORBIDDEN = [
  "Date",
  "Math.random",
  "performance",
  "process",
  "setTimeout",
  "setInterval",
  "setImmediate",
  "queueMicrotask",
  "Buffer",
  "crypto",
  "fetch",
  "require",
  "TextEncoder",
  "globalThis",
  "console",
];

describe("the model imports nothing outside model/", () => {
  for (const file of modelFiles()) {
    it(relative(MODEL, file), () => {
      const src = readFileSync(file, "utf8");
      const specifiers = [
        ...src.matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
      ].map((m) => m[1] ?? m[2]);
      for (const s of specifiers) {
        expect(s.startsWith("."), `${s} is not a relative import`).toBe(true);
        expect(resolve(file, "..", s).startsWith(MODEL), `${s} leaves model/`).toBe(true);
      }
      const code = codeOf(src);
      for (const g of FORBIDDEN) {
        const re = new RegExp(`(^|[^.\\w$])${g.replace(".", "\\.")}\\b`);
        expect(re.test(code), `${g} is used`).toBe(false);
      }
    });
  }
  it("the scanner itself catches a forbidden global", () => {
    expect(/(^|[^.\w$])Date\b/.test(codeOf("const t = Date.now(); // Date"))).toBe(true);
    expect(/(^|[^.\w$])Date\b/.test(codeOf('const s = "Date"; // Date.now()'))).toBe(false);
  });
});
