// WAIT-1 / WAIT-3: a WAIT reply is judged with how long it took, never by assuming acks are fast.

import { describe, expect, it } from "vitest";
import { judgeWait, type WaitCount } from "../../harness/check/wait-reply.js";

const expected = (numReplicas: number, certain: number, possible: number, timeoutMs = 20): WaitCount => ({
  kind: "wait-count",
  numReplicas,
  timeoutMs,
  certain,
  possible,
});
const int = (value: number) => ({ kind: "int", value });

describe("WAIT-3: timing", () => {
  it("returned at its timeout: any count between the certain acks and the replicas that could ack", () => {
    // The replicas were slow on a loaded machine: :0 after 20 ms is what Redis answers.
    expect(judgeWait(expected(1, 0, 2), int(0), 21)).toMatchObject({ ok: true });
    expect(judgeWait(expected(2, 0, 2), int(1), 35)).toMatchObject({ ok: true });
  });
  it("returned before its timeout: it must have counted numreplicas", () => {
    expect(judgeWait(expected(2, 0, 2), int(1), 5)).toMatchObject({ ok: false, rule: "WAIT-3" });
    expect(judgeWait(expected(2, 0, 2), int(2), 5)).toMatchObject({ ok: true });
  });
  it("a millisecond of clock rounding is not early", () => {
    expect(judgeWait(expected(1, 0, 0), int(0), 19.5)).toMatchObject({ ok: true });
    expect(judgeWait(expected(1, 0, 0), int(0), 18.5)).toMatchObject({ ok: false, rule: "WAIT-3" });
  });
  it("timeout 0 has no deadline: any return counted numreplicas", () => {
    expect(judgeWait(expected(1, 0, 1, 0), int(0), 5000)).toMatchObject({ ok: false, rule: "WAIT-3" });
    expect(judgeWait(expected(1, 0, 1, 0), int(1), 5000)).toMatchObject({ ok: true });
  });
  it("an error reply is not a count", () => {
    expect(judgeWait(expected(1, 0, 1), { kind: "error", value: "ERR x" }, 25)).toMatchObject({
      ok: false,
      rule: "WAIT-3",
    });
  });
});

describe("WAIT-1: the count", () => {
  it("never more than the replicas that could ack", () => {
    expect(judgeWait(expected(1, 0, 1), int(2), 25)).toMatchObject({ ok: false, rule: "WAIT-1" });
  });
  it("never fewer than the acks the master already had", () => {
    expect(judgeWait(expected(0, 2, 2), int(1), 0.3)).toMatchObject({ ok: false, rule: "WAIT-1" });
    expect(judgeWait(expected(0, 2, 2), int(2), 0.3)).toMatchObject({ ok: true, rule: "WAIT-1" });
  });
});
