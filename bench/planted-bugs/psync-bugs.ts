// Planted bugs of the PSYNC answer on the serving node (master/psync.ts, replication-stream.ts).

import type { PlantedBug } from "./planted-bug.js";

export const PSYNC_BUGS: PlantedBug[] = [
  {
    id: "continue-from-next-byte",
    mistake:
      "+CONTINUE sends the backlog from offset + 1 (the replica's offset read as its last byte, not its first missing one)",
    rule: "PSYNC-5",
    plant(s) {
      const stream = s.replication.stream;
      const tailFrom = stream.tailFrom.bind(stream);
      stream.tailFrom = (off: number) => (off > stream.offset ? Buffer.alloc(0) : tailFrom(off + 1));
    },
  },
  {
    id: "fullresync-offset-after-select",
    mistake: "+FULLRESYNC announces its offset plus the 23 bytes of the SELECT 0 the stream starts with",
    rule: "PSYNC-6",
    plant(s) {
      // FullSync.start writes `+FULLRESYNC <replid> <offset>` straight to the peer: rewrite that line.
      const fullSync = s.replication.fullSync;
      const start = fullSync.start.bind(fullSync);
      fullSync.start = () => {
        const peers = [...s.replication.stream.peers].filter((p) => p.state === "wait_bgsave_start");
        for (const peer of peers) {
          const writeDirect = peer.writeDirect.bind(peer);
          peer.writeDirect = (chunks, onWritten) => {
            const line = /^\+FULLRESYNC (\w+) (\d+)\r\n$/.exec(chunks[0]?.toString("latin1") ?? "");
            if (line === null) return writeDirect(chunks, onWritten);
            // "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n" is 23 bytes
            const shifted = Buffer.from(`+FULLRESYNC ${line[1]} ${Number(line[2]) + 23}\r\n`, "latin1");
            return writeDirect([shifted, ...chunks.slice(1)], onWritten);
          };
        }
        start();
      };
    },
  },
];
