// Replies as the model predicts them: exact RESP values, or a set of acceptable values where the
// real server's answer is legitimately open (unordered collections, clock-dependent TTLs, WAIT).

export type Reply =
  | { kind: "status"; value: string }
  | { kind: "error"; value: string }
  | { kind: "int"; value: number }
  | { kind: "bulk"; value: string | null }
  /** Items may themselves be ranges (e.g. WAIT inside MULTI). `any`: a multiset; `pairs-any`: field/value pairs in any order. */
  | { kind: "array"; value: ExpectedReply[] | null; order?: "ordered" | "any" | "pairs-any" };

export type ExpectedReply =
  | Reply
  /** Any integer in [min, max] (TTL with a clock, WAIT counts). */
  | { kind: "int-range"; min: number; max: number }
  /** The command does not return while the condition holds (WAIT n 0 under a partition, WAIT-4). */
  | { kind: "blocked"; until: string }
  /**
   * WAIT-3: a count that depends on when acks arrive, so it is judged with how long the WAIT took.
   * Always within [certain, possible]; a WAIT that returned before `timeoutMs` (0 = no timeout)
   * must have counted at least `numReplicas`.
   */
  | { kind: "wait-count"; numReplicas: number; timeoutMs: number; certain: number; possible: number };

export const ok: Reply = { kind: "status", value: "OK" };
export const nil: Reply = { kind: "bulk", value: null };
export const nilArray: Reply = { kind: "array", value: null };
export const int = (value: number): Reply => ({ kind: "int", value });
export const bulk = (value: string | null): Reply => ({ kind: "bulk", value });
export const err = (value: string): Reply => ({ kind: "error", value });
export const status = (value: string): Reply => ({ kind: "status", value });
export const bulkArray = (values: readonly string[], order: "ordered" | "any" = "ordered"): Reply => ({
  kind: "array",
  value: values.map((v) => bulk(v)),
  order,
});
