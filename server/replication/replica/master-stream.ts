// The master's stream on a connected replica (replicationCreateMasterClient, 7.0): its bytes run
// as commands of the master client; reploff moves at complete commands and not inside a
// transaction (OFFSET-9); what was applied is forwarded unchanged to our backlog and
// sub-replicas (CHAIN-2); REPLCONF ACK reports reploff (LINK-5).

import type net from "node:net";
import type { Client } from "../../core/client.js";
import type { RedisServer } from "../../core/redis-server.js";
import { encodeStrings } from "../stream-encoding.js";
import type { CachedMaster } from "./cached-master.js";
import { LinkTransport } from "./link-transport.js";

export class MasterStream {
  readonly client: Client;
  /** reploff: the offset of the last complete command applied. */
  reploff: number;
  /** read_reploff: the offset of the last byte received. */
  readReploff: number;

  /** reploff when the stream started; consumed bytes are counted from there. */
  private readonly base: number;
  private applied = 0;
  private forwarded = 0;
  /** Bytes received but not yet forwarded. */
  private pending: Buffer[] = [];

  constructor(
    private readonly server: RedisServer,
    private readonly socket: net.Socket,
    /** The master's replid. */
    readonly replid: string,
    reploff: number,
    db: number,
    /** Applied bytes join our own stream. */
    private readonly forward: (bytes: Buffer) => void,
  ) {
    const client = server.createClient(new LinkTransport(socket));
    client.kind = "master";
    client.reply.muted = true; // RO-5: a replica sends its master no replies (only ACKs)
    client.parser.isMaster = true; // no proto-max-bulk-len, no inline commands
    client.authenticated = true;
    if (db >= 0 && db < server.keyspace.dbs.length) client.db = server.database(db);
    this.client = client;
    this.reploff = reploff;
    this.readReploff = reploff;
    this.base = reploff;
  }

  /** Bytes of the stream arrived: run them, forward what was applied. */
  receive(chunk: Buffer): void {
    this.client.lastInteraction = this.server.now();
    this.readReploff += chunk.length;
    this.pending.push(chunk);
    this.server.feed(this.client, chunk);
    this.forwardApplied();
  }

  /** After every command of the master client (OFFSET-9): the whole transaction counts at its EXEC. */
  commandDone(): void {
    if (this.client.inMulti) return;
    this.applied = this.client.consumedBytes;
    this.reploff = this.base + this.applied;
  }

  /** Feeds the applied bytes, unchanged, to our stream (CHAIN-2). */
  forwardApplied(): void {
    let n = this.applied - this.forwarded;
    if (n <= 0) return;
    this.forwarded = this.applied;
    while (n > 0 && this.pending.length > 0) {
      const head = this.pending[0];
      if (head.length <= n) {
        this.pending.shift();
        this.forward(head);
        n -= head.length;
      } else {
        this.forward(head.subarray(0, n));
        this.pending[0] = head.subarray(n);
        n = 0;
      }
    }
  }

  /** REPLCONF ACK <reploff>. During a GETACK, reploff does not include its bytes yet. */
  sendAck(): void {
    this.socket.write(encodeStrings("REPLCONF", "ACK", String(this.reploff)));
  }

  /** replicationCacheMaster(): what a later PSYNC continues from. */
  cache(): CachedMaster {
    return { replid: this.replid, reploff: this.reploff, db: this.client.db.id };
  }
}
