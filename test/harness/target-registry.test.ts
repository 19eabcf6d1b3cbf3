// The target registry: every `--target` form is declared by one module, parsing and the CLI's help
// and errors come from it, each kind declares its capabilities, and a check that needs a capability
// the target lacks is skipped with the reason instead of run.

import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { parseTargetSpec, targetHelp, targetOption } from "../../harness/cli/options.js";
import {
  missingCapabilities,
  SPECIAL_CHECKS,
  unreachableMaster,
  waitBlocksUnderPartition,
} from "../../harness/run/special-checks.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { parseTarget } from "../../harness/targets/parse.js";
import { findTargetForm, TARGET_MODULES, targetChoices, targetSynopsis } from "../../harness/targets/registry.js";
import { supports, TargetUnavailable, type Target, type TargetCapabilities } from "../../harness/targets/target.js";

const forms = TARGET_MODULES.flatMap((module) => module.forms.map((form) => ({ module, form })));
/** A value written in `form`: the word itself, or the prefix and an argument. */
const example = (form: (typeof forms)[number]["form"]): string =>
  form.argument ? `${form.prefix}some-arg` : form.prefix;

describe("the target registry", () => {
  it("declares the five forms of the README, each once", () => {
    expect(forms.map(({ form }) => form.usage)).toEqual([
      "builtin",
      "redis-server",
      "binary:PATH",
      "image:NAME[:TAG]",
      "mixed:MASTER_TARGET,REPLICA_TARGET",
    ]);
    expect(new Set(TARGET_MODULES.map((m) => m.kind)).size).toBe(TARGET_MODULES.length);
  });

  for (const { module, form } of forms) {
    it(`${form.usage}: parsed by its module, with its capabilities and whether a machine may lack it`, () => {
      const choice = parseTarget(example(form));
      expect(choice).toMatchObject({
        spec: example(form),
        kind: module.kind,
        capabilities: module.capabilities,
        mayBeAbsent: form.mayBeAbsent,
      });
      expect(findTargetForm(example(form))).toMatchObject({ module, form, argument: form.argument ? "some-arg" : "" });
    });
  }

  it("a form's argument is everything after the prefix", () => {
    expect(findTargetForm("image:valkey/valkey:8")?.argument).toBe("valkey/valkey:8");
    expect(findTargetForm("binary:/opt/my server/bin:x")?.argument).toBe("/opt/my server/bin:x");
  });

  it("refuses a value of no form, a prefix without its argument and a word with one, naming every form", () => {
    for (const bad of ["nonsense", "binary:", "image:", "builtin:x", "Builtin", ""]) {
      expect(findTargetForm(bad)).toBeUndefined();
      const e = (() => {
        try {
          parseTarget(bad);
        } catch (x) {
          return x;
        }
      })();
      expect(e).toBeInstanceOf(TargetUnavailable);
      expect((e as TargetUnavailable).hint).toBe(`use --target ${targetChoices()}`);
    }
    expect(targetChoices()).toBe(
      "builtin, redis-server, binary:PATH, image:NAME[:TAG] or mixed:MASTER_TARGET,REPLICA_TARGET",
    );
  });

  it("the CLI's --target option, its validation and its help text come from the registry", () => {
    expect(targetOption().description).toBe(targetSynopsis());
    expect(targetSynopsis()).toBe(
      "builtin | redis-server | binary:PATH | image:NAME[:TAG] | mixed:MASTER_TARGET,REPLICA_TARGET",
    );
    expect(() => parseTargetSpec("nonsense")).toThrow(InvalidArgumentError);
    expect(() => parseTargetSpec("nonsense")).toThrow(`Use ${targetChoices()}.`);
    for (const { form } of forms) {
      expect(parseTargetSpec(example(form))).toBe(example(form));
      expect(targetHelp()).toContain(form.usage);
      expect(targetHelp()).toContain(form.help);
    }
  });

  it("each kind declares every capability, true only for what it supports today", () => {
    const byKind = Object.fromEntries(TARGET_MODULES.map((m) => [m.kind, m.capabilities]));
    for (const capabilities of Object.values(byKind)) {
      expect(Object.keys(capabilities).sort()).toEqual(["clock", "localLogs", "loopbackAliases", "pause"]);
    }
    // Processes are stopped with SIGSTOP, containers with the engine's pause, the in-process server frozen.
    expect(byKind.binary.pause).toBe(true);
    expect(byKind.image.pause).toBe(true);
    expect(byKind.builtin.pause).toBe(true);
    // Only the in-process server runs its timers on demand.
    expect(byKind.builtin.clock).toBe(true);
    expect(byKind.binary.clock).toBe(false);
    expect(byKind.image.clock).toBe(false);
    expect(byKind.builtin.localLogs).toBe(false); // in process: no log file
    expect(byKind.binary.localLogs).toBe(true);
    expect(byKind.image.localLogs).toBe(true); // bind-mounted from this machine
    expect(byKind.image.loopbackAliases).toBe(true); // a container's own loopback
  });

  it("a made target carries its kind's capabilities", async () => {
    const target = await parseTarget("builtin").make({});
    try {
      expect(target.kind).toBe("builtin");
      expect(target.capabilities).toEqual(parseTarget("builtin").capabilities);
    } finally {
      await target.stopAll();
    }
  });
});

