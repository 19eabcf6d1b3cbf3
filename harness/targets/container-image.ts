// The target's image must be there before any node starts: present locally, or pulled now. A pull
// that fails (no registry reachable, unknown name) is reported as such, with the way out: build an
// image from a local binary.

import { ImageName, type ContainerRuntimeClient } from "testcontainers";
import { TargetUnavailable } from "./target.js";

const present = new Set<string>();

export const BUILD_HINT =
  "build one from a local server binary: replcheck image build --binary /usr/bin/redis-server --tag replcheck-redis:local, then --target image:replcheck-redis:local";

export async function ensureImage(client: ContainerRuntimeClient, image: string): Promise<void> {
  if (present.has(image)) return;
  let name: ImageName;
  try {
    name = ImageName.fromString(image);
  } catch (e) {
    throw new TargetUnavailable(
      `invalid image name "${image}": ${(e as Error).message}`,
      "use image:NAME[:TAG], e.g. image:redis:7.4",
    );
  }
  if (!(await client.image.exists(name))) {
    const problem = await pull(client, image);
    if (!(await client.image.exists(name))) {
      throw new TargetUnavailable(
        `image ${image} is not present and could not be pulled: ${problem ?? "the pull ended without it"}`,
        BUILD_HINT,
      );
    }
  }
  present.add(image);
}

/** Pulls through the runtime API; a failed pull is an error line in the progress stream, not a rejection. */
async function pull(client: ContainerRuntimeClient, image: string): Promise<string | undefined> {
  const docker = client.container.dockerode;
  try {
    const stream = await docker.pull(image);
    const events = await new Promise<{ error?: string; errorDetail?: { message?: string } }[]>((resolve, reject) =>
      docker.modem.followProgress(stream, (e: Error | null, output: unknown[]) =>
        e === null ? resolve(output as never) : reject(e),
      ),
    );
    const failed = events.find((ev) => ev.error !== undefined || ev.errorDetail !== undefined);
    return failed === undefined ? undefined : (failed.errorDetail?.message ?? failed.error);
  } catch (e) {
    return (e as Error).message;
  }
}
