// The clock capability of real servers (binary and image targets with `--timers`): a timer step
// waits for the server's own timer to fire in real time. The deterministic start-up config keeps
// every replication timer an hour long (targets/defaults.ts); for one event the node's setting is
// lowered to the smallest value that fires soon, the event is watched for, and the setting is put
// back. Every wait has a deadline. When the server did not do exactly what the model assumes (the
// timer fired twice, or not before the deadline) the step throws OutcomeUnknown: the scenario is
// inconclusive, never a false divergence and never a hang.
//
// Where the server would do nothing however long the time ran (a PING without replicas, a backlog
// TTL of 0, a replica whose link is not up), nothing is changed: the model does nothing there
// either (model/lifecycle.ts pingTick, backlogTtlExpired, replTimeout).

import type { Redis } from "ioredis";
import { createAdminClient } from "../client.js";
import { parseInfo } from "../observe/info.js";
import { WaitTimeout, waitFor } from "../util/wait-for.js";
import { type ElapseContext, OutcomeUnknown, type TimerEvent } from "./target.js";

/** How long one event may take in real time. Each fires within about 3 s of the setting change. */
export const REAL_TIME_DEADLINE_MS = 20_000;

/**
 * The setting each event lowers while it waits, and to what (docs/target-requirements.md lists
 * them; repl-timeout gets the second value on a replica that serves sub-replicas).
 */
export const REAL_TIME_SETTINGS = {
  ping: { name: "repl-ping-replica-period", values: ["1"] },
  "backlog-ttl": { name: "repl-backlog-ttl", values: ["1"] },
  "repl-timeout": { name: "repl-timeout", values: ["1", "2"] },
} as const satisfies Record<TimerEvent, { name: string; values: readonly string[] }>;

/** `*1\r\n$4\r\nping\r\n`: what one cron PING adds to the stream (OFFSET-4). */
const PING_BYTES = 14;

export interface RealTimeNode {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

export interface RealTimeOptions {
  /** Bound of each wait (default REAL_TIME_DEADLINE_MS). */
  deadlineMs?: number;
}

/** Makes `event` happen on `node` by waiting for its real timer (see the top of this file). */
export async function elapseInRealTime(
  node: RealTimeNode,
  event: TimerEvent,
  context: ElapseContext = {},
  options: RealTimeOptions = {},
): Promise<void> {
  const deadlineMs = options.deadlineMs ?? REAL_TIME_DEADLINE_MS;
  const opened: Redis[] = [];
  const open = async (host: string, port: number): Promise<Redis> => {
    const client = await createAdminClient({ host, port, connectionName: `replcheck-timers-${node.name}` });
    opened.push(client);
    return client;
  };
  try {
    const admin = await open(node.host, node.port);
    const timers = new Timers(node.name, admin, deadlineMs);
    switch (event) {
      case "ping":
        return await timers.cronPing();
      case "backlog-ttl":
        return await timers.backlogTtl();
      case "repl-timeout":
        return await timers.replTimeout(() => {
          if (context.master === undefined) throw new Error(`repl-timeout on ${node.name} needs its master's address`);
          return open(context.master.host, context.master.port);
        });
      default:
        return event satisfies never;
    }
  } finally {
    for (const client of opened) client.disconnect();
  }
}

interface Replication {
  role: string;
  connectedSlaves: number;
  offset: number;
  backlogActive: boolean;
  linkUp: boolean;
  /** Seconds since each replica client's last ACK (`slaveN:...,lag=`). */
  lags: number[];
}

/** Resyncs a node has served as a master: full syncs plus continued PSYNCs. */
interface Served {
  full: number;
  partial: number;
}

class Timers {
  constructor(
    private readonly name: string,
    private readonly admin: Redis,
    private readonly deadlineMs: number,
  ) {}

  /**
   * OFFSET-4. replicationCron sends the PING when `replication_cron_loops % period == 0` and the
   * master has replica clients. With period 1 the next tick (at most 1 s away) sends it; the tick
   * after it comes 1 s later and would send a second one, so the period is restored as soon as the
   * offset moves. The loop counter is not visible, so a second PING cannot be ruled out on a
   * stalled machine: the offset is read again after the restore (the cron feeds the backlog
   * synchronously, so a PING before the restore shows there) and anything but exactly one PING is
   * an unknown outcome.
   */
  async cronPing(): Promise<void> {
    const before = await this.replication(this.admin);
    if (before.role !== "master" || before.connectedSlaves === 0) return;
    const { name, values } = REAL_TIME_SETTINGS.ping;
    await this.withSetting(this.admin, name, values[0], () =>
      this.until(
        async () => (await this.replication(this.admin)).offset > before.offset,
        "the replication cron's PING",
        10,
      ),
    );
    const grown = (await this.replication(this.admin)).offset - before.offset;
    if (grown !== PING_BYTES)
      throw new OutcomeUnknown(
        `${this.name}'s stream grew by ${grown} bytes while repl-ping-replica-period was 1, not by one PING's ${PING_BYTES} (the cron ticked again before the period was restored)`,
      );
  }

  /**
   * BACKLOG-6 / REPLID-6. replicationCron frees the backlog of a master without replica clients
   * once `now - repl_no_slaves_since > repl-backlog-ttl`; with ttl 1 that is at most about 3 s
   * away. Freeing happens once (no backlog is left to free), so there is no race; the ttl the step
   * sequence set (the generator's CONFIG SET before the event) is restored for the model's view.
   */
  async backlogTtl(): Promise<void> {
    const before = await this.replication(this.admin);
    if (before.role !== "master" || !before.backlogActive || before.connectedSlaves > 0) return;
    const { name, values } = REAL_TIME_SETTINGS["backlog-ttl"];
    // A ttl of 0 never frees the backlog.
    if ((await this.configGet(this.admin, name)) === "0") return;
    await this.withSetting(this.admin, name, values[0], () =>
      this.until(async () => !(await this.replication(this.admin)).backlogActive, "the backlog to be freed by its ttl"),
    );
  }

