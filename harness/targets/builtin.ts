// The builtin target: replcheck's own server, many instances in this process, each with its own
// directory (for its RDB) and an ephemeral port on 127.0.0.1.

import { mkdtemp, rm } from "node:fs/promises";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type ServerHandle } from "../../server/index.js";
import { settleWithin } from "../util/wait-for.js";
import type { NodeHandle, ServerConfig, Target } from "./target.js";

/**
 * How long an in-process server may take to close. Its sockets are destroyed at once; only the
 * listener's callback (which waits for every accepted socket to report 'close') can lag, and that
 * must not hold up the run.
 */
const CLOSE_DEADLINE_MS = 5000;

/** The builtin server takes a flat `name -> value` map; a list value is one space-separated string. */
function flatten(config: ServerConfig): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : v.join(" ")]));
}

export interface BuiltinTargetOptions {
  workRoot?: string;
  keepLogs?: boolean;
  /**
   * Called with every server instance the target starts (also after restarts). Tests use it to
   * inject a known deviation and show that the checker catches it; never set it otherwise.
   */
  onStart?: (server: ServerHandle, node: string) => void;
}

class BuiltinNode implements NodeHandle {
  constructor(
    readonly name: string,
    private server: ServerHandle,
    readonly dir: string,
    private readonly onStart: BuiltinTargetOptions["onStart"],
  ) {}

  get host(): string {
    return this.server.host;
  }
  get port(): number {
    return this.server.port;
  }
  get upstream(): { host: string; port: number } {
    return { host: this.server.host, port: this.server.port };
  }

  async restart(config: ServerConfig): Promise<void> {
    const port = this.server.port;
    await settleWithin(this.server.close(), CLOSE_DEADLINE_MS, () => undefined);
    this.server = await startServer({ config: { ...flatten(config), port: String(port), dir: this.dir } });
    this.onStart?.(this.server, this.name);
  }

  async stop(): Promise<void> {
    await settleWithin(this.server.close(), CLOSE_DEADLINE_MS, () => undefined);
  }
}

export async function createBuiltinTarget(options: BuiltinTargetOptions = {}): Promise<Target> {
  const workRoot = options.workRoot ?? tmpdir();
  mkdirSync(workRoot, { recursive: true });
  const root = await mkdtemp(join(workRoot, "replcheck-builtin-"));
  const nodes: BuiltinNode[] = [];
  return {
    kind: "builtin",
    description: "replcheck built-in server (in process)",
    proxyListenHost: "127.0.0.1",
    proxyAdvertiseHost: "127.0.0.1",
    async startNode(name: string, config: ServerConfig): Promise<NodeHandle> {
      const dir = join(root, name);
      mkdirSync(dir, { recursive: true });
      const server = await startServer({ config: { ...flatten(config), dir } });
      options.onStart?.(server, name);
      const node = new BuiltinNode(name, server, dir, options.onStart);
      nodes.push(node);
      return node;
    },
    async stopAll(): Promise<void> {
      await Promise.allSettled(nodes.map((n) => n.stop()));
      nodes.length = 0;
      // With --out (keepLogs) the nodes' directories and RDB files stay for the report.
      if (options.keepLogs !== true) await rm(root, { recursive: true, force: true });
    },
  };
}
