// Child process for binary-target.test.ts: starts one node through the binary target, reports it on
// stdout, then waits for SIGINT ("signal" mode) or exits without stopAll ("exit" mode).
import { createBinaryTarget } from "../../harness/targets/binary.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";

const mode = process.argv[2] ?? "signal";
const target = await createBinaryTarget({ binary: "/usr/bin/redis-server" });
const node = await target.startNode("n0", deterministicConfig());
process.stdout.write(`READY ${JSON.stringify({ pid: node.pid, port: node.port, root: target.root })}\n`);
if (mode === "exit") process.exit(0);
// Keep the event loop alive until a signal arrives.
setInterval(() => {}, 1000);
