// Planted bugs of what goes into the replication stream (OFFSET-*).

import { CommandContext, type RedisServer } from "../../server/index.js";
import { GETACK_BYTES } from "../../server/replication/stream-encoding.js";
import type { PlantedBug } from "./planted-bug.js";

/** Servers that carry the expire bug: the prototype patch below acts only on them. */
const expireBugServers = new WeakSet<RedisServer>();

export const STREAM_BUGS: PlantedBug[] = [
  {
    id: "past-expire-not-propagated-as-del",
    mistake: "an EXPIRE/PEXPIREAT whose time has passed deletes the key but propagates the command as sent, not as DEL",
    rule: "OFFSET-8",
    plant(s) {
      expireBugServers.add(s.server);
    },
    install() {
      // The rewrite to DEL happens inside the expire command (keys.ts): skip it on planted servers.
      const rewrite = CommandContext.prototype.rewrite;
      CommandContext.prototype.rewrite = function (this: CommandContext, argv: Buffer[]) {
        const name = this.argv[0]?.toString("latin1").toUpperCase() ?? "";
        if (expireBugServers.has(this.server) && /EXPIRE/.test(name)) return;
        rewrite.call(this, argv);
      };
      return () => {
        CommandContext.prototype.rewrite = rewrite;
      };
    },
  },
  {
    id: "getack-outside-offset",
    mistake: "REPLCONF GETACK is written to the replicas but not counted in master_repl_offset nor kept in the backlog",
    rule: "OFFSET-5",
    plant(s) {
      const repl = s.replication;
      repl.sendGetack = () => {
        if (repl.isReplica) return;
        for (const peer of repl.stream.peers) peer.feed(GETACK_BYTES);
      };
    },
  },
];
