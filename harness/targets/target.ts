// What the harness needs from a live target: start nodes, reach them, restart them, stop them all.
// Implementations: builtin (in-process replcheck servers), binary (any Redis-compatible executable),
// image (containers, later). Faults never live here: replicas reach masters through link proxies.

export type TargetKind = "builtin" | "binary" | "image";

/**
 * Redis-style configuration passed at start-up (`--name value` on a command line). A list gives an
 * option several arguments (`replicaof: [host, port]`).
 */
export type ServerConfig = Record<string, string | readonly string[]>;

export interface NodeHandle {
  /** The harness's name for the node (n0, n1, ...). */
  readonly name: string;
  /** Where the harness's admin client connects. */
  readonly host: string;
  readonly port: number;
  /**
   * Where a link proxy for an edge into this node should forward to. For processes this is
   * host:port; for containers it is the container's address as seen from the proxy.
   */
  readonly upstream: { host: string; port: number };
  /** A log file the report can point at (stdout/stderr of a process), if the target keeps one. */
  readonly logPath?: string;
  /** Stop the node (SHUTDOWN NOSAVE semantics: the RDB already on disk stays) and start it again
   *  in the same directory and on the same port, with `config` replacing the start-up config. */
  restart(config: ServerConfig): Promise<void>;
  /** Stop the node for good; idempotent. */
  stop(): Promise<void>;
}

export interface Target {
  readonly kind: TargetKind;
  /** Human description for reports, e.g. "redis-server 7.0.15 (/usr/bin/redis-server)". */
  readonly description: string;
  /** The address link proxies must listen on so that this target's replicas can reach them. */
  readonly proxyListenHost: string;
  /** The host replicas must be told to connect to for a proxy listening on proxyListenHost. */
  readonly proxyAdvertiseHost: string;
  startNode(name: string, config: ServerConfig): Promise<NodeHandle>;
  /** Stop every node this target started (also used on failure and on SIGINT/SIGTERM); idempotent. */
  stopAll(): Promise<void>;
}

/**
 * The run could not start (missing binary, taken port, no container runtime, ...). The CLI maps it
 * to exit code 2; `hint` says what to do.
 */
export class TargetUnavailable extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}
