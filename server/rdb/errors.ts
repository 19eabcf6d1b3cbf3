/** Every failure to decode an RDB payload: the message says what and, when known, at which byte offset. */
export class RdbError extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at offset ${offset})`);
    this.name = "RdbError";
  }
}
