// REPLICAOF / SLAVEOF host port | NO ONE (replication.c replicaofCommand, 7.0; LINK-7).

import type { CommandContext } from "../commands/command-context.js";
import type { ServerLog } from "../core/server-log.js";
import { parseIntArg } from "../util/integers.js";
import type { MasterLink } from "./replica/master-link.js";

/** What REPLICAOF changes. */
export interface ReplicaofTarget {
  readonly isReplica: boolean;
  readonly link: MasterLink;
  /** replicationSetMaster(). */
  setMaster(host: string, port: number): void;
  /** replicationUnsetMaster(). */
  unsetMaster(): void;
}

export function replicaofCommand(repl: ReplicaofTarget, log: ServerLog, ctx: CommandContext): void {
  const host = ctx.argv[1].toString("latin1");
  const portText = ctx.argv[2].toString("latin1");
  if (host.toLowerCase() === "no" && portText.toLowerCase() === "one") {
    if (repl.isReplica) {
      repl.unsetMaster();
      log.notice(`MASTER MODE enabled (user request from '${ctx.client.address}')`);
    }
    ctx.reply.addOk();
    return;
  }
  if (ctx.client.kind === "replica") return ctx.reply.addError("ERR Command is not valid when client is a replica.");
  const port = parseIntArg(ctx.argv[2]);
  if (Number.isNaN(port) || port < 0 || port > 65535) return ctx.reply.addError("ERR Invalid master port");
  const link = repl.link;
  if (link.host !== null && link.host.toLowerCase() === host.toLowerCase() && link.port === port) {
    log.notice(
      "REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.",
    );
    ctx.reply.addSimple("OK Already connected to specified master");
    return;
  }
  repl.setMaster(host, port);
  log.notice(`REPLICAOF ${host}:${port} enabled (user request from '${ctx.client.address}')`);
  ctx.reply.addOk();
}
