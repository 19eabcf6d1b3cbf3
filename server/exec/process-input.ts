// Runs every complete request in a client's input buffer (networking.c processInputBuffer).

import type { RedisServer } from "../core/redis-server.js";
import type { Client } from "../core/client.js";
import type { CommandTable } from "../commands/command-table.js";
import { ProtocolError } from "../resp/protocol-error.js";
import { processCommand } from "./process-command.js";

export function processInput(server: RedisServer, table: CommandTable, client: Client): void {
  while (!client.stopProcessing && !client.blocked) {
    const req = client.parser.next();
    if (req === null) return;
    if (req instanceof ProtocolError) {
      // The error is replied, then the connection is closed (setProtocolError).
      client.protocolError = true;
      if (client.kind === "master")
        server.log.warning(
          `Protocol error (${req.message}) from the MASTER: closing the master connection and discarding the cached master.`,
        );
      client.reply.addError(`ERR ${req.message}`);
      client.closeAfterReply = true;
      client.stopProcessing = true;
      return;
    }
    if (req.length === 0) continue;
    processCommand(server, table, client, req);
    if (client.closeAfterReply) client.stopProcessing = true;
  }
}
