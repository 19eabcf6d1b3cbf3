// min-replicas-to-write / min-replicas-max-lag (replication.c refreshGoodSlavesCount,
// server.c checkGoodReplicasStatus; MINREP-1..MINREP-4).

import type { ConfigRegistry } from "../../config/config-registry.js";
import type { ReplicaPeer } from "./replica-peer.js";

export const NOREPLICAS_ERROR = "NOREPLICAS Not enough good replicas to write.";

export class GoodReplicas {
  /** repl_good_slaves_count as last refreshed. */
  count = 0;
  private minToWrite: number;
  private maxLag: number;

  constructor(config: ConfigRegistry) {
    this.minToWrite = config.getInt("min-replicas-to-write");
    this.maxLag = config.getInt("min-replicas-max-lag");
    config.onChange((name, value) => {
      if (name === "min-replicas-to-write") this.minToWrite = value as number;
      if (name === "min-replicas-max-lag") this.maxLag = value as number;
    });
  }

  /** MINREP-1: active only when both settings are non-zero. */
  get active(): boolean {
    return this.minToWrite > 0 && this.maxLag > 0;
  }

  /** refreshGoodSlavesCount(): ONLINE replicas that acked within max-lag seconds. */
  refresh(peers: Iterable<ReplicaPeer>, unixNow: number): void {
    if (!this.active) return;
    let good = 0;
    for (const p of peers) if (p.state === "online" && unixNow - p.ackTime <= this.maxLag) good++;
    this.count = good;
  }

  /** checkGoodReplicasStatus() on a master (replicas always pass, MINREP-3). */
  get enough(): boolean {
    return !this.active || this.count >= this.minToWrite;
  }
}
