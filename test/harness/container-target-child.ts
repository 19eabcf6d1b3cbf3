// Child process for container-target.test.ts: starts two nodes through the container target,
// reports them on stdout, then waits for SIGINT ("signal" mode) or exits without stopAll ("exit").
// argv: <mode> <image>
import { createContainerTarget } from "../../harness/targets/container.js";
import { SESSION_ID } from "../../harness/targets/container-labels.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";

const mode = process.argv[2] ?? "signal";
const image = process.argv[3] ?? "replcheck-redis:7.0.15";
const target = await createContainerTarget({ image });
const nodes = await Promise.all(["n0", "n1"].map((n) => target.startNode(n, deterministicConfig())));
process.stdout.write(
  `READY ${JSON.stringify({ session: SESSION_ID, root: target.root, containers: nodes.map((n) => n.containerId) })}\n`,
);
if (mode === "exit") process.exit(0);
// Keep the event loop alive until a signal arrives.
setInterval(() => {}, 1000);
