// Shared by the container suites: whether a container runtime answers and redis-server is there to
// package, and the strict-mode failure (registered only when it applies, so a machine with both
// shows no skipped test). Also the leftover listing by label that every container suite ends with.

import { existsSync } from "node:fs";
import type { ContainerRuntimeClient } from "testcontainers";
import { describe, it } from "vitest";
import { LABEL_SESSION, labelFilter } from "../../harness/targets/container-labels.js";
import { connectRuntime } from "../../harness/targets/container-runtime.js";
import { TargetUnavailable } from "../../harness/targets/target.js";

export const REDIS_SERVER = "/usr/bin/redis-server";
const strict = process.env.REPLCHECK_STRICT === "1";

async function probe(): Promise<
  { client: ContainerRuntimeClient; reason?: undefined } | { client?: undefined; reason: string }
> {
  if (!existsSync(REDIS_SERVER))
    return { reason: `${REDIS_SERVER} not found to package into an image (Debian: apt-get install redis-server)` };
  try {
    return { client: await connectRuntime() };
  } catch (e) {
    if (e instanceof TargetUnavailable) return { reason: `${e.message} (${e.hint})` };
    throw e;
  }
}

/** Probed once per test file. */
export const live = await probe();

/** Call at the top of a suite: warns when skipping, or registers a failing test under REPLCHECK_STRICT. */
export function announceContainers(suite: string): void {
  if (live.reason === undefined) return;
  const reason = live.reason;
  if (strict) {
    describe(`${suite}: container runtime required (REPLCHECK_STRICT)`, () => {
      it("has a container runtime and redis-server", () => {
        throw new Error(`REPLCHECK_STRICT is set but ${reason}`);
      });
    });
  } else {
    console.warn(`[${suite}] skipping the container tests: ${reason}; set REPLCHECK_STRICT=1 to fail instead`);
  }
}

/** Containers and networks (ids) carrying `org.replcheck.session=<session>`. */
export async function sessionLeftovers(
  client: ContainerRuntimeClient,
  session: string,
): Promise<{ containers: string[]; networks: string[] }> {
  const docker = client.container.dockerode;
  const filters = labelFilter(LABEL_SESSION, session);
  const containers = (await docker.listContainers({ all: true, filters })).map(
    (c) => `${c.Id.slice(0, 12)} ${c.Names.join(",")} ${c.State}`,
  );
  const networks = (await docker.listNetworks({ filters })).map((n) => `${n.Id.slice(0, 12)} ${n.Name}`);
  return { containers, networks };
}
