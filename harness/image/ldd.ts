// The files a dynamically linked executable needs at run time, as `ldd` lists them: every shared
// library it resolves to a path, and the dynamic loader itself (the PT_INTERP path, e.g.
// /lib64/ld-linux-x86-64.so.2). A statically linked executable needs none.

import { execFile } from "node:child_process";

export class LddError extends Error {}

/**
 * Parses `ldd` output. Lines are `name => /path (0x...)`, `/path/of/loader (0x...)`, or
 * `linux-vdso.so.1 (0x...)` (provided by the kernel: no file). `name => not found` is an error.
 */
export function parseLdd(output: string): string[] {
  const paths: string[] = [];
  const missing: string[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (line === "" || /not a dynamic executable|statically linked/.test(line)) continue;
    const arrow = /^(\S+)\s+=>\s+(.*?)\s*(?:\(0x[0-9a-f]+\))?$/i.exec(line);
    if (arrow !== null) {
      const target = arrow[2].trim();
      if (target === "not found") missing.push(arrow[1]);
      else if (target.startsWith("/")) paths.push(target);
      continue;
    }
    const direct = /^(\/\S+)\s+\(0x[0-9a-f]+\)$/i.exec(line);
    if (direct !== null) paths.push(direct[1]);
  }
  if (missing.length > 0) throw new LddError(`shared libraries not found: ${missing.join(", ")}`);
  return [...new Set(paths)];
}

/** Runs `ldd binary`. ldd exits 1 for a static executable: that means no libraries, not a failure. */
export function sharedLibraries(binary: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile("ldd", [binary], { timeout: 30_000 }, (error, stdout, stderr) => {
      const text = `${stdout}${stderr}`;
      if (/not a dynamic executable|statically linked/.test(text)) return resolve([]);
      if (error !== null) {
        const why =
          (error as NodeJS.ErrnoException).code === "ENOENT"
            ? "ldd is not installed (Debian: apt-get install libc-bin)"
            : text.trim() || error.message;
        return reject(new LddError(`ldd ${binary} failed: ${why}`));
      }
      try {
        resolve(parseLdd(stdout));
      } catch (e) {
        reject(e);
      }
    });
  });
}
