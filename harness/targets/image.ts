// `--target image:NAME[:TAG]`: nodes are containers of one image (container.ts).
//
// The container target is loaded only when an image target is made: testcontainers is an optional
// dependency, and importing it installs process-wide signal listeners (through signal-exit) that
// would change how every other run ends on SIGTERM. This module is light; container.ts is not.

import { type ContainerTargetOptions, IMAGE_KIND } from "./image-kind.js";
import { TargetUnavailable, type Target, type TargetModule } from "./target.js";

export const imageTargets: TargetModule = {
  kind: "image",
  ...IMAGE_KIND,
  forms: [
    {
      usage: "image:NAME[:TAG]",
      prefix: "image:",
      argument: true,
      help: "containers of an image (see `replcheck image build`), one per node",
      mayBeAbsent: true,
      create: (image, options) => createImageTarget({ image, ...options }),
    },
  ],
};

export const TESTCONTAINERS_HINT =
  "install it next to replcheck: npm install testcontainers@~11.14 (or use --target redis-server / binary:PATH)";

/** The container target, imported on first use; TargetUnavailable when testcontainers is not installed. */
export async function createImageTarget(options: ContainerTargetOptions): Promise<Target> {
  let module: typeof import("./container.js");
  try {
    module = await import("./container.js");
  } catch (e) {
    if (isMissingTestcontainers(e)) {
      throw new TargetUnavailable(
        `the image target needs the testcontainers package, which is not installed (${(e as Error).message})`,
        TESTCONTAINERS_HINT,
      );
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
