// RDB persistence of a node: SAVE / BGSAVE / LASTSAVE / SHUTDOWN [SAVE|NOSAVE] with what the RDB
// says about replication (RESTART-3), putting a loaded RDB's databases in place (start-up and
// full syncs), and INFO persistence.

import type { CommandContext } from "../commands/command-context.js";
import { SYNTAX_ERROR } from "../commands/command-context.js";
import type { RedisServer } from "../core/redis-server.js";
import type { Entry } from "../keyspace/types.js";
import type { RdbContents, RdbReplInfo } from "../rdb/index.js";
import { rdbPath, takeSnapshot, writeFileAtomically } from "./snapshot.js";

export class Persistence {
  /** lastsave (unix seconds); Redis starts it at start-up time. */
  lastSave: number;
  private dirtyAtSave = 0;

  constructor(
    private readonly server: RedisServer,
    /** rdbPopulateSaveInfo() (RESTART-3). */
    private readonly saveInfo: () => RdbReplInfo | undefined,
  ) {
    this.lastSave = Math.floor(server.now() / 1000);
  }

  /** rdbSave(): the whole dataset, atomically, to <dir>/<dbfilename>. */
  save(): void {
    const snapshot = takeSnapshot(this.server, this.saveInfo());
    writeFileAtomically(rdbPath(this.server), snapshot.chunks);
    this.lastSave = Math.floor(this.server.now() / 1000);
    this.dirtyAtSave = this.server.dirty;
    this.server.log.notice("DB saved on disk");
  }

  saveCommand(ctx: CommandContext): void {
    try {
      this.save();
      ctx.reply.addOk();
    } catch (err) {
      this.server.log.warning(`Failed saving the DB: ${(err as Error).message}`);
      ctx.reply.addError("ERR");
    }
  }

  /** BGSAVE: done synchronously (the snapshot must be consistent anyway), same reply as Redis. */
  bgsaveCommand(ctx: CommandContext): void {
    if (ctx.argv.length > 2 || (ctx.argv.length === 2 && ctx.argv[1].toString("latin1").toLowerCase() !== "schedule")) {
      return ctx.reply.addError(SYNTAX_ERROR);
    }
    try {
      this.save();
      ctx.reply.addSimple("Background saving started");
    } catch (err) {
      this.server.log.warning(`Background saving error: ${(err as Error).message}`);
      ctx.reply.addError("ERR");
    }
  }

  /**
   * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] (7.0 shutdownCommand / prepareForShutdown): saves
   * with SAVE, or when save points are configured and NOSAVE is absent; then the host closes the
   * instance (onShutdown). The 7.0 wait for lagging replicas (shutdown-timeout) is not done here.
   */
  shutdownCommand(ctx: CommandContext): void {
    let nosave = false;
    let save = false;
    let force = false;
    let abort = false;
    let other = false;
    for (let j = 1; j < ctx.argv.length; j++) {
      const o = ctx.argv[j].toString("latin1").toLowerCase();
      if (o === "nosave") nosave = true;
      else if (o === "save") save = true;
      else if (o === "now") other = true;
      else if (o === "force") force = true;
      else if (o === "abort") abort = true;
      else return ctx.reply.addError(SYNTAX_ERROR);
    }
    if ((abort && (nosave || save || force || other)) || (nosave && save)) return ctx.reply.addError(SYNTAX_ERROR);
    if (abort) return ctx.reply.addError("ERR No shutdown in progress.");
    const savePoints = this.server.config.getString("save") !== "";
    if (save || (savePoints && !nosave)) {
      try {
        this.save();
      } catch (err) {
        this.server.log.warning(`Error trying to save the DB, can't exit: ${(err as Error).message}`);
        if (!force) return ctx.reply.addError("ERR Errors trying to SHUTDOWN. Check logs.");
      }
    }
    this.server.log.warning("Redis is now ready to exit, bye bye...");
    ctx.client.stopProcessing = true; // like Redis the client gets no reply: the server goes away
    const server = this.server;
    setImmediate(() => server.onShutdown?.());
  }

  /** Puts an RDB's databases in place (the caller flushed them); refuses db numbers we lack. */
  adoptDatabases(contents: RdbContents, dropExpired?: (db: number, key: string) => void): void {
    const dbs = this.server.keyspace.dbs;
    for (const index of contents.databases.keys()) {
      if (index >= dbs.length) throw new Error(`the RDB has db ${index}, this server has ${dbs.length} databases`);
    }
    const now = this.server.now();
    for (const [index, entries] of contents.databases) {
      if (dropExpired !== undefined) {
        for (const [key, entry] of entries as Map<string, Entry>) {
          if (entry.expireAt !== undefined && entry.expireAt < now) {
            entries.delete(key);
            dropExpired(index, key);
          }
        }
      }
      dbs[index].adopt(entries);
    }
  }

  /** INFO persistence with the save bookkeeping. */
  info(): string[] {
    return [
      "loading:0",
      "async_loading:0",
      `rdb_changes_since_last_save:${this.server.dirty - this.dirtyAtSave}`,
      "rdb_bgsave_in_progress:0",
      `rdb_last_save_time:${this.lastSave}`,
      "rdb_last_bgsave_status:ok",
      "aof_enabled:0",
      "aof_rewrite_in_progress:0",
    ];
  }
}
