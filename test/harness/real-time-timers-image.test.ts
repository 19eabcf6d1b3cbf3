// --timers on the image target: the containers' own timers fire in real time through their
// published ports (targets/real-time-timers.ts), and the model's prediction holds. Needs a container
// engine (scripts/container-engine.sh start, DOCKER_HOST, TESTCONTAINERS_RYUK_DISABLED=true without
// a registry) and redis-server to package; skipped with the reason otherwise.

import { describe, expect, it } from "vitest";
import { buildImage } from "../../harness/image/build-image.js";
import { runConfig } from "../../harness/run/defaults.js";
import { runScenario } from "../../harness/run/scenario-run.js";
import type { Step } from "../../harness/steps/step.js";
import { SESSION_ID } from "../../harness/targets/container-labels.js";
import { parseTarget } from "../../harness/targets/parse.js";
import { announceContainers, live, REDIS_SERVER, sessionLeftovers } from "./container-live.js";

announceContainers("real-time timers on the image target");

/** The tag the image conformance suite and .ci/run build; built here only when it is missing. */
const IMAGE = "replcheck-redis:7.0.15";

describe.runIf(live.client !== undefined)("timer events on the image target with --timers", () => {
  it("the cron's PING, a repl-timeout and a backlog TTL each happen once, as the model predicts", {
    timeout: 300_000,
  }, async () => {
    const client = live.client!;
    const present = await client.container.dockerode
      .getImage(IMAGE)
      .inspect()
      .then(
        () => true,
        () => false,
      );
    if (!present) await buildImage({ binary: REDIS_SERVER, tag: IMAGE });
    const steps: Step[] = [
      { action: { kind: "replicaof", node: "n1", master: "n0" } },
      { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "k", "v"], now: 0 } },
      { action: { kind: "ping-tick", node: "n0" } },
      { action: { kind: "repl-timeout", replica: "n1" } },
      { action: { kind: "replicaof-no-one", node: "n1" } },
      { action: { kind: "config-set", node: "n1", name: "repl-backlog-ttl", value: "3600" } },
      { action: { kind: "backlog-ttl-expired", node: "n1" } },
      { action: { kind: "command", node: "n1", db: 0, argv: ["SET", "k", "x"], now: 0 } },
    ];
    const choice = parseTarget(`image:${IMAGE}`, { timers: true });
    expect(choice.capabilities.clock).toBe(true);
    const result = await runScenario(
      runConfig(() => choice.make({}), { replicas: 1 }),
      null,
      steps,
    );
    expect(result.status, result.reason).toBe("passed");
    const at = (kind: string) => result.steps.find((s) => s.step.action.kind === kind)!;
    const ping = at("ping-tick");
    expect(Number(ping.observed.n0.offset) - Number(result.steps[ping.index - 2].observed.n0.offset)).toBe(14);
    expect(at("repl-timeout").observed.n0.syncs).toContain("ok 1 ");
    expect(at("backlog-ttl-expired").observed.n1.backlog).toBe("none");
    // The scenario removed its containers and network.
    expect(await sessionLeftovers(client, SESSION_ID)).toEqual({ containers: [], networks: [] });
  });
});
