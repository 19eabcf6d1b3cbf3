// The container runtime (Docker, or Podman's Docker-compatible API) as testcontainers finds it:
// DOCKER_HOST, ~/.testcontainers.properties, /var/run/docker.sock, ... Without one the container
// target fails at once with TargetUnavailable, never a hang or a stack trace.

import { getContainerRuntimeClient, type ContainerRuntimeClient } from "testcontainers";
import { withDeadline } from "../util/wait-for.js";
import { TargetUnavailable } from "./target.js";

export const RUNTIME_HINT =
  "start Docker, or Podman's Docker API (scripts/container-engine.sh start) and export DOCKER_HOST=unix:///run/podman/podman.sock; " +
  "without a registry also export TESTCONTAINERS_RYUK_DISABLED=true";

/** Where testcontainers was told to look, for the error message. */
export function runtimeLocation(): string {
  return process.env.DOCKER_HOST !== undefined && process.env.DOCKER_HOST !== ""
    ? `DOCKER_HOST=${process.env.DOCKER_HOST}`
    : "DOCKER_HOST unset";
}

/** The runtime client, or TargetUnavailable saying where it looked. testcontainers caches a working client. */
export async function connectRuntime(deadlineMs = 30_000): Promise<ContainerRuntimeClient> {
  try {
    return await withDeadline(
      getContainerRuntimeClient(),
      deadlineMs,
      () => new Error(`no answer within ${deadlineMs} ms`),
    );
  } catch (e) {
    throw new TargetUnavailable(
      `no container runtime found (${runtimeLocation()}): ${(e as Error).message}`,
      RUNTIME_HINT,
    );
  }
}

/**
 * The reaper container (Ryuk) that testcontainers starts by default must be pulled from Docker Hub;
 * when that fails, say how to run without it (replcheck removes its containers itself).
 */
export function reaperProblem(e: unknown): TargetUnavailable | undefined {
  const message = e instanceof Error ? e.message : String(e);
  if (!/ryuk|reaper/i.test(message) || process.env.TESTCONTAINERS_RYUK_DISABLED === "true") return undefined;
  return new TargetUnavailable(
    `testcontainers could not start its reaper container (${message})`,
    "no registry is reachable to pull testcontainers/ryuk: export TESTCONTAINERS_RYUK_DISABLED=true (replcheck removes its own containers and networks)",
  );
}
