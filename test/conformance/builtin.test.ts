// The conformance suite against replcheck's own server (always available: it runs in process).

import { replicationConformanceSuite } from "replcheck/vitest";

await replicationConformanceSuite({ target: "builtin", runs: 60, steps: 30, seed: 20261121 });