describe("checks that need a capability", () => {
  it("LINK-6 needs loopback aliases, WAIT-4 nothing beyond starting nodes", () => {
    expect(SPECIAL_CHECKS.map((c) => [c.title.split(":")[0], c.needs])).toEqual([
      ["WAIT-4", []],
      ["LINK-6", ["loopbackAliases"]],
    ]);
  });

  it("say which capability is missing, or nothing when none is", () => {
    const link6 = SPECIAL_CHECKS.find((c) => c.title.startsWith("LINK-6"))!;
    expect(missingCapabilities(link6, supports({ loopbackAliases: true }))).toBeUndefined();
    expect(missingCapabilities(link6, supports({ localLogs: true }))).toBe(
      "the target does not support loopback aliases such as 127.0.0.2 on the nodes' machine (loopbackAliases)",
    );
  });

  /** The builtin target, declaring `capabilities` instead of its own; counts its stopAll calls. */
  async function builtinWith(capabilities: TargetCapabilities): Promise<{ target: Target; stops: () => number }> {
    const real = await parseTarget("builtin").make({});
    let stops = 0;
    const target: Target = {
      kind: real.kind,
      capabilities,
      description: real.description,
      proxyListenHost: real.proxyListenHost,
      proxyAdvertiseHost: real.proxyAdvertiseHost,
      startNode: (name, config) => real.startNode(name, config),
      stopAll: () => {
        stops++;
        return real.stopAll();
      },
    };
    return { target, stops: () => stops };
  }

  it("LINK-6 on a target without loopback aliases is skipped with the reason, starts no node and stops the target", async () => {
    const { target, stops } = await builtinWith(supports({ localLogs: true }));
    const started: string[] = [];
    const watched: Target = {
      ...target,
      startNode: (name, config) => {
        started.push(name);
        return target.startNode(name, config);
      },
    };
    const r = await unreachableMaster(watched, deterministicConfig());
    expect(r).toMatchObject({ ok: true, skipped: expect.stringMatching(/loopbackAliases/) });
    expect(started).toEqual([]);
    expect(stops()).toBe(1);
  });

  it("LINK-6 on a target without local logs checks everything but the log, and says so", {
    timeout: 60_000,
  }, async () => {
    const { target } = await builtinWith(supports({ loopbackAliases: true }));
    const r = await unreachableMaster(target, deterministicConfig(), 1200);
    expect(r.skipped).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.details.join("\n")).toMatch(/the log is not checked: .*\(localLogs\)/);
  });

  it("WAIT-4 needs no capability: it runs on a target that declares none", { timeout: 60_000 }, async () => {
    const { target } = await builtinWith(supports({}));
    const r = await waitBlocksUnderPartition(target, deterministicConfig(), 300);
    expect(r.skipped).toBeUndefined();
    expect(r.ok).toBe(true);
  });
});
