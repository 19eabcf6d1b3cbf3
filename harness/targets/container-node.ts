// One node of the container target: a container of the target's image on the target's network,
// its server's directory bind-mounted from the host (so the RDB of a SAVE survives a restart, and
// the log can be read on the host), its port published on 127.0.0.1 only.
//
// A restart cannot change a container's command line, so it replaces the container: SHUTDOWN
// NOSAVE, remove, and a new container with the new command line, the same directory and the same
// published port. The admin address and `upstream` therefore never change.

import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  GenericContainer,
  type ContainerRuntimeClient,
  type StartedTestContainer,
  type WaitStrategy,
} from "testcontainers";
import { settleWithin, waitFor, WaitTimeout, withDeadline } from "../util/wait-for.js";
import { CONTAINER_DIR, CONTAINER_PORT, LOG_FILE, containerArgs } from "./container-args.js";
import { removeContainer } from "./container-cleanup.js";
import { LABEL_NODE, LABEL_TARGET } from "./container-labels.js";
import type { TargetNetwork } from "./container-network.js";
import { answersPing, shutdownNoSave } from "./container-probe.js";
import { tail } from "./server-process.js";
import { elapseInRealTime } from "./real-time-timers.js";
import {
  TargetUnavailable,
  type ElapseContext,
  type NodeHandle,
  type RestartHow,
  type ServerConfig,
  type TimerEvent,
} from "./target.js";

/** The port the runtime picked for a first start was taken before it could bind it. */
class PortTaken extends TargetUnavailable {}

/** How long a stop may wait for the engine (and for a restart queued ahead) beyond the SHUTDOWN deadline. */
const STOP_SLACK_MS = 30_000;

/** Published ports are bound here: the harness is the only client, nothing else should reach them. */
export const PUBLISH_HOST = "127.0.0.1";

export interface ContainerNodeSpec {
  name: string;
  image: string;
  /** Host directory bind-mounted as the server's directory. */
  dir: string;
  network: TargetNetwork;
  targetId: string;
  /** Labels for the container (session, target, pid); the node label is added here. */
  labels: Record<string, string>;
  client: ContainerRuntimeClient;
  /** How long a start may take, RDB loading included. */
  readyDeadlineMs: number;
  /** How long a SHUTDOWN may take before the container is removed by force. */
  stopDeadlineMs: number;
  /** --timers: `elapse` waits for the server's real timers. */
  timers: boolean;
}

export interface ContainerNodeHandle extends NodeHandle {
  readonly dir: string;
  /** The running container's id; undefined once the node has stopped. */
  readonly containerId: string | undefined;
  /** The container's address on the target's network (a re-created container may get another). */
  readonly networkAddress: string | undefined;
  /**
   * Take the container off its network: an IP-level partition. Nothing is closed; both ends find
   * out only through repl-timeout. The published port goes too, so the harness cannot reach the
   * node either until `connectNetwork`.
   */
  disconnectNetwork(): Promise<void>;
  connectNetwork(): Promise<void>;
}

/** testcontainers' default wait execs a shell in the container; a FROM-scratch image has none. The
 *  node waits for PONG itself. */
const noWait: WaitStrategy = {
  waitUntilReady: async () => {},
  withStartupTimeout() {
    return this;
  },
  isStartupTimeoutSet: () => false,
  getStartupTimeout: () => 0,
};

/** A GenericContainer whose published ports listen on 127.0.0.1 only (testcontainers binds all interfaces). */
class LoopbackContainer extends GenericContainer {
  protected override async beforeContainerCreated(): Promise<void> {
    const bindings = (this.hostConfig.PortBindings ?? {}) as Record<string, { HostIp?: string; HostPort?: string }[]>;
    for (const list of Object.values(bindings)) for (const b of list) b.HostIp = PUBLISH_HOST;
  }
}

export class ContainerNode implements ContainerNodeHandle {
  readonly host = PUBLISH_HOST;
  private started: StartedTestContainer | undefined;
  private portValue = 0;
  private address: string | undefined;
  /** The address the container had before `disconnectNetwork`. */
  private detachedFrom: string | undefined;
  private stopped = false;
  // restart, stop and network changes run one at a time.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly spec: ContainerNodeSpec) {}

  get name(): string {
    return this.spec.name;
  }
  get dir(): string {
    return this.spec.dir;
  }
  get port(): number {
    return this.portValue;
  }
  /** The published port: proxies on the gateway reach it through the host, like the harness. */
  get upstream(): { host: string; port: number } {
    return { host: PUBLISH_HOST, port: this.portValue };
  }
  get containerId(): string | undefined {
    return this.started?.getId();
  }
  get networkAddress(): string | undefined {
    return this.address;
  }
  /** The server's log file on the host, when this process may read it (an image may run the
   *  server as another user). */
  get logPath(): string | undefined {
    const path = join(this.spec.dir, LOG_FILE);
    try {
      accessSync(path, constants.R_OK);
      return path;
    } catch {
      return undefined;
    }
  }

