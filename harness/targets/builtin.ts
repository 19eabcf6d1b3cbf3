// The builtin target: replcheck's own server, many instances in this process, each with its own
// directory (for its RDB) and an ephemeral port on 127.0.0.1.

import { mkdirSync } from "node:fs";
import { startServer, type ServerHandle } from "../../server/index.js";
import { settleWithin } from "../util/wait-for.js";
import { createRunRoot, NodeSet } from "./node-set.js";
import {
  LOOPBACK_ALIASES_HERE,
  supports,
  type NodeHandle,
  type RestartHow,
  type TimerEvent,
  type ServerConfig,
  type Target,
  type TargetMakeOptions,
  type TargetModule,
} from "./target.js";

/**
 * How long an in-process server may take to close. Its sockets are destroyed at once; only the
 * listener's callback (which waits for every accepted socket to report 'close') can lag, and that
 * must not hold up the run.
 */
const CLOSE_DEADLINE_MS = 5000;

/** `--target builtin`. */
export const builtinTargets: TargetModule = {
  kind: "builtin",
  // Servers bind 127.0.0.1 in this process. No log file (localLogs), no pause, no clock.
  // clock: the in-process server runs its own cron code paths on demand (BuiltinNode.elapse).
  // pause: ServerHandle.freeze/thaw (no socket read or written, no timer run, nothing closed).
  capabilities: supports({ loopbackAliases: LOOPBACK_ALIASES_HERE, clock: true, pause: true }),
  forms: [
    {
      usage: "builtin",
      prefix: "builtin",
      argument: false,
      help: "replcheck's own server, in process",
      mayBeAbsent: false,
      create: (_, options) => createBuiltinTarget(options),
    },
  ],
};

/** The builtin server takes a flat `name -> value` map; a list value is one space-separated string. */
function flatten(config: ServerConfig): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : v.join(" ")]));
}

export interface BuiltinTargetOptions extends TargetMakeOptions {
  /**
   * Called with every server instance the target starts (also after restarts). Tests use it to
   * inject a known deviation and show that the checker catches it; never set it otherwise.
   */
  onStart?: (server: ServerHandle, node: string) => void;
}

class BuiltinNode implements NodeHandle {
  private server: ServerHandle | undefined;

  constructor(
    readonly name: string,
    readonly dir: string,
    private readonly onStart: BuiltinTargetOptions["onStart"],
  ) {}

  private get running(): ServerHandle {
    if (this.server === undefined) throw new Error(`node ${this.name} has not started`);
    return this.server;
  }
  get host(): string {
    return this.running.host;
  }
  get port(): number {
    return this.running.port;
  }
  get upstream(): { host: string; port: number } {
    return { host: this.host, port: this.port };
  }

  /** First start: an ephemeral port. */
  async start(config: ServerConfig): Promise<void> {
    await this.launch({ ...flatten(config), dir: this.dir });
  }

  /**
   * `how` makes no difference here: closing an in-process server destroys its sockets at once
   * and never saves, which is what a crash does to a process.
   */
  async restart(config: ServerConfig, _how?: RestartHow): Promise<void> {
    const port = this.running.port;
    await this.stop();
    await this.launch({ ...flatten(config), port: String(port), dir: this.dir });
  }

  /** The in-process server stops reading, writing and running timers; its sockets stay open. */
  async pause(): Promise<void> {
    this.running.freeze();
  }

  async resume(): Promise<void> {
    this.running.thaw();
  }

  /** The server's own cron code paths, run now (the clock capability). */
  async elapse(event: TimerEvent): Promise<void> {
    this.running.replication.elapse(event);
  }

  async stop(): Promise<void> {
    if (this.server !== undefined) await settleWithin(this.server.close(), CLOSE_DEADLINE_MS, () => undefined);
  }

  private async launch(config: Record<string, string>): Promise<void> {
    this.server = await startServer({ config });
    this.onStart?.(this.server, this.name);
  }
}

export async function createBuiltinTarget(options: BuiltinTargetOptions = {}): Promise<Target> {
  // With --out (keepLogs) the nodes' directories and RDB files stay for the report.
  const nodes = new NodeSet<BuiltinNode>({
    what: "builtin target",
    root: await createRunRoot(options, "replcheck-builtin-"),
    keepLogs: options.keepLogs === true,
  });
  return {
    kind: builtinTargets.kind,
    capabilities: builtinTargets.capabilities,
    description: "replcheck built-in server (in process)",
    proxyListenHost: "127.0.0.1",
    proxyAdvertiseHost: "127.0.0.1",
    startNode(name: string, config: ServerConfig): Promise<NodeHandle> {
      return nodes.start(
        name,
        (dir) => {
          mkdirSync(dir, { recursive: true });
          return new BuiltinNode(name, dir, options.onStart);
        },
        (node) => node.start(config),
      );
    },
    stopAll: () => nodes.stopAll(),
  };
}
