// Shared expire-time arithmetic of SET/SETEX/PSETEX and EXPIRE* (t_string.c
// getExpireMillisecondsOrReply, expire.c expireGenericCommand), done in BigInt so overflow
// checks agree with Redis' long long arithmetic.

import { LLONG_MAX, LLONG_MIN } from "../util/integers.js";

export type TimeUnit = "seconds" | "milliseconds";

/** SET-style: value must be > 0; relative values get `now` added. Returns null if invalid. */
export function setExpireAt(value: bigint, unit: TimeUnit, relative: boolean, now: number): bigint | null {
  if (value <= 0n || (unit === "seconds" && value > LLONG_MAX / 1000n)) return null;
  let ms = unit === "seconds" ? value * 1000n : value;
  if (relative) ms += BigInt(now);
  if (ms > LLONG_MAX || ms <= 0n) return null; // overflow wraps negative in C
  return ms;
}

/** EXPIRE-style: negative allowed; null when the unit conversion or base addition overflows. */
export function expireCommandAt(value: bigint, unit: TimeUnit, base: number): bigint | null {
  let when = value;
  if (unit === "seconds") {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) return null;
    when *= 1000n;
  }
  if (when > LLONG_MAX - BigInt(base)) return null;
  return when + BigInt(base);
}
