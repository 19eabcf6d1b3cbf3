// The container target (`--target image:NAME[:TAG]`): every node is a container of one image,
// started through testcontainers on a network of its own, with the same deterministic command line
// as the binary target. Replicas reach their master through the harness's link proxies, which
// listen on the network's gateway (the host's address on its bridge), so every proxy fault works
// as for processes.

import { randomUUID } from "node:crypto";
import { chmod, mkdir, rm } from "node:fs/promises";
import { getReaper, LABEL_TESTCONTAINERS_SESSION_ID, type ContainerRuntimeClient } from "testcontainers";
import { removeContainer, removeNetwork } from "./container-cleanup.js";
import { ensureImage } from "./container-image.js";
import { LABEL_TARGET, labelFilter, targetLabels } from "./container-labels.js";
import { checkGatewayIsLocal, createTargetNetwork, type TargetNetwork } from "./container-network.js";
import { ContainerNode, type ContainerNodeHandle } from "./container-node.js";
import { serverVersion } from "./container-probe.js";
import { registerContainerTarget, type ContainerRegistration } from "./container-registry.js";
import { connectRuntime, reaperProblem } from "./container-runtime.js";
import { type ContainerTargetOptions, IMAGE_KIND } from "./image-kind.js";
import { createRunRoot, NodeSet } from "./node-set.js";
import { capabilitiesFor, type ServerConfig, type Target, type TargetCapabilities } from "./target.js";
import { settleWithin } from "../util/wait-for.js";

/** How long stopAll's final sweep (leftover containers, the network) may wait for the engine. */
const SWEEP_DEADLINE_MS = 30_000;

export interface ContainerTarget extends Target {
  readonly kind: "image";
  readonly image: string;
  /** The value of the org.replcheck.target label on this target's containers and network. */
  readonly id: string;
  readonly network: TargetNetwork;
  /** The per-run temp root holding one directory per node. */
  readonly root: string;
  startNode(name: string, config: ServerConfig): Promise<ContainerNodeHandle>;
}

export async function createContainerTarget(options: ContainerTargetOptions): Promise<ContainerTarget> {
  const client = await connectRuntime();
  await ensureImage(client, options.image);
  const labels = targetLabels(randomUUID());
  try {
    // With Ryuk enabled (the default where a registry is reachable), it also removes our
    // containers and network should this process die by SIGKILL.
    labels[LABEL_TESTCONTAINERS_SESSION_ID] = (await getReaper(client)).sessionId;
  } catch (e) {
    throw reaperProblem(e) ?? e;
  }
  const id = labels[LABEL_TARGET];
  const root = await createRunRoot(options, "replcheck-image-");
  const keepLogs = options.keepLogs ?? false;
  // The engine's unix socket, if that is how it is reached: the reaper removes the session's
  // containers through it should this process be SIGKILLed.
  const socketPath = (client.container.dockerode as { modem?: { socketPath?: unknown } }).modem?.socketPath;
  const engineSocket = typeof socketPath === "string" && socketPath !== "" ? socketPath : undefined;
  const registration = registerContainerTarget({
    ...(keepLogs ? {} : { removeOnInterrupt: root }),
    ...(engineSocket === undefined ? {} : { engineSocket }),
  });
  try {
    const network = await createTargetNetwork(client, `replcheck-${id.slice(0, 8)}`, labels);
    return new ContainerTargetImpl(client, options, id, labels, network, root, keepLogs, registration);
  } catch (e) {
    registration.release();
    await rm(root, { recursive: true, force: true });
    throw e;
  }
}

class ContainerTargetImpl implements ContainerTarget {
  readonly kind = "image" as const;
  readonly capabilities: TargetCapabilities;
  private readonly nodes: NodeSet<ContainerNode>;
  private gatewayChecked = false;
  private version: string | undefined;

  constructor(
    private readonly client: ContainerRuntimeClient,
    private readonly options: ContainerTargetOptions,
    readonly id: string,
    private readonly labels: Record<string, string>,
    readonly network: TargetNetwork,
    readonly root: string,
    keepLogs: boolean,
    registration: ContainerRegistration,
  ) {
    this.capabilities = capabilitiesFor(IMAGE_KIND, options);
    this.nodes = new NodeSet({
      what: "container target",
      root,
      keepLogs,
      sweep: () => this.sweep(),
      release: () => registration.release(),
    });
  }

  get image(): string {
    return this.options.image;
  }
  get proxyListenHost(): string {
    return this.network.gateway;
  }
  get proxyAdvertiseHost(): string {
    return this.network.gateway;
  }
  /** The server and version come from INFO server of the first node, once one has started. */
  get description(): string {
    return this.version === undefined ? `image ${this.image}` : `${this.version} (image ${this.image})`;
  }

  startNode(name: string, config: ServerConfig): Promise<ContainerNodeHandle> {
    return this.nodes.start(
      name,
      async (dir) => {
        await mkdir(dir);
        // The image may run its server as another user (the official images use uid 999).
        await chmod(dir, 0o777);
        return new ContainerNode({
          name,
          image: this.image,
          dir,
          network: this.network,
          targetId: this.id,
          labels: this.labels,
          client: this.client,
          readyDeadlineMs: this.options.readyDeadlineMs ?? 30_000,
          stopDeadlineMs: this.options.stopDeadlineMs ?? 5_000,
          timers: this.options.timers === true,
        });
      },
      async (node) => {
        await node.start(config);
        if (!this.gatewayChecked) {
          checkGatewayIsLocal(this.network.gateway);
          this.gatewayChecked = true;
        }
        this.version ??= await serverVersion(node.host, node.port);
      },
    );
  }

  stopAll(): Promise<void> {
    return this.nodes.stopAll();
  }

  /**
   * After every node's (bounded) stop, anything of this target still there (a start in progress):
   * by label. Bounded too: an engine that stopped answering must not hold up the run (the session
   * cleanup at exit tries again).
   */
  private async sweep(): Promise<void> {
    const docker = this.client.container.dockerode;
    const sweep = (async () => {
      const left = await docker.listContainers({ all: true, filters: labelFilter(LABEL_TARGET, this.id) });
      await Promise.all(left.map((c) => removeContainer(this.client, c.Id)));
      await removeNetwork(this.client, this.network.id);
    })();
    await settleWithin(sweep, SWEEP_DEADLINE_MS, () => undefined);
  }
}
