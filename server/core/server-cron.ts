// serverCron: runs hz times a second. Active expiry (masters only) and idle client timeouts.

import type { RedisServer } from "./redis-server.js";

export class ServerCron {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly server: RedisServer) {
    server.config.onChange((name) => {
      if (name === "hz" && this.timer !== null) this.start();
    });
  }

  start(): void {
    this.stop();
    const period = Math.max(1, Math.floor(1000 / this.server.config.getInt("hz")));
    this.timer = setInterval(() => this.tick(), period);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  tick(): void {
    const s = this.server;
    if (s.keyspace.mode === "master" && s.activeExpireEnabled) s.activeExpireCycle();
    const timeout = s.config.getInt("timeout");
    if (timeout > 0) {
      const now = s.now();
      for (const c of s.clients.values()) {
        if (c.kind === "normal" && now - c.lastInteraction > timeout * 1000) s.closeClient(c, false);
      }
    }
  }
}
