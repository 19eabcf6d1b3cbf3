// A full garbage collection on request. freeClient() gives a closed client's query buffer back at
// once; in Node.js the backing stores of the Buffers a parser dropped are only freed when V8
// collects, which an idle server (no allocation pressure) may not do for a long time. So after a
// client that held a lot is closed, the server asks for a collection. --expose-gc set at run time
// applies to contexts created afterwards, hence the one-off context that hands out gc().

import v8 from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | null | undefined;
let scheduled = false;

/** Runs a full collection soon (once, however often it is asked for in one loop turn). */
export function collectGarbageSoon(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    if (gc === undefined) {
      try {
        v8.setFlagsFromString("--expose-gc");
        gc = runInNewContext("gc") as () => void;
      } catch {
        gc = null;
      }
    }
    gc?.();
  });
}