  /**
   * First start: the runtime picks the published port. Podman picks it before binding it, so
   * another process can take it in between ("address already in use"): try again.
   */
  start(config: ServerConfig, attempts = 5): Promise<void> {
    return this.serialised(async () => {
      for (let i = 1; ; i++) {
        try {
          return await this.launch(config, undefined);
        } catch (e) {
          if (!(e instanceof PortTaken) || i >= attempts) throw e;
        }
      }
    });
  }

  restart(config: ServerConfig, how: RestartHow = "shutdown"): Promise<void> {
    return this.serialised(async () => {
      if (this.stopped) throw new Error(`node ${this.name} was stopped; it cannot be restarted`);
      // A crash: SIGKILL, then removal once the process is gone; the bind-mounted dir stays.
      if (how === "kill") await this.killThenRemove();
      else await this.shutdown();
      await this.launch(config, this.portValue);
    });
  }

  /**
   * Bounded: if the engine does not answer in time (or a restart queued ahead hangs), one more
   * removal is tried and the stop resolves anyway; the session cleanup at exit (by label) removes
   * whatever is left.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const work = this.serialised(async () => {
      // SIGKILL and remove: what is on disk stays, as after SHUTDOWN NOSAVE.
      await this.removeOurContainers();
      this.started = undefined;
    });
    const outcome = await settleWithin(work, this.spec.stopDeadlineMs + STOP_SLACK_MS, () =>
      this.removeOurContainers(),
    );
    if (outcome === "forced") this.started = undefined;
  }

  disconnectNetwork(): Promise<void> {
    return this.serialised(async () => {
      const id = this.requireRunning("disconnect");
      await this.spec.client.container.dockerode
        .getNetwork(this.spec.network.id)
        .disconnect({ Container: id, Force: true });
      this.detachedFrom = this.address;
      this.address = undefined;
    });
  }

  connectNetwork(): Promise<void> {
    return this.serialised(async () => {
      const id = this.requireRunning("connect");
      // Back on its old address: the published port's forwarding and the TCP connections through it
      // (the harness's own) still lead there.
      const ipam =
        this.detachedFrom === undefined ? {} : { EndpointConfig: { IPAMConfig: { IPv4Address: this.detachedFrom } } };
      await this.spec.client.container.dockerode.getNetwork(this.spec.network.id).connect({ Container: id, ...ipam });
      this.detachedFrom = undefined;
      const info = await this.spec.client.container.dockerode.getContainer(id).inspect();
      this.address = info.NetworkSettings.Networks[this.spec.network.name]?.IPAddress;
    });
  }

  /**
   * SIGKILL and wait for the exit before removing: the kernel closes the dead server's sockets
   * (its peers see the FIN, as after a process crash) while the container's network still exists.
   * A forced removal alone can tear the network down first, leaving the master a ghost replica.
   */
  private async killThenRemove(): Promise<void> {
    const id = this.containerId;
    if (id !== undefined) {
      const container = this.spec.client.container.dockerode.getContainer(id);
      try {
        await container.kill({ signal: "SIGKILL" });
        await container.wait();
      } catch {
        // Already gone: the removal below is all that is left.
      }
    }
    await this.removeOurContainers();
  }

  /** With --timers (the clock capability): waits for the server's own timer in real time. */
  async elapse(event: TimerEvent, context?: ElapseContext): Promise<void> {
    if (!this.spec.timers) throw new Error(`${this.name}: timers elapse on an image target only with --timers`);
    this.requireRunning("make a timer elapse on");
    await elapseInRealTime(this, event, context);
  }

  /** `podman/docker pause`: the container's processes are frozen (cgroup freezer), its sockets stay open. */
  pause(): Promise<void> {
    return this.serialised(async () => {
      const id = this.requireRunning("pause");
      await this.spec.client.container.dockerode.getContainer(id).pause();
    });
  }

  /** `podman/docker unpause`. */
  resume(): Promise<void> {
    return this.serialised(async () => {
      const id = this.requireRunning("resume");
      await this.spec.client.container.dockerode.getContainer(id).unpause();
    });
  }

  private requireRunning(what: string): string {
    const id = this.containerId;
    if (this.stopped || id === undefined) throw new Error(`cannot ${what} ${this.name}: it is not running`);
    return id;
  }

