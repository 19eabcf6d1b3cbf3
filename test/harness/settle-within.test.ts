// settleWithin: the bound every teardown (proxy close, node stop, stopAll) relies on to end.
import { describe, expect, it } from "vitest";
import { settleWithin } from "../../harness/util/wait-for.js";

const never = () => new Promise<void>(() => {});

describe("settleWithin", () => {
  it("resolves 'settled' when the work ends in time, without forcing", async () => {
    let forced = false;
    expect(await settleWithin(Promise.resolve(1), 10_000, () => (forced = true))).toBe("settled");
    expect(forced).toBe(false);
  });

  it("rethrows an error that comes in time", async () => {
    await expect(settleWithin(Promise.reject(new Error("boom")), 10_000, () => {})).rejects.toThrow("boom");
  });

  it("forces work that never ends, and resolves 'forced' even when forcing does not help", async () => {
    let forced = 0;
    expect(await settleWithin(never(), 10, () => forced++)).toBe("forced");
    expect(forced).toBe(1);
    // A force that never ends, or throws, is bounded too.
    expect(await settleWithin(never(), 10, never)).toBe("forced");
    expect(
      await settleWithin(never(), 10, () => {
        throw new Error("cannot force");
      }),
    ).toBe("forced");
  });

  it("resolves as soon as forcing lets the work end", async () => {
    let release!: () => void;
    const work = new Promise<void>((resolve) => (release = resolve));
    expect(await settleWithin(work, 10, () => release())).toBe("forced");
  });

  it("drops an error of work that fails after the deadline (no unhandled rejection)", async () => {
    let fail!: (e: Error) => void;
    const work = new Promise<void>((_, reject) => (fail = reject));
    expect(await settleWithin(work, 10, () => {})).toBe("forced");
    fail(new Error("late"));
    // vitest fails the run on an unhandled rejection; give it a turn to surface.
    await new Promise((resolve) => setImmediate(resolve));
  });
});
