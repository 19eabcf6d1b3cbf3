// `replcheck image build`: package a local server binary into an image FROM scratch and build it
// through testcontainers, so a machine without any registry can still run the container target.

import { GenericContainer, ImageName, type ContainerRuntimeClient } from "testcontainers";
import { resolveBinary } from "../targets/binary-lookup.js";
import { connectRuntime } from "../targets/container-runtime.js";
import { TargetUnavailable } from "../targets/target.js";
import { createBuildContext } from "./build-context.js";
import { LddError } from "./ldd.js";

export interface BuildImageOptions {
  /** A path, or a bare name looked up in PATH ("redis-server"). */
  binary: string;
  /** NAME[:TAG] of the image to create. */
  tag: string;
  /** Where the temporary build context is written (default: the OS temp dir). */
  workRoot?: string;
}

export interface BuiltImage {
  tag: string;
  binary: string;
  /** Libraries (and the loader) copied next to the binary. */
  libraries: string[];
  elapsedMs: number;
}

export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  const started = Date.now();
  let binary: string;
  try {
    binary = resolveBinary(options.binary);
  } catch (e) {
    if (e instanceof TargetUnavailable)
      throw new TargetUnavailable(
        e.message,
        "pass the path of a Linux server executable, e.g. --binary /usr/bin/redis-server",
      );
    throw e;
  }
  try {
    ImageName.fromString(options.tag);
  } catch (e) {
    throw new TargetUnavailable(
      `invalid image tag "${options.tag}": ${(e as Error).message}`,
      "use NAME[:TAG], e.g. replcheck-redis:7.0.15",
    );
  }
  // Fail on a missing runtime before doing any work.
  await connectRuntime();
  let context: Awaited<ReturnType<typeof createBuildContext>>;
  try {
    context = await createBuildContext(binary, options.workRoot);
  } catch (e) {
    if (e instanceof LddError)
      throw new TargetUnavailable(
        e.message,
        "the binary must be a Linux executable whose libraries are all installed here",
      );
    throw e;
  }
  const client = await connectRuntime();
  const previous = await imageId(client, options.tag);
  try {
    // deleteOnExit false: the image is the product, it must outlive this process.
    await GenericContainer.fromDockerfile(context.dir).build(options.tag, { deleteOnExit: false });
    // Rebuilding a tag leaves the image it named before untagged: remove it, unless something
    // still uses it (a container, another tag), which the runtime refuses.
    if (previous !== undefined && previous !== (await imageId(client, options.tag))) {
      await client.container.dockerode
        .getImage(previous)
        .remove()
        .catch(() => undefined);
    }
  } catch (e) {
    throw new TargetUnavailable(
      `building ${options.tag} failed: ${(e as Error).message}`,
      "check the container engine's log",
    );
  } finally {
    await context.dispose();
  }
  return { tag: options.tag, binary, libraries: context.libraries, elapsedMs: Date.now() - started };
}

async function imageId(client: ContainerRuntimeClient, tag: string): Promise<string | undefined> {
  try {
    return (await client.container.dockerode.getImage(tag).inspect()).Id;
  } catch {
    return undefined;
  }
}
