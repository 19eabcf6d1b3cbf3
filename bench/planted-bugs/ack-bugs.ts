// Planted bugs of acknowledgements: REPLCONF ACK, WAIT and min-replicas (LINK-5, WAIT-*, MINREP-*).

import type net from "node:net";
import { encodeStrings } from "../../server/replication/stream-encoding.js";
import type { PlantedBug } from "./planted-bug.js";

export const ACK_BUGS: PlantedBug[] = [
  {
    id: "wait-counts-unacked-replicas",
    mistake: "WAIT counts every online replica, whether or not it acknowledged the client's offset",
    rule: "WAIT-1",
    plant(s) {
      const repl = s.replication;
      repl.countAcks = () => [...repl.stream.peers].filter((p) => p.state === "online").length;
    },
  },
  {
    id: "min-replicas-ignores-lag",
    mistake: "min-replicas-to-write counts online replicas however long ago they last acked (max-lag ignored)",
    rule: "MINREP-2",
    plant(s) {
      const good = s.replication.good;
      good.refresh = (peers) => {
        if (!good.active) return;
        good.count = [...peers].filter((p) => p.state === "online").length;
      };
    },
  },
  {
    id: "ack-reports-read-offset",
    mistake: "REPLCONF ACK reports read_reploff (bytes received) instead of reploff (bytes applied)",
    rule: "LINK-5",
    plant(s) {
      const link = s.replication.link;
      link.sendAck = () => {
        const master = link.master;
        if (link.state !== "connected" || master === null) return;
        // MasterStream keeps its socket private; the buggy ACK writes to it as sendAck does.
        const socket = (master as unknown as { socket: net.Socket }).socket;
        socket.write(encodeStrings("REPLCONF", "ACK", String(master.readReploff)));
      };
    },
  },
];
