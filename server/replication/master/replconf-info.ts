// What REPLCONF told us about a connection before (and after) it became a replica: its listening
// port, announced ip and capabilities (replconfCommand, 7.0). Kept here, beside the core's Client.

import type { Client } from "../../core/client.js";

export class ReplconfInfo {
  listeningPort = 0;
  announcedIp: string | null = null;
  capaEof = false;
  capaPsync2 = false;
}

const byClient = new WeakMap<Client, ReplconfInfo>();

/** The client's REPLCONF info, empty until it sends REPLCONF. */
export function replconfInfo(client: Client): ReplconfInfo {
  let info = byClient.get(client);
  if (info === undefined) {
    info = new ReplconfInfo();
    byClient.set(client, info);
  }
  return info;
}
