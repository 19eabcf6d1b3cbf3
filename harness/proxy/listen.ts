// Binding the proxy's listening socket, with errors that say which address failed and why.
import type { AddressInfo, Server } from "node:net";
import { ListenAddressInUseError, ListenFailedError } from "./errors.js";

export function listen(server: Server, proxyName: string, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(describeListenError(error, proxyName, host, port));
    };
    server.once("error", onError);
    server.listen({ host, port }, () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function describeListenError(error: NodeJS.ErrnoException, proxyName: string, host: string, port: number): Error {
  switch (error.code) {
    case "EADDRINUSE":
      return new ListenAddressInUseError(proxyName, host, port, { cause: error });
    case "EADDRNOTAVAIL":
      return new ListenFailedError(proxyName, host, port, error.code, "address not available on this machine", {
        cause: error,
      });
    case "EACCES":
      return new ListenFailedError(proxyName, host, port, error.code, "permission denied (privileged port?)", {
        cause: error,
      });
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new ListenFailedError(proxyName, host, port, error.code, "host name does not resolve", { cause: error });
    default:
      return new ListenFailedError(proxyName, host, port, error.code, error.message, { cause: error });
  }
}
