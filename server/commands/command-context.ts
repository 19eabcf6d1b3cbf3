// What a command implementation sees: its argv, the client, the keyspace helpers, the reply
// writer and the propagation API. exec/call.ts makes one per call.

import type { RedisServer } from "../core/redis-server.js";
import type { Client } from "../core/client.js";
import type { Database } from "../keyspace/database.js";
import type { BinaryString, Entry, RedisType } from "../keyspace/types.js";
import type { ReplyWriter } from "../resp/reply-writer.js";

export const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
export const SYNTAX_ERROR = "ERR syntax error";
export const NOT_INTEGER = "ERR value is not an integer or out of range";
export const NOT_FLOAT = "ERR value is not a valid float";

export class CommandContext {
  /** What gets propagated if the command changes the dataset (argv after rewrites). */
  propagateArgv: Buffer[];
  preventPropagation = false;
  forcePropagation = false;
  readonly reply: ReplyWriter;

  constructor(
    readonly server: RedisServer,
    readonly client: Client,
    readonly argv: Buffer[],
    /** Time snapshot of this command (ms). */
    readonly now: number,
  ) {
    this.reply = client.reply;
    this.propagateArgv = argv;
  }

  get db(): Database {
    return this.client.db;
  }

  /** Key argument as a binary string. */
  key(i: number): BinaryString {
    const b = this.argv[i];
    return b.toString("latin1", 0, b.length);
  }

  lookupRead(key: BinaryString): Entry | undefined {
    const e = this.server.keyspace.lookup(this.client.db, key, this.now, {
      write: false,
      fromMaster: this.client.kind === "master",
    });
    if (e === undefined) this.server.stats.keyspaceMisses++;
    else this.server.stats.keyspaceHits++;
    return e;
  }

  lookupWrite(key: BinaryString): Entry | undefined {
    return this.server.keyspace.lookup(this.client.db, key, this.now, {
      write: true,
      fromMaster: this.client.kind === "master",
    });
  }

  /** Looks a key up for reading and checks its type; replies WRONGTYPE and returns null on mismatch. */
  readTyped(key: BinaryString, type: RedisType): Entry | undefined | null {
    const e = this.lookupRead(key);
    if (e !== undefined && e.value.type !== type) {
      this.reply.addError(WRONGTYPE);
      return null;
    }
    return e;
  }

  writeTyped(key: BinaryString, type: RedisType): Entry | undefined | null {
    const e = this.lookupWrite(key);
    if (e !== undefined && e.value.type !== type) {
      this.reply.addError(WRONGTYPE);
      return null;
    }
    return e;
  }

  /** Marks the dataset as changed (server.dirty), which makes the command propagate. */
  dirty(n = 1): void {
    this.server.dirty += n;
  }

  /** Replaces what is propagated for this command (Redis rewriteClientCommandVector). */
  rewrite(argv: Buffer[]): void {
    this.propagateArgv = argv;
  }

  /** Propagates an extra op in this execution unit, before the command's own op. */
  alsoPropagate(argv: Buffer[]): void {
    this.server.addPropagatedOp(this.client.db.id, argv);
  }
}
