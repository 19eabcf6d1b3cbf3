// A live cluster: a target's nodes, one link proxy per replication edge, and the harness's two
// connections per node (admin for INFO/ROLE/CONFIG/REPLICAOF/SCAN, commands for checked replies).

import type { Redis } from "ioredis";
import { createAdminClient, openCommandConnection, type RespConnection } from "../client.js";
import { datasetDigest, observeNode } from "../observe/index.js";
import { ObserverConnection } from "../observe/pipe.js";
import { startLinkProxy, type LinkProxy } from "../proxy/index.js";
import type { ObservedNode } from "../check/observed.js";
import type { NodeHandle, RestartHow, ServerConfig, Target } from "../targets/target.js";
import { withRetries } from "../util/retry.js";
import { settleWithin } from "../util/wait-for.js";

export interface LiveNode {
  readonly name: string;
  handle: NodeHandle;
  admin: Redis;
  commands: RespConnection;
  /** The db the commands connection has selected. */
  db: number;
}

/** Attempts at each connection to a fresh node (see connect). */
const CONNECT_ATTEMPTS = 3;

/** Last-resort bounds of close(); every part is bounded well within them on its own. */
const PROXIES_CLOSE_MS = 15_000;
const STOP_ALL_MS = 90_000;

const edgeKey = (replica: string, master: string) => `${replica}->${master}`;

export class LiveCluster {
  private readonly proxies = new Map<string, LinkProxy>();
  /** proxy address "host:port" -> the master node it leads to. */
  private readonly proxyMaster = new Map<string, string>();
  /** Per node, the observer's connection (INFO, ROLE, digests: one write per poll), opened on first use. */
  private readonly observers = new Map<string, ObserverConnection>();
  private closed = false;

  private constructor(
    readonly target: Target,
    readonly nodes: Map<string, LiveNode>,
    readonly startConfig: ServerConfig,
    private readonly commandTimeoutMs: number,
  ) {}

  static async start(
    target: Target,
    names: readonly string[],
    config: ServerConfig,
    commandTimeoutMs = 5000,
  ): Promise<LiveCluster> {
    const nodes = new Map<string, LiveNode>();
    const cluster = new LiveCluster(target, nodes, config, commandTimeoutMs);
    try {
      const handles = await Promise.all(names.map((n) => target.startNode(n, config)));
      for (const handle of handles) nodes.set(handle.name, await cluster.connect(handle));
    } catch (e) {
      await cluster.close();
      throw e;
    }
    return cluster;
  }

  /**
   * The harness's two connections to a node it just started or restarted. On a loaded machine one
   * connect can miss its deadline (seen at a load average of 20): a few attempts are allowed before
   * the node counts as unreachable, which ends the run without a verdict.
   */
  private async connect(handle: NodeHandle): Promise<LiveNode> {
    const admin = await createAdminClient({
      host: handle.host,
      port: handle.port,
      commandTimeoutMs: this.commandTimeoutMs,
      connectionName: `replcheck-admin-${handle.name}`,
      connectAttempts: CONNECT_ATTEMPTS,
    });
    try {
      const commands = await withRetries({ attempts: CONNECT_ATTEMPTS, firstDelayMs: 250 }, () =>
        openCommandConnection({ host: handle.host, port: handle.port, connectTimeoutMs: 5000 }),
      );
      return { name: handle.name, handle, admin, commands, db: 0 };
    } catch (e) {
      admin.disconnect();
      throw e;
    }
  }

  node(name: string): LiveNode {
    const n = this.nodes.get(name);
    if (n === undefined) throw new Error(`unknown node ${name}`);
    return n;
  }

  /** The link proxy of the edge replica -> master, started on first use. */
  async proxy(replica: string, master: string): Promise<LinkProxy> {
    const key = edgeKey(replica, master);
    let p = this.proxies.get(key);
    if (p === undefined) {
      const upstream = this.node(master).handle.upstream;
      p = await startLinkProxy({
        listenHost: this.target.proxyListenHost,
        targetHost: upstream.host,
        targetPort: upstream.port,
        name: key,
      });
      this.proxies.set(key, p);
      this.proxyMaster.set(`${this.target.proxyAdvertiseHost}:${p.port}`, master);
    }
    return p;
  }

