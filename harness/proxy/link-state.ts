// The states a replication link can be put in, and their validation.
import { InvalidLinkStateError } from "./errors.js";

/** What callers pass to setState. */
export type LinkState = "up" | "cut" | "blackhole" | { readonly throttle: number };

/** Whether a state forwards bytes (up or throttled): entering one heals the link. */
export function isForwardingState(state: LinkState): state is "up" | { readonly throttle: number } {
  return state === "up" || typeof state === "object";
}

/** Bytes per second for a forwarding state; undefined means unlimited. */
export function rateOf(state: LinkState): number | undefined {
  return typeof state === "object" ? state.throttle : undefined;
}

/** Checks an untrusted value and returns a frozen copy, so callers cannot mutate the proxy's state. */
export function validateLinkState(proxyName: string, value: unknown): LinkState {
  if (value === "up" || value === "cut" || value === "blackhole") return value;
  if (typeof value === "object" && value !== null && "throttle" in value) {
    const rate = (value as { throttle: unknown }).throttle;
    if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0) {
      throw new InvalidLinkStateError(
        proxyName,
        `throttle must be a finite number of bytes per second > 0, got ${String(rate)}`,
      );
    }
    return Object.freeze({ throttle: rate });
  }
  throw new InvalidLinkStateError(proxyName, `got ${describeUnknown(value)}`);
}

/** Short text for reports and events: up, cut, blackhole, throttle(1000B/s). */
export function describeLinkState(state: LinkState): string {
  return typeof state === "object" ? `throttle(${state.throttle}B/s)` : state;
}

function describeUnknown(value: unknown): string {
  try {
    return typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}
