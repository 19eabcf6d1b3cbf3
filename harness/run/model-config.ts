// The model's view of a node's start-up configuration: what the harness passed, over the profile's
// defaults.

import { defaultConfig, parseMemory, type NodeConfig, type Profile } from "../../model/index.js";
import type { ServerConfig } from "../targets/target.js";

const yes = (v: string | readonly string[] | undefined, fallback: boolean): boolean =>
  typeof v === "string" ? v.toLowerCase() === "yes" : fallback;

const int = (v: string | readonly string[] | undefined, fallback: number): number =>
  typeof v === "string" && /^\d+$/.test(v) ? Number(v) : fallback;

export function modelConfig(profile: Profile, config: ServerConfig): NodeConfig {
  const d = defaultConfig(profile);
  const size = config["repl-backlog-size"];
  const cob = config["client-output-buffer-limit"];
  const replicaHard = typeof cob === "string" ? /replica\s+(\S+)/.exec(cob)?.[1] : undefined;
  return {
    ...d,
    replBacklogSize: typeof size === "string" ? (parseMemory(size) ?? d.replBacklogSize) : d.replBacklogSize,
    replBacklogTtl: int(config["repl-backlog-ttl"], d.replBacklogTtl),
    replicaReadOnly: yes(config["replica-read-only"], d.replicaReadOnly),
    replicaServeStaleData: yes(config["replica-serve-stale-data"], d.replicaServeStaleData),
    minReplicasToWrite: int(config["min-replicas-to-write"], d.minReplicasToWrite),
    minReplicasMaxLag: int(config["min-replicas-max-lag"], d.minReplicasMaxLag),
    replDisklessSync: yes(config["repl-diskless-sync"], d.replDisklessSync),
    lazyfree: {
      expire: yes(config["lazyfree-lazy-expire"], d.lazyfree.expire),
      serverDel: yes(config["lazyfree-lazy-server-del"], d.lazyfree.serverDel),
      userDel: yes(config["lazyfree-lazy-user-del"], d.lazyfree.userDel),
    },
    replicaOutputHardLimit:
      replicaHard === undefined ? d.replicaOutputHardLimit : (parseMemory(replicaHard) ?? d.replicaOutputHardLimit),
  };
}
