// The nodes of one target, whatever runs them: one directory per node under a per-run temp root, a
// start that is rolled back (the node stopped again) when it fails or when stopAll runs meanwhile,
// and a stopAll that stops every node once, sweeps what the kind may have left, removes the temp
// root unless logs are kept and leaves the cleanup registry. A target kind supplies only how a node
// is made, started and stopped.

import { mkdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TargetMakeOptions } from "./target.js";

/** Creates the per-run temp root `<workRoot>/<prefix>XXXXXX` (workRoot: the OS temp dir by default). */
export async function createRunRoot(options: TargetMakeOptions, prefix: string): Promise<string> {
  const workRoot = options.workRoot ?? tmpdir();
  mkdirSync(workRoot, { recursive: true });
  return mkdtemp(join(workRoot, prefix));
}

export interface StoppableNode {
  /** Stops the node for good; bounded and idempotent. */
  stop(): Promise<void>;
}

export interface NodeSetOptions {
  /** The target, for messages ("binary target"). */
  what: string;
  /** The per-run temp root (createRunRoot): one directory per node. */
  root: string;
  /** Keep the root (logs, RDBs) after stopAll. */
  keepLogs: boolean;
  /** After every node's stop: ends whatever of this target may still run (a start in progress); bounded. */
  sweep?(): Promise<void>;
  /** Leaves the cleanup registry (cleanup.ts), last. */
  release?(): void;
}

export class NodeSet<N extends StoppableNode> {
  private readonly nodes = new Map<string, N>();
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: NodeSetOptions) {}

  get root(): string {
    return this.options.root;
  }

  /**
   * Makes node `name` in its own directory (`make` creates the directory) and starts it. A start
   * that fails, or that stopAll overtakes, stops the node again before the error is thrown: no
   * node outlives its target.
   */
  async start(name: string, make: (dir: string) => N | Promise<N>, start: (node: N) => Promise<void>): Promise<N> {
    const { what } = this.options;
    if (this.stopping !== undefined) throw new Error(`${what} is stopped; cannot start ${name}`);
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || name === "." || name === "..")
      throw new Error(`invalid node name ${JSON.stringify(name)}`);
    if (this.nodes.has(name)) throw new Error(`node ${name} already exists`);
    const node = await make(join(this.options.root, name));
    this.nodes.set(name, node);
    try {
      await start(node);
    } catch (e) {
      await node.stop();
      throw e;
    }
    if (this.stopping !== undefined) {
      await node.stop();
      throw new Error(`${what} was stopped while ${name} was starting`);
    }
    return node;
  }

  /** Stops every node (each stop is bounded), then sweeps, removes the root and releases; once. */
  stopAll(): Promise<void> {
    this.stopping ??= this.stopEverything();
    return this.stopping;
  }

  private async stopEverything(): Promise<void> {
    try {
      await Promise.allSettled([...this.nodes.values()].map((n) => n.stop()));
      await this.options.sweep?.();
    } finally {
      if (!this.options.keepLogs) await rm(this.options.root, { recursive: true, force: true });
      this.options.release?.();
    }
  }
}
