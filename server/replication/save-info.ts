// rdbPopulateSaveInfo() (rdb.c, 7.0; RESTART-3): the replication id, offset and stream db an RDB
// records, so that a restart (or a replica loading it) can continue the history.

import type { RdbReplInfo } from "../rdb/index.js";
import type { MasterLink } from "./replica/master-link.js";
import type { ReplicationStream } from "./master/replication-stream.js";
import type { ReplicationIds } from "./replication-ids.js";

export interface SaveInfoSource {
  readonly isReplica: boolean;
  readonly ids: ReplicationIds;
  readonly stream: ReplicationStream;
  readonly link: MasterLink;
}

/** undefined: the RDB carries no replication info (a master without backlog, a replica with no master state). */
export function populateSaveInfo({ isReplica, ids, stream, link }: SaveInfoSource): RdbReplInfo | undefined {
  if (!isReplica) {
    if (stream.backlog === null) return undefined;
    // -1 means no write since the last full sync: the next write selects its db anyway.
    return { replId: ids.replid, replOffset: stream.offset, streamDb: stream.streamDb === -1 ? 0 : stream.streamDb };
  }
  if (link.masterClient !== null)
    return { replId: ids.replid, replOffset: stream.offset, streamDb: link.masterClient.db.id };
  if (link.cached !== null) return { replId: ids.replid, replOffset: stream.offset, streamDb: link.cached.db };
  return undefined;
}
