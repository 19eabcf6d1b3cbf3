/** A request that violates RESP framing. The message is the reply text without the "ERR " prefix. */
export class ProtocolError {
  constructor(readonly message: string) {}
}
