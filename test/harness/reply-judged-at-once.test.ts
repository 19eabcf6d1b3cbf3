// A reply no model outcome allows decides its step at once (harness/run/scenario-run.ts
// replyDecides): the reply cannot change, so the settle deadline is not waited out. This is what
// keeps each diverging shrink attempt short. The verdict is the one the deadline would give.

import { describe, expect, it } from "vitest";
import { runConfig } from "../../harness/run/defaults.js";
import { runScenario } from "../../harness/run/scenario-run.js";
import { createBuiltinTarget } from "../../harness/targets/builtin.js";
import type { Step } from "../../harness/steps/step.js";

const steps: Step[] = [
  { action: { kind: "replicaof", node: "n1", master: "n0" } },
  { action: { kind: "link", replica: "n1", state: "blackhole" } },
  { action: { kind: "command", node: "n0", db: 0, argv: ["SET", "k", "v"], now: 0 } },
  // n1 cannot ack behind the blackhole: WAIT 1 50 must answer 0.
  { action: { kind: "wait", node: "n0", numReplicas: 1, timeoutMs: 50 } },
];

describe("a reply no outcome allows", () => {
  it("diverges at once, naming the reply, without waiting out the settle deadline", { timeout: 120_000 }, async () => {
    // A WAIT that counts every online replica, acked or not (a realistic server mistake).
    const target = () =>
      createBuiltinTarget({
        onStart: (s) => {
          const repl = s.replication;
          repl.countAcks = () => [...repl.stream.peers].filter((p) => p.state === "online").length;
        },
      });
    const settleDeadlineMs = 60_000;
    const result = await runScenario(runConfig(target, { replicas: 1, settleDeadlineMs }), null, steps);
    expect(result.status).toBe("diverged");
    const wait = result.steps.at(-1)!;
    expect(wait.failures.map((f) => `${f.field} ${f.rule}`)).toEqual(["reply WAIT-1"]);
    expect(wait.notes.some((n) => n.startsWith("judged on its reply at once"))).toBe(true);
    // Decided well before the (deliberately long) settle deadline.
    expect(wait.settleMs).toBeLessThan(settleDeadlineMs);
  });

  it("a correct server passes the same steps", { timeout: 120_000 }, async () => {
    const result = await runScenario(
      runConfig(() => createBuiltinTarget(), { replicas: 1 }),
      null,
      steps,
    );
    expect(result.status, result.reason).toBe("passed");
  });
});
