// `--target` values: builtin | redis-server | binary:PATH (image:NAME comes with the container target).

import { createBinaryTarget } from "./binary.js";
import { createBuiltinTarget } from "./builtin.js";
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
  if (spec.startsWith("image:")) {
    return {
      spec,
      make: () => Promise.reject(new TargetUnavailable(`container targets (${spec}) are not available in this version`, "use --target builtin, redis-server or binary:PATH")),
    };
  }
  throw new TargetUnavailable(`unknown target "${spec}"`, "use --target builtin, redis-server, binary:PATH or image:NAME[:TAG]");
}
