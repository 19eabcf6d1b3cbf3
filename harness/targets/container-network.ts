// One container network per target: its nodes live there, and the link proxies listen on its
// gateway address, the host's own address on that network's bridge, which every container on it
// can reach. The address comes from the runtime (network inspect), never from a guess.

import { networkInterfaces } from "node:os";
import type { ContainerRuntimeClient } from "testcontainers";
import { TargetUnavailable } from "./target.js";

export interface TargetNetwork {
  readonly id: string;
  readonly name: string;
  /** The gateway IPv4 address, as the runtime reports it. */
  readonly gateway: string;
}

export async function createTargetNetwork(
  client: ContainerRuntimeClient,
  name: string,
  labels: Record<string, string>,
): Promise<TargetNetwork> {
  const network = await client.network.create({
    Name: name,
    Driver: "bridge",
    CheckDuplicate: true,
    Internal: false,
    Labels: labels,
  });
  try {
    const info = await network.inspect();
    const gateway = (info.IPAM?.Config ?? [])
      .map((c: { Gateway?: string }) => c.Gateway)
      .find((g: string | undefined) => g !== undefined && /^\d+\.\d+\.\d+\.\d+$/.test(g));
    if (gateway === undefined) {
      throw new TargetUnavailable(
        `the container network ${name} has no IPv4 gateway in its IPAM config (${JSON.stringify(info.IPAM?.Config ?? [])})`,
        "use a bridge network driver with IPv4 (the default of Docker and Podman)",
      );
    }
    return { id: network.id, name, gateway };
  } catch (e) {
    await network.remove().catch(() => undefined);
    throw e;
  }
}

/**
 * The proxies must listen on the gateway, so it must be an address of this machine. It is not
 * when the engine runs elsewhere (a remote DOCKER_HOST, a VM as in Docker Desktop) or in its own
 * network namespace (rootless Podman). Podman creates the bridge with the first container, so
 * check after one has started.
 */
export function checkGatewayIsLocal(gateway: string): void {
  const local = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  if (!local.includes(gateway)) {
    throw new TargetUnavailable(
      `the container network's gateway ${gateway} is not an address of this machine (${local.join(", ")}), so link proxies cannot listen where the containers can reach them`,
      "run the container engine on this machine as root (rootful Docker or Podman); remote engines, Docker Desktop and rootless Podman are not supported",
    );
  }
}
