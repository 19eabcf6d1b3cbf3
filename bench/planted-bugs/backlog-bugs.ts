// Planted bugs of the circular backlog (ring-backlog.ts) and of its size (BACKLOG-*).

import type { RingBacklog } from "../../server/replication/master/ring-backlog.js";
import type { ServerHandle } from "../../server/index.js";
import type { PlantedBug } from "./planted-bug.js";

/** RingBacklog's private fields, which the copied methods below need. */
interface RingInternals {
  buf: Buffer;
  idx: number;
  hist: number;
  sizeBytes: number;
}

const internals = (b: RingBacklog): RingInternals => b as unknown as RingInternals;

/** Runs `patch` on every backlog the node creates from now on (a backlog is created per history). */
function onEveryBacklog(s: ServerHandle, patch: (backlog: RingBacklog) => void): void {
  const stream = s.replication.stream;
  const create = stream.createBacklog.bind(stream);
  stream.createBacklog = (size: number) => {
    create(size);
    if (stream.backlog !== null) patch(stream.backlog);
  };
  if (stream.backlog !== null) patch(stream.backlog);
}

export const BACKLOG_BUGS: PlantedBug[] = [
  {
    id: "histlen-full-off-by-one",
    mistake: "once the ring is full, repl_backlog_histlen counts one byte more than it holds (size + 1)",
    rule: "BACKLOG-2",
    plant(s) {
      onEveryBacklog(s, (backlog) => {
        const ring = internals(backlog);
        Object.defineProperty(backlog, "histlen", {
          get: () => (ring.hist === ring.sizeBytes ? ring.hist + 1 : ring.hist),
        });
      });
    },
  },
  {
    id: "tail-wrap-off-by-one",
    mistake: "a backlog read that crosses the ring's end resumes at index 1 instead of 0 (+CONTINUE payload shifted)",
    rule: "PSYNC-5",
    plant(s) {
      onEveryBacklog(s, (backlog) => {
        const ring = internals(backlog);
        // RingBacklog.tail with the mistake in the second copy.
        backlog.tail = (count: number): Buffer => {
          if (count < 0 || count > ring.hist)
            throw new RangeError(`backlog holds ${ring.hist} bytes, ${count} requested`);
          const out = Buffer.alloc(count);
          const cap = ring.buf.length;
          const start = (ring.idx - count + cap) % cap;
          const first = Math.min(count, cap - start);
          ring.buf.copy(out, 0, start, start + first);
          if (first < count) ring.buf.copy(out, first, 1, count - first + 1);
          return out;
        };
      });
    },
  },
  {
    id: "resize-drops-history",
    mistake: "CONFIG SET repl-backlog-size empties the backlog instead of keeping its newest bytes",
    rule: "BACKLOG-5",
    plant(s) {
      onEveryBacklog(s, (backlog) => {
        const ring = internals(backlog);
        const resize = backlog.resize.bind(backlog);
        backlog.resize = (size: number) => {
          if (size === ring.sizeBytes) return;
          resize(size);
          ring.hist = 0;
          ring.idx = 0;
        };
      });
    },
  },
  {
    id: "backlog-size-read-once",
    mistake: "a new backlog gets the start-up repl-backlog-size, not the size set since by CONFIG SET",
    rule: "BACKLOG-7",
    plant(s) {
      const repl = s.replication;
      const startupSize = s.server.config.getInt("repl-backlog-size");
      repl.createBacklog = () => repl.stream.createBacklog(startupSize);
    },
  },
];
