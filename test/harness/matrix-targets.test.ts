// `--targets` lists: split by the registry's forms (a composite form keeps its own commas), every
// value checked before anything starts; and the folder each target's run gets.

import { describe, expect, it } from "vitest";
import { matrixTargets } from "../../harness/matrix/run-matrix.js";
import { targetFolderName } from "../../harness/matrix/target-folder.js";
import { splitTargetList, TargetListError } from "../../harness/matrix/target-list.js";
import { findTargetForm } from "../../harness/targets/registry.js";
import type { TargetForm } from "../../harness/targets/target.js";

/** The registry plus a composite form written with a comma, as `mixed:A,B` is. */
const PAIR: TargetForm = {
  usage: "pair:FIRST_TARGET,SECOND_TARGET",
  prefix: "pair:",
  argument: true,
  help: "a composite of two targets (test only)",
  mayBeAbsent: false,
  create: () => Promise.reject(new Error("not made in this test")),
};
const withPair = (spec: string) => (spec.startsWith(PAIR.prefix) ? { form: PAIR } : findTargetForm(spec));

describe("splitTargetList", () => {
  it("splits a list of the registry's forms at its commas, in order", () => {
    expect(splitTargetList("builtin,redis-server,binary:/opt/valkey/bin/valkey-server,image:redis:7.4")).toEqual([
      "builtin",
      "redis-server",
      "binary:/opt/valkey/bin/valkey-server",
      "image:redis:7.4",
    ]);
    expect(splitTargetList(" builtin , redis-server ")).toEqual(["builtin", "redis-server"]);
  });

  it("keeps together the parts of a form whose usage holds a comma", () => {
    expect(
      splitTargetList("builtin,pair:builtin,redis-server,pair:redis-server,builtin,redis-server", withPair),
    ).toEqual(["builtin", "pair:builtin,redis-server", "pair:redis-server,builtin", "redis-server"]);
  });

  it("refuses an empty part, an unknown target, an incomplete composite and a target named twice", () => {
    const refused = (list: string) => {
      try {
        splitTargetList(list, withPair);
      } catch (e) {
        expect(e).toBeInstanceOf(TargetListError);
        return (e as Error).message;
      }
      throw new Error(`"${list}" was accepted`);
    };
    expect(refused("builtin,,redis-server")).toBe(
      'empty target in --targets "builtin,,redis-server"; separate targets with single commas',
    );
    expect(refused("builtin,redis")).toMatch(/^unknown target "redis"; use builtin, redis-server, binary:PATH/);
    expect(refused("builtin,pair:builtin")).toBe(
      'target "pair:builtin" is incomplete; it is written pair:FIRST_TARGET,SECOND_TARGET',
    );
    expect(refused("builtin,redis-server,builtin")).toBe('target "builtin" is listed twice in --targets');
  });

  it("matrixTargets checks a list of values as a whole before anything starts", () => {
    expect(matrixTargets(["builtin", "redis-server"])).toEqual(["builtin", "redis-server"]);
    expect(() => matrixTargets(["builtin", "kubernetes:x"])).toThrow('unknown target "kubernetes:x"');
    expect(() => matrixTargets([])).toThrow("no targets given");
  });
});

describe("targetFolderName", () => {
  it("numbers each target's folder in column order and names it after the --target value", () => {
    expect(targetFolderName(0, "builtin")).toBe("1-builtin");
    expect(targetFolderName(1, "binary:/usr/bin/redis-server")).toBe("2-binary-usr-bin-redis-server");
    expect(targetFolderName(2, "image:replcheck-redis:7.0.15")).toBe("3-image-replcheck-redis-7.0.15");
    expect(targetFolderName(3, "mixed:builtin,redis-server")).toBe("4-mixed-builtin-redis-server");
  });
});
