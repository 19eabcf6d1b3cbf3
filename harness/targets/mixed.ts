// `--target mixed:MASTER_TARGET,REPLICA_TARGET`: one replication group across two target kinds.
// The first node started (the harness starts n0, the first master, first) runs on the master side,
// every later node on the replica side; failovers then promote across kinds. Each side is an
// ordinary target made by its own module (any registered form: builtin, redis-server,
// binary:PATH, image:NAME), so node directories, start rollback, stopAll and interrupt cleanup
// stay theirs; this module only routes node starts and combines what the two can do.
//
// A side is one of the single kinds (single-kinds.ts), not looked up in the registry: the registry
// lists this module, so looking there would make the two import each other.

import { findFormIn } from "./form-lookup.js";
import { SINGLE_KIND_MODULES } from "./single-kinds.js";
import {
  TargetUnavailable,
  type Capability,
  type NodeHandle,
  type ServerConfig,
  type Target,
  type TargetCapabilities,
  type TargetMakeOptions,
  type TargetModule,
} from "./target.js";

/** The prefix of a mixed `--target` value. */
export const MIXED_PREFIX = "mixed:";

/** What each side of a mixed target is: its `--target` text, as the user wrote it. */
export interface MixedSpec {
  /** Runs the first master (n0). */
  master: string;
  /** Runs every other node (the first replicas). */
  replica: string;
}

/** A capability table that has a capability only when both given tables have it. */
export function intersectCapabilities(a: TargetCapabilities, b: TargetCapabilities): TargetCapabilities {
  const both = {} as Record<Capability, boolean>;
  for (const c of Object.keys(a) as Capability[]) both[c] = a[c] && b[c];
  return both;
}

// Known before the sides are parsed (TargetChoice.capabilities): only what every kind a side may be
// supports. The made target has the exact intersection of its two sides.
const ANY_SIDE = SINGLE_KIND_MODULES.map((m) => m.capabilities).reduce(intersectCapabilities);

/** `--target mixed:MASTER_TARGET,REPLICA_TARGET`. */
export const mixedTargets: TargetModule = {
  kind: "mixed",
  capabilities: ANY_SIDE,
  // --timers: then every kind a side may be has the clock (its own, or by waiting for real time).
  realTimeClock: SINGLE_KIND_MODULES.every((m) => m.capabilities.clock || m.realTimeClock === true),
  forms: [
    {
      usage: "mixed:MASTER_TARGET,REPLICA_TARGET",
      prefix: MIXED_PREFIX,
      argument: true,
      help: "the first master on one target, the replicas on another (e.g. mixed:builtin,redis-server)",
      // A side may be absent (redis-server not installed); made from explicit paths it never is,
      // but which side failed is only known when it is made.
      mayBeAbsent: true,
      create: (argument, options) => createMixedTarget(argument, options),
    },
  ],
};

const USAGE_HINT =
  "write --target mixed:MASTER_TARGET,REPLICA_TARGET with two other target forms, e.g. mixed:builtin,redis-server or mixed:redis-server,binary:/path/to/server";

/**
 * Splits "MASTER,REPLICA" where both halves are known target forms other than mixed; a path may
 * itself hold a comma, so every comma is tried. `isForm` tells a known form.
 */
export function splitMixedSpec(argument: string, isForm: (spec: string) => boolean): MixedSpec {
  const splits: MixedSpec[] = [];
  for (let i = argument.indexOf(","); i !== -1; i = argument.indexOf(",", i + 1)) {
    const master = argument.slice(0, i);
    const replica = argument.slice(i + 1);
    if ([master, replica].some((s) => s.startsWith(MIXED_PREFIX)))
      throw new TargetUnavailable(`a mixed target cannot contain another mixed target ("${argument}")`, USAGE_HINT);
    if (isForm(master) && isForm(replica)) splits.push({ master, replica });
  }
  if (splits.length === 1) return splits[0];
  if (splits.length === 0)
    throw new TargetUnavailable(
      `"mixed:${argument}" does not name two targets: expected MASTER_TARGET,REPLICA_TARGET, each a known target form`,
      USAGE_HINT,
    );
  throw new TargetUnavailable(
    `"mixed:${argument}" can be read in ${splits.length} ways (${splits.map((s) => `${s.master} + ${s.replica}`).join("; ")})`,
    "rename the path so that only one comma separates the two targets",
  );
}

