// The conformance suite against Debian's real redis-server, through the public entry point
// (`replcheck/vitest`) exactly as another project would use it. Skipped with a message when
// redis-server is missing; REPLCHECK_STRICT=1 (set by .ci/run) turns that into a failure.

import { replicationConformanceSuite } from "replcheck/vitest";

await replicationConformanceSuite({ target: "redis-server", runs: 40, steps: 25, seed: 20261121 });
