// Scenario files: complete validation before a replay starts (every field path named, nothing
// skipped), and the counterexample file + replay command lines the CLI and the vitest entry share.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import {
  parseScenario,
  readScenarioFile,
  replayHint,
  saveCounterexample,
  ScenarioFileError,
  shellQuote,
} from "../../harness/report/scenario-file.js";
import type { CampaignResult } from "../../harness/run/campaign.js";
import { TARGETED_SCENARIOS } from "../../harness/scenario/targeted.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";

const dir = mkdtempSync(join(tmpdir(), "replcheck-scenario-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A valid file using every action kind. */
function valid(): Record<string, unknown> {
  return {
    format: "replcheck-scenario/1",
    replicas: 2,
    nodeConfig: { "repl-timeout": "3600", save: [""] },
    origin: { note: "test" },
    steps: [
      { action: { kind: "replicaof", node: "n1", master: "n0" } },
      { action: { kind: "command", node: "n0", db: 3, argv: ["SET", "k", "v"], now: 1700000000000 } },
      {
        action: {
          kind: "transaction",
          node: "n0",
          db: 0,
          commands: [
            ["INCR", "a"],
            ["DEL", "b"],
          ],
          now: 0,
        },
      },
      { action: { kind: "wait", node: "n0", numReplicas: 1, timeoutMs: 50 } },
      { action: { kind: "link", replica: "n1", state: "blackhole" } },
      { action: { kind: "link", replica: "n1", state: "up", master: "n0" }, throttle: 250000 },
      { action: { kind: "replicaof-no-one", node: "n1" } },
      { action: { kind: "config-set", node: "n0", name: "repl-backlog-size", value: "16384" } },
      { action: { kind: "save", node: "n0" } },
      { action: { kind: "restart", node: "n2", save: true } },
      { action: { kind: "ping-tick", node: "n0" } },
      { action: { kind: "backlog-ttl-expired", node: "n0" } },
      { action: { kind: "repl-timeout", replica: "n2" } },
    ],
  };
}

/** The message for a file changed by `edit`. */
function problem(edit: (f: any) => void): string {
  const f: any = valid();
  edit(f);
  try {
    parseScenario(JSON.parse(JSON.stringify(f)));
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioFileError);
    return (e as Error).message;
  }
  throw new Error("the file was accepted");
}

describe("scenario file validation", () => {
  it("accepts every action kind, and every targeted scenario as written", () => {
    expect(parseScenario(valid()).steps).toHaveLength(13);
    for (const s of TARGETED_SCENARIOS) {
      expect(() =>
        parseScenario({
          format: "replcheck-scenario/1",
          replicas: s.replicas,
          nodeConfig: deterministicConfig(),
          origin: {},
          steps: s.steps,
        }),
      ).not.toThrow();
    }
  });

  it.each([
    [
      "an unknown step kind",
      (f: any) => (f.steps[3].action = { kind: "teleport", node: "n0" }),
      'steps[3].action.kind: unknown step kind "teleport"',
    ],
    ["a missing kind", (f: any) => delete f.steps[0].action.kind, "steps[0].action.kind: missing"],
    [
      "an unknown node",
      (f: any) => (f.steps[1].action.node = "n3"),
      'steps[1].action.node: unknown node "n3" (this scenario has n0, n1, n2)',
    ],
    [
      "an unknown link master",
      (f: any) => (f.steps[5].action.master = "n9"),
      'steps[5].action.master: unknown node "n9"',
    ],
    ["a null field", (f: any) => (f.steps[4].action.state = null), "steps[4].action.state: null is not allowed"],
    ["a null optional field", (f: any) => (f.steps[5].throttle = null), "steps[5].throttle: null is not allowed"],
    ["a null step", (f: any) => (f.steps[2] = null), "steps[2]: null is not allowed"],
    [
      "a number as a string",
      (f: any) => (f.steps[3].action.timeoutMs = "50"),
      'steps[3].action.timeoutMs: expected a whole number ≥ 0, got "50"',
    ],
    [
      "a fraction",
      (f: any) => (f.steps[1].action.db = 1.5),
      "steps[1].action.db: expected a whole number ≥ 0, got 1.5",
    ],
    [
      "a non-string argument",
      (f: any) => (f.steps[1].action.argv = ["SET", "k", 1]),
      "steps[1].action.argv[2]: expected a string, got 1",
    ],
    [
      "an empty command",
      (f: any) => (f.steps[2].action.commands = [["INCR", "a"], []]),
      "steps[2].action.commands[1]: expected at least 1 item",
    ],
    [
      "an unknown link state",
      (f: any) => (f.steps[4].action.state = "flaky"),
      'steps[4].action.state: expected one of up, down, blackhole, got "flaky"',
    ],
    [
      "an unknown config name",
      (f: any) => (f.steps[7].action.name = "maxmemory"),
      "steps[7].action.name: expected one of repl-backlog-size",
    ],
    [
      "a boolean as a string",
      (f: any) => (f.steps[9].action.save = "yes"),
      'steps[9].action.save: expected true or false, got "yes"',
    ],
    [
      "an unknown action field",
      (f: any) => (f.steps[8].action.background = true),
      "steps[8].action.background: unknown field",
    ],
    ["an unknown step field", (f: any) => (f.steps[8].delayMs = 5), "steps[8].delayMs: unknown field"],
    ["a zero throttle", (f: any) => (f.steps[5].throttle = 0), "steps[5].throttle: expected a whole number ≥ 1, got 0"],
    ["steps that are not a list", (f: any) => (f.steps = {}), "steps: expected a list, got an object"],
    ["replicas out of range", (f: any) => (f.replicas = 10), "replicas: expected a whole number from 0 to 9, got 10"],
    ["missing replicas", (f: any) => delete f.replicas, "replicas: missing"],
    ["a bad nodeConfig value", (f: any) => (f.nodeConfig.save = [1]), "nodeConfig.save[0]: expected a string, got 1"],
    ["a null nodeConfig value", (f: any) => (f.nodeConfig.hz = null), "nodeConfig.hz: null is not allowed"],
    ["an unknown top-level field", (f: any) => (f.extra = 1), "extra: unknown field"],
    [
      "a newer format version",
      (f: any) => (f.format = "replcheck-scenario/2"),
      "format: replcheck-scenario/2 is newer than this replcheck reads (replcheck-scenario/1)",
    ],
    [
      "another format",
      (f: any) => (f.format = "other"),
      'format: not a replcheck scenario file: expected format "replcheck-scenario/1", got "other"',
    ],
  ])("refuses %s, naming the field", (_name, edit, message) => {
    expect(problem(edit)).toContain(message);
  });

  it("refuses what JSON.parse turns into non-finite numbers", () => {
    const f = JSON.parse(JSON.stringify(valid()).replace('"now":1700000000000', '"now":1e999'));
    expect(() => parseScenario(f)).toThrow("steps[1].action.now: expected a finite number, got Infinity");
  });

  it("names the file it read, and a file that is not JSON", () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, "{ not json");
    expect(() => readScenarioFile(file)).toThrow(/cannot read scenario file .*broken\.json/);
    writeFileSync(file, JSON.stringify({ ...valid(), replicas: -1 }));
    expect(() => readScenarioFile(file)).toThrow(`${file}: replicas: expected a whole number from 0 to 9, got -1`);
  });
});

