// Planted bugs of a promotion (Replication.unsetMaster, replicationUnsetMaster in Redis): a copy
// of the method with one of its steps left out.

import type { Replication } from "../../server/index.js";
import type { PlantedBug } from "./planted-bug.js";

/** Replication.unsetMaster, copied; `skip` names the step the buggy server forgets. */
function unsetMasterWithout(repl: Replication, skip: "disconnect-replicas" | "reselect-db"): () => void {
  return () => {
    if (!repl.isReplica) return;
    repl.link.unsetMaster();
    repl.ids.shift(repl.stream.offset);
    if (skip !== "disconnect-replicas") repl.replicas.disconnectAll();
    if (skip !== "reselect-db") repl.stream.reselectDb();
    repl.server.keyspace.mode = "master";
    repl.replicas.resetNoReplicasSince();
  };
}

export const PROMOTION_BUGS: PlantedBug[] = [
  {
    id: "promotion-keeps-sub-replicas",
    mistake: "a promoted replica keeps its sub-replicas connected instead of making them PSYNC to the new replid",
    rule: "REPLID-4",
    plant(s) {
      s.replication.unsetMaster = unsetMasterWithout(s.replication, "disconnect-replicas");
    },
  },
  {
    id: "promotion-keeps-stream-db",
    mistake: "a promoted replica keeps the stream db of its last term as master, so its first write may skip SELECT",
    rule: "OFFSET-3",
    plant(s) {
      s.replication.unsetMaster = unsetMasterWithout(s.replication, "reselect-db");
    },
  },
];
