// ROLE (replication.c roleCommand; LINK-8).

import type { CommandContext } from "../commands/command-context.js";
import type { ReplicationStream } from "./master/replication-stream.js";
import type { MasterLink } from "./replica/master-link.js";

/** What ROLE shows. */
export interface RoleSource {
  readonly isReplica: boolean;
  readonly stream: ReplicationStream;
  readonly link: MasterLink;
}

export function roleCommand(repl: RoleSource, ctx: CommandContext): void {
  const r = ctx.reply;
  const link = repl.link;
  if (!repl.isReplica) {
    const online = [...repl.stream.peers].filter((p) => p.state === "online");
    r.addArrayLength(3);
    r.addBulkLatin1("master");
    r.addInteger(repl.stream.offset);
    r.addArrayLength(online.length);
    for (const p of online) {
      r.addArrayLength(3);
      r.addBulkLatin1(p.info.announcedIp ?? p.client.transport.remoteAddress);
      r.addBulkLatin1(String(p.info.listeningPort));
      r.addBulkLatin1(String(p.ackOffset));
    }
    return;
  }
  r.addArrayLength(5);
  r.addBulkLatin1("slave");
  r.addBulkText(link.host as string);
  r.addInteger(link.port);
  r.addBulkLatin1(link.roleState);
  r.addInteger(link.master !== null ? link.master.reploff : -1);
}
