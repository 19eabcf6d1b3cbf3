// Full-sync time of 1M keys: replcheck's builtin server vs redis-server, side by side in one run
// (goal: builtin at most 2× redis-server). Time from REPLICAOF to the replica's link up at the
// master's offset, for disk and diskless transfers.

import { infoField } from "../harness/observe/index.js";
import { RespConnection } from "../harness/util/resp-connection.js";
import { deterministicConfig } from "../harness/targets/defaults.js";
import { parseTarget } from "../harness/targets/parse.js";
import type { Target } from "../harness/targets/target.js";
import { haveRedis, REDIS_SERVER } from "./support.js";

async function fill(conn: RespConnection, keys: number): Promise<void> {
  const batch = 1000;
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < keys; i += batch) {
    const argv = ["MSET"];
    for (let j = i; j < Math.min(keys, i + batch); j++) argv.push(`key:${j}`, `value:${j}`);
    pending.push(conn.send(argv, 60_000));
    if (pending.length >= 50) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}

async function syncTime(target: Target, keys: number, diskless: boolean): Promise<number> {
  const config = { ...deterministicConfig(), "repl-diskless-sync": diskless ? "yes" : "no" };
  try {
    const [m, r] = await Promise.all([target.startNode("m", config), target.startNode("r", config)]);
    const mc = await RespConnection.open({ host: m.host, port: m.port });
    const rc = await RespConnection.open({ host: r.host, port: r.port });
    await fill(mc, keys);
    const info = async (c: RespConnection) => {
      const res = await c.send(["INFO", "replication"], 60_000);
      return res.kind === "reply" && res.value.kind === "bulk" ? (res.value.value ?? "") : "";
    };
    const start = performance.now();
    await rc.send(["REPLICAOF", m.upstream.host, String(m.upstream.port)], 60_000);
    for (;;) {
      const [mi, ri] = await Promise.all([info(mc), info(rc)]);
      if (
        infoField(ri, "master_link_status") === "up" &&
        infoField(ri, "master_repl_offset") === infoField(mi, "master_repl_offset")
      )
        break;
      await new Promise((res) => setTimeout(res, 5));
    }
    const ms = performance.now() - start;
    mc.close();
    rc.close();
    return ms;
  } finally {
    await target.stopAll();
  }
}

export async function fullSyncBench(keys = 1_000_000): Promise<string[]> {
  if (!haveRedis()) return ["full sync: skipped (needs /usr/bin/redis-server)"];
  const lines = [
    `full sync of ${keys.toLocaleString("en-US")} keys (REPLICAOF → link up at the master's offset), two nodes each:`,
  ];
  for (const diskless of [false, true]) {
    const ours = await syncTime(await parseTarget("builtin").make({}), keys, diskless);
    const theirs = await syncTime(await parseTarget(`binary:${REDIS_SERVER}`).make({}), keys, diskless);
    lines.push(
      `  ${diskless ? "diskless" : "disk    "}  builtin ${(ours / 1000).toFixed(2)} s   redis-server ${(theirs / 1000).toFixed(2)} s   ratio ${(ours / theirs).toFixed(2)}× (goal ≤ 2×; the builtin master and replica share one process)`,
    );
  }
  return lines;
}
