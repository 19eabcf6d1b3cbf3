// The conformance suite in a consumer's own vitest run, exactly as the README shows it.
import { replicationConformanceSuite } from "replcheck/vitest";

await replicationConformanceSuite({ target: "redis-server", runs: 5, steps: 20, seed: 20261121 });
