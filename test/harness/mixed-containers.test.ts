// A mixed target with one side in containers: redis-server 7.0.15 packaged into an image next to
// the built-in server, both ways. The link proxies listen on the container network's gateway (the
// only place both the containers and the local server reach), a failover promotes across kinds,
// and nothing of the run is left behind. Skipped without a container runtime (REPLCHECK_STRICT=1
// fails instead).

import { describe, expect, it } from "vitest";
import { buildImage } from "../../harness/image/build-image.js";
import { runConfig } from "../../harness/run/defaults.js";
import { runScenario } from "../../harness/run/scenario-run.js";
import { SESSION_ID } from "../../harness/targets/container-labels.js";
import { parseTarget } from "../../harness/targets/parse.js";
import type { Target } from "../../harness/targets/target.js";
import { announceContainers, live, REDIS_SERVER, sessionLeftovers } from "./container-live.js";
import { failover } from "./mixed-failover.js";

announceContainers("mixed target with containers");

// The tag .ci/run and the image conformance suite build (and keep) too.
const IMAGE = "replcheck-redis:7.0.15";

describe.runIf(live.reason === undefined)("a mixed target with a container side", () => {
  it("builds the redis-server image", { timeout: 300_000 }, async () => {
    await buildImage({ binary: REDIS_SERVER, tag: IMAGE });
  });

  for (const spec of [`mixed:builtin,image:${IMAGE}`, `mixed:image:${IMAGE},builtin`]) {
    it(`${spec}: proxies on the gateway, a failover across kinds passes`, { timeout: 300_000 }, async () => {
      const choice = parseTarget(spec);
      const made: Target[] = [];
      const make = async () => {
        const t = await choice.make({});
        made.push(t);
        return t;
      };
      const result = await runScenario(runConfig(make, { checkpointEvery: 1 }), null, failover);
      expect(result.reason).toBeUndefined();
      expect(result.status).toBe("passed");
      expect(result.profile).toMatch(/Redis 7\.0 \(7\.0\.15\) on .* \+ |\+ Redis 7\.0 \(7\.0\.15\) on /);
      expect(result.target).toMatch(/image replcheck-redis:7\.0\.15/);
      expect(made).toHaveLength(1);
      // Not loopback: a container's 127.0.0.1 is its own.
      expect(made[0].proxyListenHost).not.toMatch(/^127\./);
      expect(made[0].proxyAdvertiseHost).toBe(made[0].proxyListenHost);
    });
  }

  it("leaves no container or network of this run behind", { timeout: 60_000 }, async () => {
    expect(await sessionLeftovers(live.client!, SESSION_ID)).toEqual({ containers: [], networks: [] });
  });
});
