// Planted bugs of a restart from an RDB (startup-load.ts, RESTART-*). The load runs inside
// startServer, before a planted bug can replace anything, so each bug undoes at start-up exactly
// the step the buggy load would have left out: the state is the one that load would leave.

import { ZERO_REPLID } from "../../server/replication/replication-ids.js";
import type { PlantedBug } from "./planted-bug.js";

export const RESTART_BUGS: PlantedBug[] = [
  {
    id: "restarted-master-keeps-replid",
    mistake:
      "a master restarted from its RDB keeps the saved replid as its own instead of a new one with the saved as replid2",
    rule: "RESTART-2",
    plant(s) {
      const repl = s.replication;
      const ids = repl.ids;
      if (repl.isReplica || ids.replid2 === ZERO_REPLID) return; // not a master restored with history
      ids.replid = ids.replid2;
      ids.replid2 = ZERO_REPLID;
      ids.secondOffset = -1;
    },
  },
  {
    id: "restarted-replica-not-cached",
    mistake: "a replica restarted from its RDB does not cache itself as its master, so it asks for a full sync",
    rule: "RESTART-1",
    plant(s) {
      const link = s.replication.link;
      if (s.replication.isReplica) link.cached = null;
    },
  },
];
