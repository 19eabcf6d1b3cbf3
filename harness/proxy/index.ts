// Public surface of the link proxy.
export { startLinkProxy } from "./link-proxy.js";
export type {
  AfterBlackhole,
  LinkProxy,
  LinkProxyOptions,
  LinkProxyStats,
  SetStateOptions,
  WhileCut,
} from "./link-proxy.js";
export type { LinkState } from "./link-state.js";
export { describeLinkState } from "./link-state.js";
export type { ConnectionInfo, Disposition, LinkProxyEvents, StateChange, TargetAddress } from "./events.js";
export {
  InvalidAddressError,
  InvalidLinkStateError,
  LinkProxyClosedError,
  LinkProxyError,
  ListenAddressInUseError,
  ListenFailedError,
  TargetUnreachableError,
} from "./errors.js";
