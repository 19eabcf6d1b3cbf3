// The conformance suite against real Redis in containers, through the public entry point
// (`replcheck/vitest`) as another project would use it: Debian's redis-server 7.0.15 packaged into
// an image FROM scratch (no registry is reachable here), one container per node, replicas linked
// through the harness's proxies on the container network's gateway.
//
// Without a container runtime (or redis-server to package) the suite is skipped with the reason;
// REPLCHECK_STRICT=1 (set by .ci/run) turns that into a failing test.

import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { replicationConformanceSuite } from "replcheck/vitest";
import { buildImage } from "../../harness/image/build-image.js";
import { SESSION_ID } from "../../harness/targets/container-labels.js";
import { connectRuntime } from "../../harness/targets/container-runtime.js";
import { TargetUnavailable } from "../../harness/targets/target.js";
import { sessionLeftovers } from "../harness/container-live.js";

const REDIS_SERVER = "/usr/bin/redis-server";
/** Kept after the run: .ci/run builds the same tag, and users can run `replcheck run --target image:replcheck-redis:7.0.15`. */
const IMAGE = "replcheck-redis:7.0.15";

/** The setup step: build the image, or say why it cannot be built here. */
async function prepare(): Promise<string | undefined> {
  if (!existsSync(REDIS_SERVER))
    return `${REDIS_SERVER} not found to package into an image (Debian: apt-get install redis-server)`;
  try {
    const built = await buildImage({ binary: REDIS_SERVER, tag: IMAGE });
    console.log(`[image conformance] built ${IMAGE} in ${built.elapsedMs} ms`);
    return undefined;
  } catch (e) {
    if (e instanceof TargetUnavailable) return `${e.message} (${e.hint})`;
    throw e;
  }
}

const problem = await prepare();
if (problem === undefined) {
  await replicationConformanceSuite({ target: `image:${IMAGE}`, runs: 30, steps: 25, seed: 20261121 });
  // Runs after the suite's tests (a file's tests run in order): every scenario removed its own.
  describe(`image:${IMAGE} after the suite`, () => {
    it("leaves no container or network of this run behind", async () => {
      expect(await sessionLeftovers(await connectRuntime(), SESSION_ID)).toEqual({ containers: [], networks: [] });
    });
  });
} else if (process.env.REPLCHECK_STRICT === "1") {
  describe(`replcheck conformance: image:${IMAGE} (REPLCHECK_STRICT)`, () => {
    it("has a container runtime and an image to run", () => {
      throw new Error(`REPLCHECK_STRICT is set but ${problem}`);
    });
  });
} else {
  console.warn(`[image conformance] skipping: ${problem}; set REPLCHECK_STRICT=1 to fail instead`);
  describe.skip(`replcheck conformance: image:${IMAGE} (skipped: ${problem})`, () => it("conformance", () => {}));
}
