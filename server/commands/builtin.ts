// Registers every command of the core server (the entry point adds replication's after these).

import type { CommandHandler } from "./command-spec.js";
import type { CommandTable } from "./command-table.js";
import { introspectionCommands } from "./command-introspection.js";
import { connectionCommands } from "./connection.js";
import { debugCommands } from "./debug-command.js";
import { hashCommands } from "./hashes.js";
import { keyCommands } from "./keys.js";
import { listCommands } from "./lists.js";
import { serverCommands } from "./server-admin.js";
import { setCommands } from "./sets.js";
import { stringCommands } from "./strings.js";
import { transactionCommands } from "./transactions.js";
import { zsetCommands } from "./zsets.js";

/** COMMAND describes `table` itself; DEBUG also runs `debugExtensions`. */
export function registerBuiltinCommands(
  table: CommandTable,
  debugExtensions: ReadonlyMap<string, CommandHandler>,
): void {
  const groups = [
    connectionCommands,
    serverCommands,
    introspectionCommands(table),
    debugCommands(debugExtensions),
    keyCommands,
    stringCommands,
    listCommands,
    hashCommands,
    setCommands,
    zsetCommands,
    transactionCommands,
  ];
  for (const group of groups) table.registerAll(group);
}
