// The image target kind's declaration: what it is made from and what it can do. Both image.ts (the
// light module the registry lists) and container.ts (the heavy one it loads on use) read it here,
// so neither imports the other for it.

import { supports, type TargetMakeOptions, type TargetModule } from "./target.js";

/** How an image target is made (container.ts makes it). */
export interface ContainerTargetOptions extends TargetMakeOptions {
  /** NAME[:TAG], e.g. redis:7.4, valkey/valkey:8, or an image from `replcheck image build`. */
  image: string;
  /** How long a node may take to answer PING after its container starts (default 30 s). */
  readyDeadlineMs?: number;
  /** How long a SHUTDOWN before a restart may take before the container is removed by force (default 5 s). */
  stopDeadlineMs?: number;
}

/** The image kind's capabilities (TargetModule.capabilities and realTimeClock). */
export const IMAGE_KIND: Pick<TargetModule, "capabilities" | "realTimeClock"> = {
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
};