  /** The proxy of an edge if it exists (link faults on edges never set up are remembered by the model only). */
  existingProxy(replica: string, master: string): LinkProxy | undefined {
    return this.proxies.get(edgeKey(replica, master));
  }

  /** Which master a replica's configured address stands for. */
  masterOfAddress(address: string): string | undefined {
    return this.proxyMaster.get(address);
  }

  /** The REPLICAOF arguments that make `replica` replicate from `master` through the edge's proxy. */
  async replicaofArgs(replica: string, master: string): Promise<[string, string]> {
    const p = await this.proxy(replica, master);
    return [this.target.proxyAdvertiseHost, String(p.port)];
  }

  /**
   * Restart a node with the start-up config plus `extra`, and reconnect the harness's connections.
   * The links into it park new connections while it is down, so its replicas' immediate reconnect
   * waits for it instead of failing and retrying a second later (a real Redis replica's cron).
   */
  /** Restarts a node with its start-up config plus `extra`; `how` "kill" crashes it instead of shutting it down. */
  async restart(name: string, extra: ServerConfig, how: RestartHow = "shutdown"): Promise<void> {
    const n = this.node(name);
    const held = [...this.proxies]
      .filter(([key, p]) => key.endsWith(`->${name}`) && p.state === "up")
      .map(([, p]) => p);
    await Promise.all(held.map((p) => p.setState("cut")));
    try {
      n.admin.disconnect();
      n.commands.close();
      this.observers.get(name)?.close();
      this.observers.delete(name);
      await n.handle.restart({ ...this.startConfig, ...extra }, how);
      this.nodes.set(name, await this.connect(n.handle));
    } finally {
      await Promise.all(held.map((p) => p.setState("up")));
    }
  }

  /** One node's observation; `full` adds INFO server and keyspace (profile detection, reports). */
  async observe(name: string, withDataset: boolean, timeoutMs = 5000, full = false): Promise<ObservedNode> {
    const o = await observeNode(this.observer(name), { timeoutMs, light: !full });
    const observed: ObservedNode = { name, ...o };
    if (withDataset) observed.dataset = await this.digest(name);
    return observed;
  }

  /** A node's dataset digest (SCAN + type-aware reads). */
  digest(name: string) {
    return datasetDigest(this.observer(name));
  }

  private observer(name: string): ObserverConnection {
    let o = this.observers.get(name);
    if (o === undefined) {
      const { host, port } = this.node(name).handle;
      o = new ObserverConnection(host, port);
      this.observers.set(name, o);
    }
    return o;
  }

  /**
   * Disconnects, closes the proxies and stops every node. Always ends: each part is bounded (a
   * proxy close and a node stop force their way out after their own deadlines), and as a last
   * resort the proxies get PROXIES_CLOSE_MS and the target STOP_ALL_MS before the cluster moves on
   * with a warning (the process registry and the reaper still kill what is left).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const n of this.nodes.values()) {
      n.admin.disconnect();
      n.commands.close();
    }
    for (const o of this.observers.values()) o.close();
    const proxies = await settleWithin(
      Promise.allSettled([...this.proxies.values()].map((p) => p.close())),
      PROXIES_CLOSE_MS,
      () => undefined,
    );
    if (proxies === "forced")
      process.emitWarning(`link proxies did not close within ${PROXIES_CLOSE_MS} ms; moving on`, "ReplcheckTeardown");
    const stopped = await settleWithin(this.target.stopAll(), STOP_ALL_MS, () => undefined);
    if (stopped === "forced")
      process.emitWarning(
        `${this.target.description}: stopAll did not end within ${STOP_ALL_MS} ms; moving on`,
        "ReplcheckTeardown",
      );
  }
}