describe("saving a counterexample (CLI and vitest entry)", () => {
  const s = TARGETED_SCENARIOS[0];
  const result = {
    seed: -123,
    path: "4:2:0",
    target: "redis-server 7.0.15 (/usr/bin/redis-server)",
    profile: "Redis 7.0 (7.0.15)",
    counterexample: {
      status: "diverged",
      reason: "PSYNC-2 n1 sync_partial_ok",
      steps: [],
      executed: s.steps,
      profile: "Redis 7.0 (7.0.15)",
      target: "redis-server",
    },
  } as unknown as CampaignResult;

  it("writes a file replay accepts, and prints the full command lines", () => {
    const saved = saveCounterexample(
      result,
      {
        target: "binary:/opt/my server/bin",
        replicas: 3,
        steps: 12,
        profile: "redis-7.0",
        nodeConfig: deterministicConfig(),
      },
      dir,
    )!;
    expect(saved.rerun).toBe(
      "replcheck run --target 'binary:/opt/my server/bin' --replicas 3 --steps 12 --seed -123 --path 4:2:0 --profile redis-7.0",
    );
    expect(saved.file).toBe(join(dir, "replcheck-counterexample--123.json"));
    expect(saved.replay).toBe(
      `replcheck replay ${saved.file} --target 'binary:/opt/my server/bin' --profile redis-7.0`,
    );
    const back = readScenarioFile(saved.file!);
    expect(back.replicas).toBe(3);
    expect(back.steps).toEqual(s.steps);
    expect(back.origin.rerun).toBe(saved.rerun);
    expect(replayHint(saved)).toContain(saved.rerun);
    expect(JSON.parse(readFileSync(saved.file!, "utf8")).format).toBe("replcheck-scenario/1");
  });

  it("says so when the file cannot be written, and still gives the run command", () => {
    const saved = saveCounterexample(
      result,
      { target: "builtin", replicas: 2, steps: 30, nodeConfig: {} },
      join(dir, "no", "such", "dir"),
    )!;
    expect(saved.file).toBeUndefined();
    expect(saved.writeError).toMatch(/could not write the scenario file/);
    expect(replayHint(saved)).toContain(
      "replcheck run --target builtin --replicas 2 --steps 30 --seed -123 --path 4:2:0",
    );
    expect(
      saveCounterexample(
        { ...result, counterexample: undefined },
        { target: "builtin", replicas: 2, steps: 30, nodeConfig: {} },
        dir,
      ),
    ).toBeUndefined();
  });

  it("quotes only what a shell would split or expand", () => {
    expect(["builtin", "image:redis:7.4", "/a b", "it's", "$HOME"].map(shellQuote)).toEqual([
      "builtin",
      "image:redis:7.4",
      "'/a b'",
      `'it'\\''s'`,
      "'$HOME'",
    ]);
  });
});

describe("the shipped scenario schema (schemas/scenario.schema.json)", () => {
  // A user's own tooling reads the shipped file with any JSON Schema validator: here ajv without
  // replcheck's wording, on the file itself.
  const shipped = JSON.parse(readFileSync(join(import.meta.dirname, "../../schemas/scenario.schema.json"), "utf8"));
  const validate = new Ajv({ discriminator: true }).compile(shipped);
  const file = (steps: unknown[]) => ({
    format: "replcheck-scenario/1",
    replicas: 2,
    nodeConfig: deterministicConfig(),
    origin: {},
    steps,
  });

  it("accepts every targeted scenario", () => {
    for (const s of TARGETED_SCENARIOS) expect(validate(file(s.steps)), s.name).toBe(true);
  });

  it("refuses an unknown step kind and a field of the wrong type", () => {
    expect(validate(file([{ action: { kind: "teleport", node: "n0" } }]))).toBe(false);
    expect(validate(file([{ action: { kind: "wait", node: "n0", numReplicas: "1", timeoutMs: 0 } }]))).toBe(false);
  });
});