  /**
   * LINK-4. replicationCron on a connected replica drops its master when nothing came for more
   * than repl-timeout seconds (the master sends nothing: its PING period is an hour), and 7.0+
   * reconnects at once with a PSYNC. With repl-timeout 1 a second drop needs a further 2 s of
   * silence after the reconnect, so the setting is restored as soon as the master counts the
   * resync. The count decides: after the restore no drop can start, and once the replica's link is
   * up every earlier drop has been followed by its resync, which the master counts before it
   * answers; anything but exactly one is an unknown outcome. Which kind of resync it was is left
   * to the checker (it is the model's PSYNC decision).
   *
   * Only the replica's setting changes; its master keeps its own repl-timeout. A replica that also
   * serves sub-replicas times them out by the same setting from their last ACK (sent every second):
   * it gets 2 s, so an ACK would have to be 2 s late, and the sub-replicas are checked too.
   */
  async replTimeout(openMaster: () => Promise<Redis>): Promise<void> {
    const before = await this.replication(this.admin);
    if (before.role !== "slave" || !before.linkUp) return;
    const master = await openMaster();
    const silent = before.lags.filter((lag) => lag > 1);
    if (silent.length > 0)
      throw new OutcomeUnknown(
        `${this.name} serves a sub-replica that has not acked for ${Math.max(...silent)} s: a real repl-timeout would drop it too, which the step does not include`,
      );
    const served = await this.served(master);
    const ownServed = await this.served(this.admin);
    const { name, values } = REAL_TIME_SETTINGS["repl-timeout"];
    const timeout = before.connectedSlaves > 0 ? values[1] : values[0];
    await this.withSetting(this.admin, name, timeout, () =>
      this.until(async () => total(await this.served(master)) > total(served), `${this.name} to time out its master`),
    );
    await this.until(async () => (await this.replication(this.admin)).linkUp, `${this.name}'s link to come back up`);
    const after = await this.served(master);
    if (total(after) !== total(served) + 1)
      throw new OutcomeUnknown(
        `${this.name} timed out its master ${total(after) - total(served)} times while repl-timeout was ${timeout}, not once`,
      );
    // A sub-replica it dropped reconnects at once; after a continued resync nothing else drops them.
    if (before.connectedSlaves === 0 || after.full > served.full) return;
    await this.until(
      async () => (await this.replication(this.admin)).connectedSlaves >= before.connectedSlaves,
      `${this.name}'s sub-replicas to be attached again`,
    );
    if (total(await this.served(this.admin)) !== total(ownServed))
      throw new OutcomeUnknown(
        `${this.name}'s repl-timeout ${timeout} also timed out one of its sub-replicas, which the step does not include`,
      );
  }

  /** Runs `work` with `name` set to `value`, then puts the old value back whatever happened. */
  private async withSetting(client: Redis, name: string, value: string, work: () => Promise<void>): Promise<void> {
    const old = await this.configGet(client, name);
    await client.call("CONFIG", "SET", name, value);
    const outcome = await work().then(
      () => undefined,
      (e: unknown) => ({ error: e }),
    );
    try {
      await client.call("CONFIG", "SET", name, old);
    } catch (e) {
      // The node now runs with a short timer the model knows nothing about.
      throw new OutcomeUnknown(`cannot restore ${name} ${old} on ${this.name}: ${(e as Error).message}`);
    }
    if (outcome !== undefined) throw outcome.error;
  }

  private async until(check: () => Promise<boolean>, what: string, intervalMs = 25): Promise<void> {
    try {
      await waitFor(check, { deadlineMs: this.deadlineMs, intervalMs, what });
    } catch (e) {
      if (!(e instanceof WaitTimeout)) throw e;
      throw new OutcomeUnknown(`${what} did not happen within ${e.deadlineMs / 1000} s of real time on ${this.name}`);
    }
  }

  private async configGet(client: Redis, name: string): Promise<string> {
    const reply = (await client.call("CONFIG", "GET", name)) as string[];
    const value = reply[1];
    if (value === undefined) throw new Error(`${this.name} has no ${name} setting (CONFIG GET answered nothing)`);
    return value;
  }

  private async replication(client: Redis): Promise<Replication> {
    const fields = parseInfo((await client.call("INFO", "replication")) as string).replication ?? {};
    const lags = Object.entries(fields)
      .filter(([key]) => /^slave\d+$/.test(key))
      .map(([, line]) => Number(/(?:^|,)lag=(\d+)/.exec(line)?.[1] ?? 0));
    return {
      role: fields.role ?? "",
      connectedSlaves: Number(fields.connected_slaves ?? 0),
      offset: Number(fields.master_repl_offset ?? 0),
      backlogActive: fields.repl_backlog_active === "1",
      linkUp: fields.master_link_status === "up",
      lags,
    };
  }

  private async served(client: Redis): Promise<Served> {
    const stats = parseInfo((await client.call("INFO", "stats")) as string).stats ?? {};
    return { full: Number(stats.sync_full ?? 0), partial: Number(stats.sync_partial_ok ?? 0) };
  }
}

const total = (s: Served): number => s.full + s.partial;
