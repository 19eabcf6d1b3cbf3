// The binary target: nodes are processes of any Redis-compatible executable (redis-server,
// valkey-server, a user's build), each in its own directory under a per-run temp root, on an
// ephemeral port of 127.0.0.1.

import type { ChildProcess } from "node:child_process";
import { mkdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { identifyServer, resolveBinary } from "./binary-lookup.js";
import { findFreePort } from "./free-port.js";
import { createRunRoot, NodeSet } from "./node-set.js";
import { KILL_WAIT_MS, killAndWait } from "./process-kill.js";
import { registerTarget, type Registration } from "./process-registry.js";
import { HOST, launchServer, stopServer, type ServerProcess } from "./server-process.js";
import { settleWithin } from "../util/wait-for.js";
import { elapseInRealTime } from "./real-time-timers.js";
import {
  capabilitiesFor,
  LOOPBACK_ALIASES_HERE,
  supports,
  TargetUnavailable,
  type ElapseContext,
  type NodeHandle,
  type RestartHow,
  type ServerConfig,
  type Target,
  type TargetCapabilities,
  type TargetMakeOptions,
  type TargetModule,
  type TimerEvent,
} from "./target.js";

export interface BinaryTargetOptions extends TargetMakeOptions {
  /** A path, or a bare name looked up in PATH ("redis-server"). */
  binary: string;
  /** Picks the port for each start attempt (default: an ephemeral port). Tests use it to offer a taken port. */
  choosePort?: () => Promise<number>;
  /** Start attempts on fresh ports when the server reports its port in use (default 5). */
  portAttempts?: number;
  /** How long a node may take to answer PING after spawning, RDB loading included (default 30 s). */
  readyDeadlineMs?: number;
  /** How long a node may take to exit after SHUTDOWN before it gets SIGKILL (default 5 s). */
  stopDeadlineMs?: number;
}

const DEFAULT_STOP_DEADLINE_MS = 5000;
/**
 * The longest a SHUTDOWN can take to be sent (connect 1 s, two commands of 2 s), plus slack for a
 * restart queued ahead of the stop. After `stopDeadlineMs` plus this, a stop kills by pid and moves on.
 */
const STOP_SLACK_MS = 10_000;

export interface BinaryNodeHandle extends NodeHandle {
  readonly dir: string;
  readonly logPath: string;
  /** The running process's pid; undefined once it has stopped or died. */
  readonly pid: number | undefined;
}

export interface BinaryTarget extends Target {
  readonly kind: "binary";
  /** The resolved executable. */
  readonly binaryPath: string;
  /** The per-run temp root holding one directory per node. */
  readonly root: string;
  startNode(name: string, config: ServerConfig): Promise<BinaryNodeHandle>;
}

/** `--target redis-server` and `--target binary:PATH`. */
export const binaryTargets: TargetModule = {
  kind: "binary",
  // Processes on this machine bound to 127.0.0.1, each logging to a file in its directory.
  // pause: SIGSTOP/SIGCONT of the server's process group. No clock unless --timers.
  capabilities: supports({ localLogs: true, loopbackAliases: LOOPBACK_ALIASES_HERE, pause: true }),
  // --timers: timer steps wait for the servers' real timers (real-time-timers.ts).
  realTimeClock: true,
  forms: [
    {
      usage: "redis-server",
      prefix: "redis-server",
      argument: false,
      help: "redis-server found in PATH, one process per node",
      mayBeAbsent: true,
      create: (_, options) => createBinaryTarget({ binary: "redis-server", ...options }),
    },
    {
      usage: "binary:PATH",
      prefix: "binary:",
      argument: true,
      help: "any Redis-compatible executable (valkey-server, your build), one process per node",
      mayBeAbsent: false,
      create: (binary, options) => createBinaryTarget({ binary, ...options }),
    },
  ],
};

export async function createBinaryTarget(options: BinaryTargetOptions): Promise<BinaryTarget> {
  const binaryPath = resolveBinary(options.binary);
  const identity = await identifyServer(binaryPath);
  const root = await createRunRoot(options, "replcheck-");
  const keepLogs = options.keepLogs ?? false;
  // /proc shows resolved paths (Debian's redis-server is a symlink).
  const serversIn = { root: realpathSync(root), exe: realpathSync(binaryPath) };
  const registration = registerTarget(keepLogs ? { serversIn } : { removeOnInterrupt: root, serversIn });
  return new BinaryTargetImpl(binaryPath, identity.description, root, keepLogs, registration, options);
}

class BinaryTargetImpl implements BinaryTarget {
  readonly kind = "binary" as const;
  readonly capabilities: TargetCapabilities;
  readonly proxyListenHost = HOST;
  readonly proxyAdvertiseHost = HOST;
  private readonly nodes: NodeSet<BinaryNode>;

  constructor(
    readonly binaryPath: string,
    readonly description: string,
    readonly root: string,
    keepLogs: boolean,
    private readonly registration: Registration,
    private readonly options: BinaryTargetOptions,
  ) {
    this.capabilities = capabilitiesFor(binaryTargets, options);
    this.nodes = new NodeSet({
      what: "binary target",
      root,
      keepLogs,
      sweep: () => this.killLive(),
      release: () => registration.release(),
    });
  }

  startNode(name: string, config: ServerConfig): Promise<BinaryNodeHandle> {
    return this.nodes.start(
      name,
      (dir) => {
        mkdirSync(dir);
        return new BinaryNode(name, dir, this.binaryPath, this.registration, this.options);
      },
      (node) => node.startOnFreePort(config),
    );
  }

  stopAll(): Promise<void> {
    return this.nodes.stopAll();
  }

  /** After every node's (bounded) stop, anything still alive (a start in progress): kill by pid. */
  private async killLive(): Promise<void> {
    await Promise.all(
      this.registration.live().map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return undefined;
        return killAndWait(child, new Promise<void>((resolve) => child.once("exit", () => resolve())));
      }),
    );
  }
}

