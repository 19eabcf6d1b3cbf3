// Planted bugs of the replication ids (replication-ids.ts): replid, replid2, second_repl_offset.

import { randomReplId } from "../../server/replication/replication-ids.js";
import type { PlantedBug } from "./planted-bug.js";

export const REPLID_BUGS: PlantedBug[] = [
  {
    id: "fullsync-keeps-old-replid2",
    mistake: "after a full sync the replica keeps its previous replid as replid2 (clearReplicationId2 forgotten)",
    rule: "REPLID-3",
    plant(s) {
      const ids = s.replication.ids;
      const stream = s.replication.stream;
      ids.adoptMaster = (masterReplid: string) => {
        ids.replid2 = ids.replid;
        ids.secondOffset = stream.offset + 1;
        ids.replid = masterReplid;
      };
    },
  },
  {
    id: "promotion-second-offset-one-byte-off",
    mistake: "on promotion second_repl_offset is set to master_repl_offset instead of master_repl_offset + 1",
    rule: "REPLID-4",
    plant(s) {
      const ids = s.replication.ids;
      ids.shift = (offset: number) => {
        ids.replid2 = ids.replid;
        ids.secondOffset = offset;
        ids.replid = randomReplId();
      };
    },
  },
  {
    id: "continue-newid-second-offset-one-byte-off",
    mistake: "a replica told +CONTINUE <newid> sets second_repl_offset to its offset, not offset + 1",
    rule: "REPLID-5",
    plant(s) {
      const ids = s.replication.ids;
      ids.continueWithNewId = (previous: string, next: string, offset: number) => {
        ids.replid2 = previous;
        ids.secondOffset = offset;
        ids.replid = next;
      };
    },
  },
];
