// REPLCONF (replication.c replconfCommand, 7.0): listening-port, ip-address, capa, ack, getack.
// ACK and GETACK never reply.

import type { CommandContext } from "../commands/command-context.js";
import { NOT_INTEGER, SYNTAX_ERROR } from "../commands/command-context.js";
import { parseIntArg } from "../util/integers.js";
import { replconfInfo } from "./master/replconf-info.js";
import type { Replicas } from "./master/replicas.js";
import type { MasterLink } from "./replica/master-link.js";

/** What REPLCONF reaches: our replicas (ACK) and our master (GETACK). */
export interface ReplconfTarget {
  readonly isReplica: boolean;
  readonly replicas: Replicas;
  readonly link: MasterLink;
}

/** NET_HOST_STR_LEN */
const MAX_ANNOUNCED_IP = 256;

export function replconfCommand(repl: ReplconfTarget, ctx: CommandContext): void {
  const argv = ctx.argv;
  if (argv.length % 2 === 0) return ctx.reply.addError(SYNTAX_ERROR);
  const client = ctx.client;
  const info = replconfInfo(client);
  for (let j = 1; j < argv.length; j += 2) {
    const option = argv[j].toString("latin1", 0, argv[j].length);
    const value = argv[j + 1];
    switch (option.toLowerCase()) {
      case "listening-port": {
        const port = parseIntArg(value);
        if (Number.isNaN(port)) return ctx.reply.addError(NOT_INTEGER);
        info.listeningPort = port;
        break;
      }
      case "ip-address":
        if (value.length >= MAX_ANNOUNCED_IP) {
          return ctx.reply.addError(
            `ERR REPLCONF ip-address provided by replica instance is too long: ${value.length} bytes`,
          );
        }
        info.announcedIp = value.toString("latin1", 0, value.length);
        break;
      case "capa": {
        const capa = value.toString("latin1", 0, value.length).toLowerCase();
        if (capa === "eof") info.capaEof = true;
        else if (capa === "psync2") info.capaPsync2 = true;
        break; // capabilities we do not know are ignored
      }
      case "ack": {
        // only from replicas; a bad offset is ignored; never a reply
        if (client.kind !== "replica") return;
        const offset = parseIntArg(value);
        if (Number.isNaN(offset)) return;
        repl.replicas.ack(client, offset);
        return;
      }
      case "getack":
        // from our master: ACK at once, with the offset before this command (LINK-5)
        if (repl.isReplica && repl.link.masterClient !== null) repl.link.sendAck();
        return;
      case "rdb-only":
      case "rdb-filter-only":
        break; // accepted; this server always streams after the snapshot
      default:
        return ctx.reply.addError(`ERR Unrecognized REPLCONF option: ${option}`);
    }
  }
  ctx.reply.addOk();
}
