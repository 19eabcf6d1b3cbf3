// The harness's own speed: checked steps per second on builtin and on redis-server (measured in the
// same run), where each campaign's wall time goes (run/phase-times.ts), and how long a replica
// takes to be back up after a heal (goals: ≥ 300 steps/s on builtin, ≥ 150 on redis-server, link
// up within 50 ms of the heal).

import { availableParallelism, loadavg } from "node:os";
import { LiveCluster } from "../harness/live/cluster.js";
import { infoField } from "../harness/observe/index.js";
import { runCampaign } from "../harness/run/campaign.js";
import { campaignConfig } from "../harness/run/defaults.js";
import { runSplitCampaign } from "../harness/run/parallel-campaign.js";
import { enablePhaseTimes, PHASES, phaseCounts, phaseTimes } from "../harness/run/phase-times.js";
import { deterministicConfig } from "../harness/targets/defaults.js";
import { parseTarget } from "../harness/targets/parse.js";
import { fmt, haveRedis } from "./support.js";

export async function stepsPerSecond(
  target: string,
  seconds: number,
): Promise<{ steps: number; runs: number; ms: number; failures: number; phases: string }> {
  enablePhaseTimes();
  const r = await runCampaign(campaignConfig(target, { timeLimitMs: seconds * 1000, seed: 1 }));
  return {
    steps: r.steps,
    runs: r.runs,
    ms: r.elapsedMs,
    failures: r.failures,
    phases: phaseLine(r.elapsedMs, r.steps),
  };
}

/** The campaign's wall time per phase (run/phase-times.ts), in percent; "other" is generation and what is not timed. */
function phaseLine(elapsedMs: number, steps: number): string {
  const times = phaseTimes();
  const timed = [...times.values()].reduce((a, b) => a + b, 0);
  const parts = PHASES.filter((p) => (times.get(p) ?? 0) > 0).map(
    (p) => `${p} ${((100 * times.get(p)!) / elapsedMs).toFixed(0)}%`,
  );
  parts.push(`other ${((100 * (elapsedMs - timed)) / elapsedMs).toFixed(0)}%`);
  const counts = phaseCounts();
  const per = (e: string) => ((counts.get(e) ?? 0) / Math.max(1, steps)).toFixed(2);
  return `${parts.join(", ")}; per step: ${per("polls")} polls, ${per("checkpoints")} checkpoints`;
}

/** The same campaign with `concurrency` clusters at once (redis-server: lanes in this process). */
async function concurrentStepsPerSecond(
  target: string,
  seconds: number,
  concurrency: number,
): Promise<{ steps: number; runs: number; ms: number }> {
  const r = await runSplitCampaign(campaignConfig(target, { timeLimitMs: seconds * 1000, seed: 1 }), { concurrency });
  return { steps: r.steps, runs: r.runs, ms: r.elapsedMs };
}

/** The 1-minute load average, to read the rates against (the bench never asserts them). */
const load = (): string => loadavg()[0].toFixed(1);

/** Cut the link, write, heal, and time until the replica reports link up at the master's offset. */
async function healLatency(target: string, rounds: number): Promise<number[]> {
  const cluster = await LiveCluster.start(await parseTarget(target).make({}), ["n0", "n1"], deterministicConfig());
  const info = async (n: string) => String(await cluster.node(n).admin.call("INFO", "replication"));
  const times: number[] = [];
  try {
    const [host, port] = await cluster.replicaofArgs("n1", "n0");
    await cluster.node("n1").admin.call("REPLICAOF", host, port);
    const proxy = await cluster.proxy("n1", "n0");
    const upAtOffset = async () => {
      const [m, r] = await Promise.all([info("n0"), info("n1")]);
      return (
        infoField(r, "master_link_status") === "up" &&
        infoField(r, "master_repl_offset") === infoField(m, "master_repl_offset")
      );
    };
    while (!(await upAtOffset())) await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < rounds; i++) {
      await proxy.setState("cut");
      while (infoField(await info("n1"), "master_link_status") !== "down") await new Promise((r) => setTimeout(r, 1));
      await cluster.node("n0").commands.send(["SET", "k", String(i)], 5000);
      const start = performance.now();
      await proxy.setState("up");
      while (!(await upAtOffset())) await new Promise((r) => setTimeout(r, 0));
      times.push(performance.now() - start);
    }
  } finally {
    await cluster.close();
  }
  return times.sort((a, b) => a - b);
}

export async function harnessBench(seconds = 20): Promise<string[]> {
  const lines = [`harness: checked steps per second (campaign of ${seconds}s per target, 3 nodes, seed 1)`];
  const targets = haveRedis() ? ["builtin", "redis-server"] : ["builtin"];
  const rates: Record<string, number> = {};
  const phases: string[] = [];
  for (const t of targets) {
    const r = await stepsPerSecond(t, seconds);
    rates[t] = r.steps / (r.ms / 1000);
    lines.push(
      `  ${t.padEnd(13)} ${fmt(rates[t], 1).padStart(8)} steps/s  (${r.steps} steps in ${r.runs} scenarios, ${(r.ms / 1000).toFixed(1)}s${r.failures > 0 ? `, ${r.failures} divergence found` : ""})`,
    );
    phases.push(`  ${t.padEnd(13)} ${r.phases}`);
  }
  if (rates["redis-server"] !== undefined)
    lines.push(
      `  redis-server / builtin: ${(rates["redis-server"] / rates.builtin).toFixed(2)}× (goals: builtin ≥ 300 steps/s, redis-server ≥ 150)`,
    );
  else lines.push("  redis-server: skipped (install redis-server)");
  lines.push(
    "where a campaign's wall time goes (percent of the run; the next cluster starts during the others):",
    ...phases,
  );
  if (rates["redis-server"] !== undefined) {
    lines.push(
      `redis-server with --concurrency (clusters at once; ${availableParallelism()} cores, load average before each run):`,
    );
    for (const n of [1, 2]) {
      const before = load();
      const r = await concurrentStepsPerSecond("redis-server", seconds, n);
      lines.push(
        `  --concurrency ${n} ${fmt(r.steps / (r.ms / 1000), 1).padStart(8)} steps/s  (${r.steps} steps in ${r.runs} scenarios, ${(r.ms / 1000).toFixed(1)}s, load ${before})`,
      );
    }
  }
  lines.push("heal → replica link up at the master's offset (cut, one write, heal; 30 rounds):");
  for (const t of targets) {
    const times = await healLatency(t, 30);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    lines.push(
      `  ${t.padEnd(13)} median ${pct(0.5)} ms, p90 ${pct(0.9)} ms, max ${times[times.length - 1].toFixed(1)} ms (goal ≤ 50 ms)`,
    );
  }
  return lines;
}
