// What a link proxy reports as it runs: for the harness's settle logic and for reports.
import type { TargetUnreachableError } from "./errors.js";
import type { LinkState } from "./link-state.js";

export interface TargetAddress {
  readonly host: string;
  readonly port: number;
}

/** Identifies one accepted client connection. */
export interface ConnectionInfo {
  readonly proxy: string;
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

/** What the proxy did with a newly accepted connection. */
export type Disposition = "forward" | "park" | "blackhole";

export interface StateChange {
  readonly proxy: string;
  readonly from: LinkState;
  readonly to: LinkState;
  /** Date.now() when the change was applied. */
  readonly at: number;
}

export interface LinkProxyEvents {
  /** A client connection was accepted (refused ones emit `refused` instead). */
  opened: [ConnectionInfo & { readonly disposition: Disposition }];
  /** A connection arrived while cut and is being held until heal. */
  parked: [ConnectionInfo];
  /** A parked connection reached the target after heal; its held bytes are on their way. */
  released: [ConnectionInfo];
  /** The upstream connection to the target is established (new or released connection). */
  connected: [ConnectionInfo & { readonly target: TargetAddress }];
  /** A connection arrived while cut with `whileCut: "refuse"` and was reset at once. */
  refused: [ConnectionInfo];
  /** The target could not be reached; the client connection is closed (unless blackholed). */
  "upstream-error": [ConnectionInfo & { readonly error: TargetUnreachableError }];
  /** Both sides of a connection are closed. */
  closed: [ConnectionInfo & { readonly reason: string }];
  state: [StateChange];
  retargeted: [{ readonly proxy: string; readonly from: TargetAddress; readonly to: TargetAddress }];
  /** The listening socket failed after start (e.g. out of file descriptors while accepting). */
  "server-error": [{ readonly proxy: string; readonly error: Error }];
}
