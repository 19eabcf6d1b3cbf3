// Registers every command of the non-replication server.

import type { CommandTable } from "./command-table.js";
import { connectionCommands } from "./connection.js";
import { hashCommands } from "./hashes.js";
import { keyCommands } from "./keys.js";
import { listCommands } from "./lists.js";
import { serverCommands } from "./server-admin.js";
import { setCommands } from "./sets.js";
import { stringCommands } from "./strings.js";
import { transactionCommands } from "./transactions.js";
import { zsetCommands } from "./zsets.js";

export function registerBuiltinCommands(table: CommandTable): void {
  for (const group of [connectionCommands, serverCommands, keyCommands, stringCommands, listCommands, hashCommands, setCommands, zsetCommands, transactionCommands]) {
    table.registerAll(group);
  }
}