class BinaryNode implements BinaryNodeHandle {
  readonly host = HOST;
  readonly logPath: string;
  private portValue = 0;
  private server: ServerProcess | undefined;
  private stopped = false;
  /** Every process this node launched that has not exited (what a stop past its deadline kills). */
  private readonly children = new Set<ChildProcess>();
  private readonly tracking: Registration;
  // restart and stop run one at a time.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly dir: string,
    private readonly binary: string,
    registration: Registration,
    private readonly options: BinaryTargetOptions,
  ) {
    this.logPath = join(dir, "server.log");
    this.tracking = {
      track: (child) => {
        this.children.add(child);
        child.once("exit", () => this.children.delete(child));
        registration.track(child);
      },
      live: () => [...this.children],
      release: () => undefined,
    };
  }

  get port(): number {
    return this.portValue;
  }

  get upstream(): { host: string; port: number } {
    return { host: HOST, port: this.portValue };
  }

  /** With --timers (the clock capability): waits for the server's own timer in real time. */
  async elapse(event: TimerEvent, context?: ElapseContext): Promise<void> {
    if (this.options.timers !== true)
      throw new Error(`${this.name}: timers elapse on a binary target only with --timers`);
    await elapseInRealTime(this, event, context);
  }

  /** SIGSTOP to the server's process group (it and a BGSAVE child it may have forked). */
  async pause(): Promise<void> {
    this.signalGroup("SIGSTOP");
  }

  /** SIGCONT to the server's process group. */
  async resume(): Promise<void> {
    this.signalGroup("SIGCONT");
  }

  private signalGroup(signal: "SIGSTOP" | "SIGCONT"): void {
    const pid = this.pid;
    if (pid === undefined)
      throw new Error(`cannot ${signal === "SIGSTOP" ? "pause" : "resume"} ${this.name}: it is not running`);
    try {
      process.kill(-pid, signal);
    } catch {
      process.kill(pid, signal);
    }
  }

  get pid(): number | undefined {
    const child = this.server?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null ? this.server!.pid : undefined;
  }

  /** First start: ephemeral ports, retried when the server finds its port taken. */
  async startOnFreePort(config: ServerConfig): Promise<void> {
    const attempts = this.options.portAttempts ?? 5;
    const choose = this.options.choosePort ?? (() => findFreePort(HOST));
    const tried: number[] = [];
    for (let i = 0; i < attempts; i++) {
      const port = await choose();
      tried.push(port);
      if (await this.launch(port, config)) return;
    }
    throw new TargetUnavailable(
      `cannot start ${this.name}: the port is taken (tried ${tried.join(", ")}; the server reported "Address already in use" each time)`,
      `another process keeps taking the ports; see ${this.logPath}`,
    );
  }

  restart(config: ServerConfig, how: RestartHow = "shutdown"): Promise<void> {
    return this.serialised(async () => {
      if (this.stopped) throw new Error(`node ${this.name} was stopped; it cannot be restarted`);
      if (this.server !== undefined) {
        if (how === "kill") await killAndWait(this.server.child, this.server.exited);
        else await stopServer(this.server, this.options.stopDeadlineMs);
      }
      this.server = undefined;
      if (!(await this.launch(this.portValue, config))) {
        throw new TargetUnavailable(
          `cannot restart ${this.name}: port ${this.portValue} is taken by another process`,
          `free port ${this.portValue} or rerun; see ${this.logPath}`,
        );
      }
    });
  }

  /**
   * SHUTDOWN NOSAVE, SIGKILL after `stopDeadlineMs`. Bounded even when a restart queued ahead of it
   * hangs: past its deadline every process of this node is killed by pid and the stop resolves.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const deadlineMs = this.options.stopDeadlineMs ?? DEFAULT_STOP_DEADLINE_MS;
    const work = this.serialised(async () => {
      if (this.server !== undefined) await stopServer(this.server, deadlineMs);
      this.server = undefined;
    });
    const outcome = await settleWithin(work, deadlineMs + STOP_SLACK_MS + KILL_WAIT_MS, () => this.killNow());
    if (outcome === "forced") this.server = undefined;
  }

  private killNow(): Promise<unknown> {
    return Promise.all(
      [...this.children].map((child) =>
        killAndWait(child, new Promise<void>((resolve) => child.once("exit", () => resolve()))),
      ),
    );
  }

  /** true when the server is up on `port`; false when the port was taken. */
  private async launch(port: number, config: ServerConfig): Promise<boolean> {
    const result = await launchServer(
      {
        binary: this.binary,
        dir: this.dir,
        port,
        config,
        logPath: this.logPath,
        readyDeadlineMs: this.options.readyDeadlineMs,
      },
      this.tracking,
    );
    if (result.kind === "port-in-use") return false;
    this.portValue = port;
    this.server = result.server;
    return true;
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
