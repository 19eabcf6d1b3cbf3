// The start/rollback and stopAll that every target kind shares (targets/node-set.ts): a node whose
// start fails, or that stopAll overtakes, is stopped again; stopAll stops every node once, then
// sweeps, removes the temp root (unless logs are kept) and releases, in that order.

import { existsSync, mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRunRoot, NodeSet } from "../../harness/targets/node-set.js";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

class FakeNode {
  stops = 0;
  constructor(readonly dir: string) {
    mkdirSync(dir);
  }
  async stop(): Promise<void> {
    this.stops++;
  }
}

async function nodeSet(options: { keepLogs?: boolean } = {}) {
  const root = await createRunRoot({}, "replcheck-node-set-");
  roots.push(root);
  const events: string[] = [];
  const set = new NodeSet<FakeNode>({
    what: "fake target",
    root,
    keepLogs: options.keepLogs ?? false,
    sweep: async () => {
      events.push("sweep");
    },
    release: () => events.push("release"),
  });
  return { set, root, events };
}

describe("NodeSet", () => {
  it("creates the run root under the OS temp dir, or under workRoot (created if missing)", async () => {
    const root = await createRunRoot({}, "replcheck-node-set-");
    roots.push(root);
    expect(dirname(root)).toBe(tmpdir());
    const work = await createRunRoot({}, "replcheck-node-set-work-");
    roots.push(work);
    const nested = await createRunRoot({ workRoot: `${work}/a/b` }, "x-");
    expect(dirname(nested)).toBe(`${work}/a/b`);
  });

  it("starts a node in its own directory under the root", async () => {
    const { set, root } = await nodeSet();
    const node = await set.start(
      "n0",
      (dir) => new FakeNode(dir),
      async () => {},
    );
    expect(node.dir).toBe(`${root}/n0`);
    expect(existsSync(node.dir)).toBe(true);
  });

  it("refuses names that are not a plain directory name, and a name twice", async () => {
    const { set } = await nodeSet();
    for (const bad of ["", ".", "..", "a/b", "n 0"])
      await expect(
        set.start(
          bad,
          (dir) => new FakeNode(dir),
          async () => {},
        ),
      ).rejects.toThrow(/invalid node name/);
    await set.start(
      "n0",
      (dir) => new FakeNode(dir),
      async () => {},
    );
    await expect(
      set.start(
        "n0",
        (dir) => new FakeNode(dir),
        async () => {},
      ),
    ).rejects.toThrow(/node n0 already exists/);
  });

  it("stops a node whose start fails, and rethrows the start's error", async () => {
    const { set } = await nodeSet();
    let made: FakeNode | undefined;
    const failure = new Error("port taken");
    await expect(
      set.start(
        "n0",
        (dir) => (made = new FakeNode(dir)),
        async () => {
          throw failure;
        },
      ),
    ).rejects.toBe(failure);
    expect(made!.stops).toBe(1);
  });

  it("stops a node whose start stopAll overtook, and says so", async () => {
    const { set } = await nodeSet();
    let made: FakeNode | undefined;
    let stopping: Promise<void> | undefined;
    const start = set.start(
      "n0",
      (dir) => (made = new FakeNode(dir)),
      async () => {
        stopping = set.stopAll();
      },
    );
    await expect(start).rejects.toThrow("fake target was stopped while n0 was starting");
    await stopping;
    expect(made!.stops).toBeGreaterThanOrEqual(1);
    await expect(
      set.start(
        "n1",
        (dir) => new FakeNode(dir),
        async () => {},
      ),
    ).rejects.toThrow("fake target is stopped; cannot start n1");
  });

  it("stopAll stops every node once, then sweeps, removes the root and releases; a second call is the same stop", async () => {
    const { set, root, events } = await nodeSet();
    const nodes = await Promise.all(
      ["n0", "n1"].map((n) =>
        set.start(
          n,
          (dir) => new FakeNode(dir),
          async () => {},
        ),
      ),
    );
    const first = set.stopAll();
    expect(set.stopAll()).toBe(first);
    await first;
    expect(nodes.map((n) => n.stops)).toEqual([1, 1]);
    expect(events).toEqual(["sweep", "release"]);
    expect(existsSync(root)).toBe(false);
  });

  it("keeps the root with keepLogs, and removes it and releases even when the sweep fails", async () => {
    const kept = await nodeSet({ keepLogs: true });
    await kept.set.start(
      "n0",
      (dir) => new FakeNode(dir),
      async () => {},
    );
    await kept.set.stopAll();
    expect(existsSync(`${kept.root}/n0`)).toBe(true);

    const root = await createRunRoot({}, "replcheck-node-set-");
    roots.push(root);
    let released = false;
    const failing = new NodeSet<FakeNode>({
      what: "fake target",
      root,
      keepLogs: false,
      sweep: async () => {
        throw new Error("engine gone");
      },
      release: () => (released = true),
    });
    await expect(failing.stopAll()).rejects.toThrow("engine gone");
    expect(existsSync(root)).toBe(false);
    expect(released).toBe(true);
  });
});
