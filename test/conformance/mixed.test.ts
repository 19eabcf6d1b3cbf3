// The conformance suite on mixed clusters, both ways: a built-in first master with real
// redis-server replicas, and a real redis-server first master with built-in replicas (failovers
// promote across kinds; each node is checked against its own profile). Through the public entry
// point, as another project would run it; skipped with a message when redis-server is missing
// (REPLCHECK_STRICT=1 fails instead).

import { replicationConformanceSuite } from "replcheck/vitest";

await replicationConformanceSuite({ target: "mixed:builtin,redis-server", runs: 40, steps: 25, seed: 20261129 });
await replicationConformanceSuite({ target: "mixed:redis-server,builtin", runs: 40, steps: 25, seed: 20261129 });