const isLoopback = (host: string): boolean => host.startsWith("127.") || host === "::1" || host === "localhost";

/**
 * Where the link proxies listen: both sides' replicas must reach them. A local process reaches any
 * address of this machine, a container only its network's gateway (an address of this machine, as
 * the image target checks), so a gateway wins over loopback. Two different gateways are refused:
 * one side's containers need not reach the other's network.
 */
export function sharedProxyHost(master: Target, replica: Target): { listen: string; advertise: string } {
  const [a, b] = [master, replica].map((t) => ({ listen: t.proxyListenHost, advertise: t.proxyAdvertiseHost }));
  if (a.listen === b.listen && a.advertise === b.advertise) return a;
  if (isLoopback(a.listen) && isLoopback(a.advertise)) return b;
  if (isLoopback(b.listen) && isLoopback(b.advertise)) return a;
  throw new TargetUnavailable(
    `the two sides of the mixed target need their link proxies in different places (${master.description}: ${a.listen}; ${replica.description}: ${b.listen})`,
    "mix at most one container target with a local one (builtin, redis-server, binary:PATH)",
  );
}

/** The form a side of a mixed target is written in: any single kind's (never mixed). */
const findSideForm = (spec: string) => findFormIn(SINGLE_KIND_MODULES, spec);

/** The mixed target of `mixed:` + `argument` (each side made by its own module). */
export async function createMixedTarget(argument: string, options: TargetMakeOptions): Promise<Target> {
  const spec = splitMixedSpec(argument, (s) => findSideForm(s) !== undefined);
  const make = async (side: string) => {
    const found = findSideForm(side)!;
    try {
      return await found.form.create(found.argument, options);
    } catch (e) {
      // Which side failed decides whether the machine may just lack it (redis-server not
      // installed) or the user named something that is not there (binary:./missing).
      if (e instanceof TargetUnavailable && e.mayBeAbsent === undefined)
        throw new TargetUnavailable(e.message, e.hint, found.form.mayBeAbsent);
      throw e;
    }
  };
  const [master, replica] = await makeBoth(make(spec.master), make(spec.replica));
  try {
    return composeMixedTarget(master, replica);
  } catch (e) {
    await Promise.allSettled([master.stopAll(), replica.stopAll()]);
    throw e;
  }
}

/** Both sides, or neither: when one cannot be made, the other (if made) is stopped before the error. */
async function makeBoth(master: Promise<Target>, replica: Promise<Target>): Promise<[Target, Target]> {
  const [m, r] = await Promise.allSettled([master, replica]);
  if (m.status === "fulfilled" && r.status === "fulfilled") return [m.value, r.value];
  await Promise.allSettled([m, r].flatMap((s) => (s.status === "fulfilled" ? [s.value.stopAll()] : [])));
  const reasons = [m, r].flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
  // Both failed: the side that cannot legitimately be absent is the one to report.
  throw reasons.find((e) => !(e instanceof TargetUnavailable) || e.mayBeAbsent === false) ?? reasons[0];
}

/**
 * A target of kind "mixed" whose first node starts on `master` and every later one on `replica`.
 * Throws TargetUnavailable (sharedProxyHost) when no proxy host serves both; the caller stops them.
 */
export function composeMixedTarget(master: Target, replica: Target): Target {
  const proxy = sharedProxyHost(master, replica);
  let started = 0;
  let stopping: Promise<void> | undefined;
  return {
    kind: mixedTargets.kind,
    capabilities: intersectCapabilities(master.capabilities, replica.capabilities),
    // A getter: a container side names its server only once a node of it has started.
    get description() {
      return `mixed: ${master.description} + ${replica.description}`;
    },
    proxyListenHost: proxy.listen,
    proxyAdvertiseHost: proxy.advertise,
    startNode(name: string, config: ServerConfig): Promise<NodeHandle> {
      if (stopping !== undefined) return Promise.reject(new Error(`mixed target is stopped; cannot start ${name}`));
      return (started++ === 0 ? master : replica).startNode(name, config);
    },
    stopAll(): Promise<void> {
      stopping ??= Promise.allSettled([master.stopAll(), replica.stopAll()]).then((all) => {
        const failed = all.find((s) => s.status === "rejected");
        if (failed !== undefined) throw failed.reason;
      });
      return stopping;
    },
  };
}
