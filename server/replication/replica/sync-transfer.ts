// A full sync's payload arriving on a replica (replication.c readSyncBulkPayload with
// repl-diskless-load disabled): framed as `$<len>` or `$EOF:<mark>` (FULLSYNC-3), kept in memory
// for the load and written as it arrives to a temp file that is renamed over <dir>/<dbfilename>.

import { SyncPayloadReceiver } from "../../rdb/index.js";
import { AtomicFile } from "../snapshot.js";

/** A transfer that cannot go on; the message is the log line. */
export class TransferError extends Error {}

/** The payload is complete. */
export interface TransferEnd {
  /** It came with the EOF-mark framing (diskless): the replica ACKs right after loading it (LINK-5). */
  readonly eofMark: boolean;
  /** Bytes after the payload: the start of the stream. */
  readonly rest: Buffer;
}

export class SyncTransfer {
  /** repl_transfer_size: -1 until known, and with the EOF-mark framing. */
  size = -1;
  /** repl_transfer_read. */
  read = 0;

  private readonly receiver = new SyncPayloadReceiver();
  private parts: Buffer[] = [];
  private readonly file: AtomicFile;

  /** Opens the temp file next to `path`; throws a TransferError when it cannot. */
  constructor(private readonly path: string) {
    try {
      this.file = new AtomicFile(path);
    } catch (err) {
      throw new TransferError(
        `Opening the temp file needed for MASTER <-> REPLICA synchronization: ${(err as Error).message}`,
      );
    }
  }

  /** Bytes from the master: the end once the payload is complete, else null. Throws a TransferError. */
  push(chunk: Buffer): TransferEnd | null {
    let progress: ReturnType<typeof this.receiver.push>;
    try {
      progress = this.receiver.push(chunk);
    } catch (err) {
      throw new TransferError(String((err as Error).message));
    }
    try {
      for (const d of progress.data) {
        this.parts.push(d);
        this.read += d.length;
        this.file.write(d);
      }
    } catch (err) {
      throw new TransferError(
        `Write error writing to the DB file on disk during MASTER <-> REPLICA synchronization: ${(err as Error).message}`,
      );
    }
    if (this.receiver.mode === "length") this.size = this.receiver.expectedLength ?? -1;
    if (!progress.done) return null;
    return { eofMark: this.receiver.mode === "eof-mark", rest: progress.rest ?? Buffer.alloc(0) };
  }

  /** The whole payload, once push() reported the end. */
  payload(): Buffer {
    const rdb = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.read);
    this.parts = [];
    return rdb;
  }

  /** Renames the temp file over <dir>/<dbfilename>; throws a TransferError when it cannot. */
  commit(): void {
    try {
      this.file.commit();
    } catch (err) {
      throw new TransferError(
        `Failed trying to rename the temp DB into ${this.path} in MASTER <-> REPLICA synchronization: ${(err as Error).message}`,
      );
    }
  }

  /** The transfer is abandoned: the temp file goes. */
  discard(): void {
    this.parts = [];
    this.file.discard();
  }
}