  /** Starts a container and waits for PONG; `hostPort` undefined lets the runtime choose. */
  private async launch(config: ServerConfig, hostPort: number | undefined): Promise<void> {
    const { spec } = this;
    const logFile = join(spec.dir, LOG_FILE);
    const logStart = existsSync(logFile) ? statSync(logFile).size : 0;
    // A container left by a failed start would hold the name (and maybe the port).
    await this.removeOurContainers();
    const container = new LoopbackContainer(spec.image)
      .withName(`replcheck-${spec.targetId.slice(0, 8)}-${spec.name}`)
      .withLabels({ ...spec.labels, [LABEL_NODE]: spec.name })
      .withCommand(containerArgs(config))
      .withNetworkMode(spec.network.name)
      .withExposedPorts(hostPort === undefined ? CONTAINER_PORT : { container: CONTAINER_PORT, host: hostPort })
      .withBindMounts([{ source: spec.dir, target: CONTAINER_DIR, mode: "rw" }])
      .withWaitStrategy(noWait);
    try {
      this.started = await container.start();
    } catch (e) {
      await this.removeOurContainers();
      const message = (e as Error).message;
      if (/address already in use/i.test(message)) {
        if (hostPort === undefined)
          throw new PortTaken(
            `cannot start ${spec.name}: ${message}`,
            "another process keeps taking the ports the runtime picks; rerun",
          );
        throw new TargetUnavailable(
          `cannot restart ${spec.name}: port ${hostPort} is taken by another process`,
          `free port ${hostPort} or rerun`,
        );
      }
      throw new TargetUnavailable(
        `cannot start a container of ${spec.image} for ${spec.name}: ${message}`,
        "check the image name and the container engine's log",
      );
    }
    this.portValue = this.started.getMappedPort(CONTAINER_PORT);
    this.address = this.started.getIpAddress(spec.network.name);
    try {
      await this.waitServing(logFile, logStart);
    } catch (e) {
      await this.removeOurContainers();
      this.started = undefined;
      throw e;
    }
  }

  private async waitServing(logFile: string, logStart: number): Promise<void> {
    const docker = this.spec.client.container.dockerode.getContainer(this.started!.getId());
    let outcome: "ready" | "exited";
    try {
      outcome = await waitFor(
        async () => {
          if (await answersPing(PUBLISH_HOST, this.portValue)) return "ready" as const;
          const state = (await docker.inspect()).State;
          return state.Running ? false : ("exited" as const);
        },
        { deadlineMs: this.spec.readyDeadlineMs, intervalMs: 20, what: `${this.spec.name} to answer PING` },
      );
    } catch (e) {
      if (!(e instanceof WaitTimeout)) throw e;
      throw new TargetUnavailable(
        `${this.spec.name} (${this.spec.image}) did not answer PING on ${PUBLISH_HOST}:${this.portValue} within ${e.deadlineMs} ms; last log lines:\n${await this.logTail(logFile, logStart)}`,
        `see ${logFile}`,
      );
    }
    if (outcome === "ready") return;
    const exitCode = (await docker.inspect()).State.ExitCode;
    throw new TargetUnavailable(
      `${this.spec.name} (${this.spec.image}) exited (code ${exitCode}) before answering PING; last log lines:\n${await this.logTail(logFile, logStart)}`,
      `check the node config and the image; full log: ${logFile}`,
    );
  }

  /** The server's log since this start, or the container's own output (errors before logging starts). */
  private async logTail(logFile: string, logStart: number): Promise<string> {
    let text = "";
    try {
      text = readFileSync(logFile).subarray(logStart).toString("utf8");
    } catch {
      // Not written (yet), or not readable by us.
    }
    const id = this.started?.getId();
    if (id !== undefined) {
      try {
        const output = await this.spec.client.container.dockerode
          .getContainer(id)
          .logs({ stdout: true, stderr: true, follow: false });
        text += demultiplex(output);
      } catch {
        // Already gone.
      }
    }
    return tail(text) || "(no output)";
  }

  /** SHUTDOWN NOSAVE through the published port, wait for the container to exit, remove it. */
  private async shutdown(): Promise<void> {
    const id = this.containerId;
    if (id === undefined) return;
    await shutdownNoSave(PUBLISH_HOST, this.portValue);
    try {
      await withDeadline(
        this.spec.client.container.dockerode.getContainer(id).wait(),
        this.spec.stopDeadlineMs,
        () => new Error("no exit"),
      );
    } catch {
      // Still running, or already removed: the forced removal below ends it either way.
    }
    await this.removeOurContainers();
    this.started = undefined;
  }

  /** Every container of this node, found by label (so also one whose start failed half-way). */
  private async removeOurContainers(): Promise<void> {
    const { client, targetId, name } = this.spec;
    const filters = JSON.stringify({ label: [`${LABEL_TARGET}=${targetId}`, `${LABEL_NODE}=${name}`] });
    const found = await client.container.dockerode.listContainers({ all: true, filters });
    await Promise.all(found.map((c) => removeContainer(client, c.Id)));
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** `docker logs` without a TTY frames each chunk with an 8-byte header (stream, 0, 0, 0, length). */
function demultiplex(output: Buffer | string): string {
  if (typeof output === "string") return output;
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= output.length && output[at] <= 2 && output[at + 1] === 0) {
    const length = output.readUInt32BE(at + 4);
    parts.push(output.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return parts.length > 0 ? Buffer.concat(parts).toString("utf8") : output.toString("utf8");
}
