// `--target image:NAME[:TAG]`: nodes are containers of one image (container.ts).
//
// The container target is loaded only when an image target is made: testcontainers is an optional
// dependency, and importing it installs process-wide signal listeners (through signal-exit) that
// would change how every other run ends on SIGTERM. This module is light; container.ts is not.

import { supports, TargetUnavailable, type Target, type TargetMakeOptions, type TargetModule } from "./target.js";

/** How an image target is made (container.ts makes it). */
export interface ContainerTargetOptions extends TargetMakeOptions {
  /** NAME[:TAG], e.g. redis:7.4, valkey/valkey:8, or an image from `replcheck image build`. */
  image: string;
  /** How long a node may take to answer PING after its container starts (default 30 s). */
  readyDeadlineMs?: number;
  /** How long a SHUTDOWN before a restart may take before the container is removed by force (default 5 s). */
  stopDeadlineMs?: number;
}

export const imageTargets: TargetModule = {
  kind: "image",
  capabilities: supports({
    // Each node's directory is bind-mounted from this machine: its log is readable here (when the
    // image's server user lets us; NodeHandle.logPath is undefined otherwise).
    localLogs: true,
    // A container has its own loopback: 127.0.0.2 in a replica's container is a local address
    // nothing listens on.
    loopbackAliases: true,
    // The engine's pause/unpause (cgroup freezer) freezes a node without closing its sockets.
    pause: true,
    // No clock unless --timers: a container's timers run in real time.
  }),
  // --timers: timer steps wait for the containers' real timers (real-time-timers.ts), through the
  // published ports.
  realTimeClock: true,
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
