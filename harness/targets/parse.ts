// `--target` values: builtin | redis-server | binary:PATH | image:NAME[:TAG].

import { createBinaryTarget } from "./binary.js";
import { createBuiltinTarget } from "./builtin.js";
import { createContainerTarget } from "./container.js";
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
    return { spec, make: (o) => createContainerTarget({ image, ...o }) };
  }
  throw new TargetUnavailable(`unknown target "${spec}"`, "use --target builtin, redis-server, binary:PATH or image:NAME[:TAG]");
}
