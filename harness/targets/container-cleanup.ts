// Removing a set of containers and networks through the runtime API: containers first (a network
// in use cannot be removed), each forced (SIGKILL, no grace period), already-gone ones ignored.

import type { ContainerRuntimeClient } from "testcontainers";
import { LABEL_SESSION, labelFilter } from "./container-labels.js";

/** 404 (already removed) and 409 (removal already in progress) are not failures. */
function gone(e: unknown): boolean {
  const status = (e as { statusCode?: number }).statusCode;
  return status === 404 || status === 409;
}

export async function removeContainer(client: ContainerRuntimeClient, id: string): Promise<void> {
  try {
    await client.container.dockerode.getContainer(id).remove({ force: true, v: true });
  } catch (e) {
    if (!gone(e)) throw e;
  }
}

export async function removeNetwork(client: ContainerRuntimeClient, id: string): Promise<void> {
  try {
    await client.container.dockerode.getNetwork(id).remove();
  } catch (e) {
    if (!gone(e)) throw e;
  }
}

/** Every container and network labelled with `session`; returns what was removed. */
export async function removeSession(
  client: ContainerRuntimeClient,
  session: string,
): Promise<{ containers: string[]; networks: string[] }> {
  const docker = client.container.dockerode;
  const filters = labelFilter(LABEL_SESSION, session);
  const containers = (await docker.listContainers({ all: true, filters })).map((c) => c.Id);
  await Promise.all(containers.map((id) => removeContainer(client, id)));
  const networks = (await docker.listNetworks({ filters })).map((n) => n.Id);
  await Promise.all(networks.map((id) => removeNetwork(client, id)));
  return { containers, networks };
}
