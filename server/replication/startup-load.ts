// loadDataFromDisk() (server.c, 7.0): <dir>/<dbfilename> at start-up, before clients connect. A
// master feeds DELs for keys already expired into a temporary backlog (OFFSET-12) and, if the file
// has repl info, keeps that history as replid2 up to the saved offset + 1 and rebases its offset
// on it (RESTART-2); a replica takes the saved id and offset and caches itself as its master
// (RESTART-1). Without repl info the temporary backlog goes.

import { existsSync, readFileSync } from "node:fs";
import type { RedisServer } from "../core/redis-server.js";
import { readRdb } from "../rdb/index.js";
import type { ReplicationStream } from "./master/replication-stream.js";
import type { Replicas } from "./master/replicas.js";
import type { Persistence } from "./persistence.js";
import type { MasterLink } from "./replica/master-link.js";
import type { ReplicationIds } from "./replication-ids.js";
import { rdbPath } from "./snapshot.js";

const DEL = Buffer.from("DEL");
const UNLINK = Buffer.from("UNLINK");

/** The parts a restart restores. */
export interface RestartParts {
  readonly server: RedisServer;
  readonly isReplica: boolean;
  readonly persistence: Persistence;
  readonly ids: ReplicationIds;
  readonly stream: ReplicationStream;
  readonly link: MasterLink;
  readonly replicas: Replicas;
  createBacklog(): void;
}

/** Throws when the file exists but cannot be loaded. */
export function loadDataFromDisk(parts: RestartParts): void {
  const { server, persistence, ids, stream } = parts;
  const path = rdbPath(server);
  if (!existsSync(path)) return;
  const started = Date.now();
  const contents = readRdb(readFileSync(path));
  const isMaster = !parts.isReplica;
  if (isMaster) {
    parts.createBacklog();
    const verb = server.config.getBool("lazyfree-lazy-expire") ? UNLINK : DEL;
    persistence.adoptDatabases(contents, (db, key) =>
      stream.appendUnit([{ db, argv: [verb, Buffer.from(key, "latin1")] }], false),
    );
  } else {
    persistence.adoptDatabases(contents);
  }
  server.log.notice(`DB loaded from disk: ${((Date.now() - started) / 1000).toFixed(3)} seconds`);
  const info = contents.replInfo;
  const valid = info !== undefined && info.replOffset !== -1 && info.streamDb !== -1;
  if (valid && !isMaster) {
    ids.restoreAsReplica(info.replId);
    stream.adoptOffset(info.replOffset);
    parts.link.cacheMasterUsingMyself({ replid: info.replId, reploff: info.replOffset, db: info.streamDb });
  } else if (valid) {
    ids.restoreAsMaster(info.replId, info.replOffset);
    stream.rebase(info.replOffset);
    parts.replicas.resetNoReplicasSince();
  }
  if (!valid && stream.backlog !== null) stream.freeBacklog();
}
