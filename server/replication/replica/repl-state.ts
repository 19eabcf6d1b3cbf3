// server.repl_state (server.h repl_state, 7.0): where a replica stands in reaching its master.
// The RECEIVE_* states wait for one handshake reply each; SEND_HANDSHAKE and SEND_PSYNC are
// passed through while the requests are written, as in syncWithMaster.

export type ReplState =
  | "none" // REPL_STATE_NONE: a master
  | "connect" // REPL_STATE_CONNECT: must connect (the cron or a reconnect does it)
  | "connecting" // REPL_STATE_CONNECTING: TCP connect in progress
  | "receive_ping_reply"
  | "send_handshake"
  | "receive_auth_reply"
  | "receive_port_reply"
  | "receive_ip_reply"
  | "receive_capa_reply"
  | "send_psync"
  | "receive_psync_reply"
  | "transfer" // REPL_STATE_TRANSFER: receiving the RDB payload
  | "connected"; // REPL_STATE_CONNECTED: the master client streams

/** The handshake states, from RECEIVE_PING_REPLY to RECEIVE_PSYNC_REPLY. */
export type HandshakeState = Extract<
  ReplState,
  | "receive_ping_reply"
  | "send_handshake"
  | "receive_auth_reply"
  | "receive_port_reply"
  | "receive_ip_reply"
  | "receive_capa_reply"
  | "send_psync"
  | "receive_psync_reply"
>;

const HANDSHAKE_STATES: ReadonlySet<ReplState> = new Set<HandshakeState>([
  "receive_ping_reply",
  "send_handshake",
  "receive_auth_reply",
  "receive_port_reply",
  "receive_ip_reply",
  "receive_capa_reply",
  "send_psync",
  "receive_psync_reply",
]);

/** slaveIsInHandshakeState(). */
export function inHandshake(state: ReplState): state is HandshakeState {
  return HANDSHAKE_STATES.has(state);
}

/** roleCommand()'s name of the state (LINK-2): every handshake state is "handshake", TRANSFER is "sync". */
export function roleStateName(state: ReplState): string {
  if (inHandshake(state)) return "handshake";
  return state === "transfer" ? "sync" : state;
}
