// `--target` values: builtin | redis-server | binary:PATH | image:NAME[:TAG].
//
// The container target is loaded only when an image target is made: testcontainers is an optional
// dependency, and importing it installs process-wide signal listeners (through signal-exit) that
// would change how every other run ends on SIGTERM.

import { createBinaryTarget } from "./binary.js";
import { createBuiltinTarget } from "./builtin.js";
import type { ContainerTargetOptions } from "./container.js";
import { TargetUnavailable, type Target } from "./target.js";

export interface TargetChoice {
  /** The --target text, for replay command lines. */
  spec: string;
  make(options: { workRoot?: string; keepLogs?: boolean }): Promise<Target>;
}

export function parseTarget(spec: string): TargetChoice {
  if (spec === "builtin") return { spec, make: (o) => createBuiltinTarget(o) };
  if (spec === "redis-server") return { spec, make: (o) => createBinaryTarget({ binary: "redis-server", ...o }) };
  if (spec.startsWith("binary:") && spec.length > "binary:".length) {
    const binary = spec.slice("binary:".length);
    return { spec, make: (o) => createBinaryTarget({ binary, ...o }) };
  }
  if (spec.startsWith("image:") && spec.length > "image:".length) {
    const image = spec.slice("image:".length);
    return { spec, make: (o) => createImageTarget({ image, ...o }) };
  }
  throw new TargetUnavailable(`unknown target "${spec}"`, "use --target builtin, redis-server, binary:PATH or image:NAME[:TAG]");
}

export const TESTCONTAINERS_HINT = "install it next to replcheck: npm install testcontainers@~11.14 (or use --target redis-server / binary:PATH)";

/** The container target, imported on first use; TargetUnavailable when testcontainers is not installed. */
export async function createImageTarget(options: ContainerTargetOptions): Promise<Target> {
  let module: typeof import("./container.js");
  try {
    module = await import("./container.js");
  } catch (e) {
    if (isMissingTestcontainers(e)) {
      throw new TargetUnavailable(`the image target needs the testcontainers package, which is not installed (${(e as Error).message})`, TESTCONTAINERS_HINT);
    }
    throw e;
  }
  return module.createContainerTarget(options);
}

/** ERR_MODULE_NOT_FOUND (ESM) or MODULE_NOT_FOUND (CommonJS) naming testcontainers itself, not one of its files. */
export function isMissingTestcontainers(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const message = e instanceof Error ? e.message : "";
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && /['"]testcontainers['"]/.test(message);
}
