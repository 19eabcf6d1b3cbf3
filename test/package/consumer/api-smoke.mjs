// Plain Node, no loader: every entry point imports and works. Prints one JSON line for the test.
import { EXIT_CODES, createImageTarget, parseTarget, runCampaign, TargetUnavailable, VERSION } from "replcheck";
import { PROFILES, createCluster } from "replcheck/model";
import { startServer } from "replcheck/server";

const server = await startServer({});
const port = server.port;
await server.close();

const run = await runCampaign({ target: "builtin", runs: 3, steps: 8, seed: 42 });

let image = "made";
try {
  const target = await createImageTarget({ image: "redis:7.4" });
  await target.stopAll();
} catch (e) {
  image = e instanceof TargetUnavailable ? `${e.message} / ${e.hint}` : `other error: ${e}`;
}

console.log(
  JSON.stringify({
    version: VERSION,
    port,
    profiles: Object.keys(PROFILES),
    cluster: typeof createCluster,
    kind: parseTarget("redis-server").kind,
    verdict: run.verdict,
    okCode: EXIT_CODES.ok,
    scenarios: run.result.runs,
    image,
  }),
);
