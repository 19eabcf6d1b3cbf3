// What the harness needs from a live target: start nodes, reach them, restart them, stop them all,
// and what the target can do beyond that (its capabilities). Implementations: builtin (in-process
// replcheck servers), binary (any Redis-compatible executable), image (containers); registry.ts
// lists them. Faults never live here: replicas reach masters through link proxies.

/** A target kind's name, as its module in registry.ts declares it ("builtin", "binary", "image"). */
export type TargetKind = string;

/**
 * What a target can do beyond starting, restarting and stopping nodes. A check that needs one asks
 * for it and is skipped, with the reason, on a target without it. Declared per target kind (each
 * module in registry.ts); a field is true only when the target supports it today.
 */
export interface TargetCapabilities {
  /** Node logs are files on this machine that the harness can read (`NodeHandle.logPath`). */
  readonly localLogs: boolean;
  /**
   * A replica's own machine has loopback aliases: 127.0.0.2 is a local address nothing listens on
   * (Linux; a container has its own loopback), so a master given there is refused at once.
   */
  readonly loopbackAliases: boolean;
  /** A node can be paused and resumed (a process that stops answering without closing anything). */
  readonly pause: boolean;
  /**
   * A node's timers can be made to elapse on demand (`NodeHandle.elapse`): cron PINGs,
   * repl-backlog-ttl and repl-timeout happen when a step says so. The builtin target runs its own
   * cron code at once; with `--timers` (TargetMakeOptions.timers) the kinds that declare
   * `realTimeClock` wait for real time instead (real-time-timers.ts).
   */
  readonly clock: boolean;
}

export type Capability = keyof TargetCapabilities;

/** A kind's capabilities: those it names as supported, every other one false. */
export function supports(supported: Partial<TargetCapabilities>): TargetCapabilities {
  return { localLogs: false, loopbackAliases: false, pause: false, clock: false, ...supported };
}

/**
 * Whether 127.0.0.2 is another loopback address of this machine, for targets whose nodes run here
 * bound to 127.0.0.1: on Linux the whole of 127.0.0.0/8 is local; elsewhere it need not be.
 */
export const LOOPBACK_ALIASES_HERE = process.platform === "linux";

/** What each capability means, for skip reasons and help text. */
export const CAPABILITY_MEANING: Record<Capability, string> = {
  localLogs: "node logs readable on this machine",
  loopbackAliases: "loopback aliases such as 127.0.0.2 on the nodes' machine",
  pause: "pausing a node",
  clock: "making a node's timers elapse on demand",
};

/** Which targets have each capability, for "what to do" hints. */
export const CAPABILITY_WHERE: Record<Capability, string> = {
  localLogs: "redis-server, binary:PATH and image targets",
  loopbackAliases: "targets on Linux",
  pause: "builtin, redis-server, binary:PATH and image targets",
  clock: "the builtin target, and with --timers the redis-server, binary:PATH, image and mixed targets",
};

/**
 * A kind's capabilities for one run: with `timers` (`--timers`), a kind whose nodes can wait for
 * real time (TargetModule.realTimeClock) has the clock too.
 */
export function capabilitiesFor(
  module: Pick<TargetModule, "capabilities" | "realTimeClock">,
  options: { timers?: boolean },
): TargetCapabilities {
  return options.timers === true && module.realTimeClock === true
    ? { ...module.capabilities, clock: true }
    : module.capabilities;
}

/**
 * Redis-style configuration passed at start-up (`--name value` on a command line). A list gives an
 * option several arguments (`replicaof: [host, port]`).
 */
export type ServerConfig = Record<string, string | readonly string[]>;

/** A timer-driven event a target with the `clock` capability can make happen at once. */
export type TimerEvent = "ping" | "backlog-ttl" | "repl-timeout";

/** What making a timer elapse may need besides the node itself. */
export interface ElapseContext {
  /**
   * For "repl-timeout": where the harness reaches the replica's master (NodeHandle host and port).
   * A target that waits for real time counts the master's resyncs there, to know the replica timed
   * out exactly once.
   */
  readonly master?: { readonly host: string; readonly port: number };
}

