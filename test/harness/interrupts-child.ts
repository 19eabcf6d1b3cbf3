// Child process for interrupts.test.ts. argv: <mode> <target>
//   signal  takes SIGINT/SIGTERM over, starts a node, reports; on SIGTERM it reports whether the
//           node survived the signal, calls killAllNow and exits 143.
//   exit    takes the signals over, starts a node, reports, and exits without stopAll.
import { SESSION_ID } from "../../harness/targets/container-labels.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { killAllNow, takeOverSignals } from "../../harness/targets/interrupts.js";
import { parseTarget } from "../../harness/targets/parse.js";
import { reaperPid } from "../../harness/reaper/reaper.js";

const mode = process.argv[2] ?? "signal";
const spec = process.argv[3] ?? "redis-server";
const target = await parseTarget(spec).make({});
const node = await target.startNode("n0", deterministicConfig());
const before = { SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") };
takeOverSignals();
const after = { SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") };
const root = (target as { root?: string }).root;
const pid = (node as { pid?: number }).pid;
const containerId = (node as { containerId?: string }).containerId;
if (mode === "signal") {
  process.on("SIGTERM", () => {
    const alive = pid === undefined ? undefined : isAlive(pid);
    process.stdout.write(`GOT ${JSON.stringify({ alive })}\n`);
    killAllNow();
    process.exit(143);
  });
}
process.stdout.write(
  `READY ${JSON.stringify({ before, after, pid, root, containerId, session: SESSION_ID, reaper: reaperPid() })}\n`,
);
if (mode === "exit") process.exit(0);
setInterval(() => {}, 1000);

function isAlive(p: number): boolean {
  try {
    process.kill(p, 0);
    return true;
  } catch {
    return false;
  }
}
