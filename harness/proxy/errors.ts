// Errors a link proxy reports. Each message names the proxy and the address involved, so a
// failing run says which replication edge broke and why.

/** Base class, so callers can tell proxy errors from everything else. */
export class LinkProxyError extends Error {
  override name = "LinkProxyError";
}

/** The listen address is already bound by another socket. */
export class ListenAddressInUseError extends LinkProxyError {
  override name = "ListenAddressInUseError";
  constructor(
    readonly proxyName: string,
    readonly host: string,
    readonly port: number,
    options?: { cause?: unknown },
  ) {
    super(`link proxy ${proxyName}: cannot listen on ${formatAddress(host, port)}: address already in use`, options);
  }
}

/** The listen host is not an address of this machine (or cannot be bound for another reason). */
export class ListenFailedError extends LinkProxyError {
  override name = "ListenFailedError";
  constructor(
    readonly proxyName: string,
    readonly host: string,
    readonly port: number,
    readonly code: string | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`link proxy ${proxyName}: cannot listen on ${formatAddress(host, port)}: ${detail}`, options);
  }
}

/** setState was given something that is not a link state. */
export class InvalidLinkStateError extends LinkProxyError {
  override name = "InvalidLinkStateError";
  constructor(
    readonly proxyName: string,
    detail: string,
  ) {
    super(
      `link proxy ${proxyName}: invalid state: ${detail}; expected "up", "cut", "blackhole" or { throttle: <bytes per second, > 0> }`,
    );
  }
}

/** A host/port option is malformed (caught before any socket is touched). */
export class InvalidAddressError extends LinkProxyError {
  override name = "InvalidAddressError";
}

/** The proxy was closed; it cannot change state or target any more. */
export class LinkProxyClosedError extends LinkProxyError {
  override name = "LinkProxyClosedError";
  constructor(
    readonly proxyName: string,
    action: string,
  ) {
    super(`link proxy ${proxyName}: cannot ${action}: the proxy is closed`);
  }
}

/** The proxy could not reach its target for one accepted connection (the proxy keeps running). */
export class TargetUnreachableError extends LinkProxyError {
  override name = "TargetUnreachableError";
  constructor(
    readonly proxyName: string,
    readonly host: string,
    readonly port: number,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    const why = options?.cause instanceof Error ? options.cause.message : String(options?.cause ?? "unknown error");
    super(`link proxy ${proxyName}: target ${formatAddress(host, port)} unreachable: ${why}`, options);
  }
}

/** host:port, with brackets around IPv6 literals. */
export function formatAddress(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