/**
 * A target could not make a step happen the way the model assumes, and cannot tell what happened
 * instead (a real-time timer that fired twice, an event that did not come before its deadline):
 * the step's outcome is unknown and the scenario inconclusive, neither a divergence nor a crash.
 */
export class OutcomeUnknown extends Error {
  override name = "OutcomeUnknown";
}

/** How a node goes down before a restart: a clean shutdown without saving, or a crash. */
export type RestartHow = "shutdown" | "kill";

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
  /**
   * Stop the node and start it again in the same directory and on the same port, with `config`
   * replacing the start-up config. `how`: "shutdown" (default; SHUTDOWN NOSAVE semantics: the RDB
   * already on disk stays) or "kill" (a crash: SIGKILL, nothing written or flushed on the way down).
   */
  restart(config: ServerConfig, how?: RestartHow): Promise<void>;
  /** Stop the node for good; idempotent. */
  stop(): Promise<void>;
  /**
   * Makes a timer-driven event happen now, as if its time had passed (targets with the `clock`
   * capability): the replication cron's PING, repl-backlog-ttl on a master alone, repl-timeout on
   * a replica. Where the server would do nothing when that time passed, nothing happens. Throws
   * OutcomeUnknown when the event did not happen exactly once.
   */
  elapse?(event: TimerEvent, context?: ElapseContext): Promise<void>;
  /**
   * Freezes the node without closing anything (targets with the `pause` capability): SIGSTOP of a
   * process, a paused container. Its peers' TCP connections stay open; what they send waits in
   * the kernel's buffers until `resume`.
   */
  pause?(): Promise<void>;
  /** Undoes `pause`: the node runs again and reads what waited. */
  resume?(): Promise<void>;
}

export interface Target {
  readonly kind: TargetKind;
  /** What this target supports beyond starting and stopping nodes (its kind's declaration). */
  readonly capabilities: TargetCapabilities;
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
    /**
     * Whether a machine may legitimately lack what failed, when it is not the whole target form's
     * (TargetForm.mayBeAbsent): a mixed target says which of its sides failed.
     */
    readonly mayBeAbsent?: boolean,
  ) {
    super(message);
  }
}

/** Where a target keeps its per-run temp root, and whether it stays after the run. */
export interface TargetMakeOptions {
  /** Where the per-run temp root is created (default: the OS temp dir). */
  workRoot?: string;
  /** Keep the temp root (logs, RDBs) after stopAll and on interruption. */
  keepLogs?: boolean;
  /**
   * `--timers`: a kind that declares `realTimeClock` gives its nodes the clock capability by
   * waiting for real time. Ignored by the other kinds.
   */
  timers?: boolean;
}

/**
 * One way of writing a `--target` value: a fixed word (`builtin`) or a prefix followed by a
 * non-empty argument (`binary:` PATH).
 */
export interface TargetForm {
  /** As usage shows it: "builtin", "binary:PATH", "image:NAME[:TAG]". */
  readonly usage: string;
  /** The whole value for a word (`argument: false`), else the text before the argument. */
  readonly prefix: string;
  readonly argument: boolean;
  /** What the form runs, one line for help. */
  readonly help: string;
  /**
   * A machine may legitimately lack what this form needs (redis-server not installed, no container
   * engine): the vitest entry then skips the suite with the reason instead of failing (unless
   * strict). A target the user named explicitly (a path) never is.
   */
  readonly mayBeAbsent: boolean;
  /** Makes the target; `argument` is the text after the prefix ("" for a word). */
  create(argument: string, options: TargetMakeOptions): Promise<Target>;
}

/** A target kind: one module declaring its forms, its capabilities and how to make it (see registry.ts). */
export interface TargetModule {
  readonly kind: TargetKind;
  readonly capabilities: TargetCapabilities;
  /**
   * With `--timers` its nodes make timers elapse by waiting for real time (the clock capability,
   * see capabilitiesFor); without it they have no clock unless `capabilities` says so.
   */
  readonly realTimeClock?: boolean;
  readonly forms: readonly TargetForm[];
}
