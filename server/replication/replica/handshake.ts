// The replica's handshake with its master, one connection's worth (replication.c syncWithMaster
// and slaveTryPartialResynchronization, 7.0; LINK-1, PSYNC-7): PING; then AUTH, REPLCONF
// listening-port, [ip-address] and capa, pipelined; then PSYNC. Each reply line moves it from one
// RECEIVE state to the next; the PSYNC reply ends it.

import type { ConfigRegistry } from "../../config/config-registry.js";
import type { ServerLog } from "../../core/server-log.js";
import { REPLID_LENGTH } from "../replication-ids.js";
import { encodeStrings } from "../stream-encoding.js";
import type { CachedMaster } from "./cached-master.js";
import { LineReader } from "./line-reader.js";
import type { HandshakeState } from "./repl-state.js";

/** How the handshake ended. */
export type HandshakeEnd =
  /** +FULLRESYNC <replid> <offset>; replid "" and offset -1 when the line is malformed. */
  | { readonly end: "fullresync"; readonly replid: string; readonly offset: number }
  /** +CONTINUE [<newid>]; newReplid "" when the master sent none. */
  | { readonly end: "continue"; readonly newReplid: string }
  /** PSYNC not understood: SYNC was sent, the legacy transfer follows (no ACKs). */
  | { readonly end: "sync" }
  /** undoConnectWithMaster(): the connection goes, the cron tries again (LINK-3). */
  | { readonly end: "abort" };

export interface HandshakeSetup {
  readonly config: ConfigRegistry;
  readonly log: ServerLog;
  /** Our port, announced unless replica-announce-port says otherwise. */
  readonly port: number;
  /** The master to continue with (PSYNC <replid> <reploff + 1>), or null (PSYNC ? -1). */
  cachedMaster(): CachedMaster | null;
  /** Writes to the master's socket. */
  send(data: Buffer): void;
}

export class Handshake {
  private readonly lines = new LineReader();
  /** REPLCONF ip-address went out with SEND_HANDSHAKE, so its reply comes before capa's. */
  private sentIp = false;

  constructor(private readonly setup: HandshakeSetup) {}

  /** CONNECTING: the connection is up, PING goes out. */
  start(): HandshakeState {
    this.setup.send(encodeStrings("PING"));
    return "receive_ping_reply";
  }

  /** Bytes from the master while in handshake. */
  push(chunk: Buffer): void {
    this.lines.push(chunk);
  }

  /** The next reply line, or null. Throws when a line grows beyond 64 KiB. */
  nextLine(): string | null {
    return this.lines.next();
  }

  /** What came after the last reply line (the start of the payload or of the stream). */
  takeRest(): Buffer {
    return this.lines.takeRest();
  }

  /** One reply line in a RECEIVE state: the next state, or how the handshake ended. */
  receive(state: HandshakeState, line: string): HandshakeState | HandshakeEnd {
    const log = this.setup.log;
    switch (state) {
      case "receive_ping_reply":
        // LINK-1: +..., -NOAUTH, -NOPERM and the old "-ERR operation not permitted" are accepted.
        if (
          !line.startsWith("+") &&
          !line.startsWith("-NOAUTH") &&
          !line.startsWith("-NOPERM") &&
          !line.startsWith("-ERR operation not permitted")
        ) {
          log.warning(`Error reply to PING from master: '${line}'`);
          return { end: "abort" };
        }
        log.notice("Master replied to PING, replication can continue...");
        return "send_handshake";
      case "receive_auth_reply":
        if (line.startsWith("-")) {
          log.warning(`Unable to AUTH to MASTER: ${line}`);
          return { end: "abort" };
        }
        return "receive_port_reply";
      case "receive_port_reply":
        this.nonCritical("listening-port", line);
        return this.sentIp ? "receive_ip_reply" : "receive_capa_reply";
      case "receive_ip_reply":
        this.nonCritical("ip-address", line);
        return "receive_capa_reply";
      case "receive_capa_reply":
        this.nonCritical("capa", line);
        return "send_psync";
      case "receive_psync_reply":
        return this.psyncReply(line);
      default:
        return state; // SEND_* states take no reply
    }
  }

  /** A SEND state: writes its requests and names the state that waits for the first reply. */
  send(state: "send_handshake" | "send_psync"): HandshakeState {
    return state === "send_handshake" ? this.sendHandshake() : this.sendPsync();
  }

  /** SEND_HANDSHAKE: AUTH, REPLCONF listening-port, [ip-address], capa in one write (LINK-1 step 3). */
  private sendHandshake(): HandshakeState {
    const { config, port } = this.setup;
    const parts: Buffer[] = [];
    const auth = config.getString("masterauth");
    if (auth !== "") {
      const user = config.getString("masteruser");
      parts.push(user !== "" ? encodeStrings("AUTH", user, auth) : encodeStrings("AUTH", auth));
    }
    parts.push(encodeStrings("REPLCONF", "listening-port", String(config.getInt("replica-announce-port") || port)));
    const ip = config.getString("replica-announce-ip");
    this.sentIp = ip !== "";
    if (this.sentIp) parts.push(encodeStrings("REPLCONF", "ip-address", ip));
    parts.push(encodeStrings("REPLCONF", "capa", "eof", "capa", "psync2"));
    this.setup.send(Buffer.concat(parts));
    return auth !== "" ? "receive_auth_reply" : "receive_port_reply";
  }

  /** SEND_PSYNC: slaveTryPartialResynchronization(), write half (PSYNC-7). */
  private sendPsync(): HandshakeState {
    const cached = this.setup.cachedMaster();
    let id = "?";
    let off = "-1";
    if (cached !== null) {
      id = cached.replid;
      off = String(cached.reploff + 1);
      this.setup.log.notice(`Trying a partial resynchronization (request ${id}:${off}).`);
    } else {
      this.setup.log.notice("Partial resynchronization not possible (no cached master)");
    }
    this.setup.send(encodeStrings("PSYNC", id, off));
    return "receive_psync_reply";
  }

  /** slaveTryPartialResynchronization(), read half. */
  private psyncReply(line: string): HandshakeState | HandshakeEnd {
    const log = this.setup.log;
    if (line === "") return "receive_psync_reply"; // a newline keepalive while the master prepares its snapshot (FULLSYNC-6)
    if (line.startsWith("+FULLRESYNC")) {
      const [, replid, offset] = line.split(" ");
      if (replid === undefined || offset === undefined || replid.length !== REPLID_LENGTH) {
        log.warning("Master replied with wrong +FULLRESYNC syntax.");
        return { end: "fullresync", replid: "", offset: -1 };
      }
      const initial = leadingInteger(offset);
      log.notice(`Full resync from master: ${replid}:${initial}`);
      return { end: "fullresync", replid, offset: initial };
    }
    if (line.startsWith("+CONTINUE")) return { end: "continue", newReplid: line.length > 10 ? line.slice(10) : "" };
    if (line.startsWith("-NOMASTERLINK") || line.startsWith("-LOADING")) {
      log.notice(`Master is currently unable to PSYNC but should be in the future: ${line}`);
      return { end: "abort" };
    }
    if (line.startsWith("-ERR")) log.notice(`Master does not support PSYNC or is in error state (reply: ${line})`);
    else log.warning(`Unexpected reply to PSYNC from master: ${line}`);
    log.notice("Retrying with SYNC...");
    this.setup.send(encodeStrings("SYNC"));
    return { end: "sync" };
  }

  /** A REPLCONF the master does not understand does not stop the handshake. */
  private nonCritical(option: string, line: string): void {
    if (line.startsWith("-"))
      this.setup.log.notice(`(Non critical) Master does not understand REPLCONF ${option}: ${line}`);
  }
}

/** strtoll()'s leading integer, 0 when there is none. */
function leadingInteger(s: string): number {
  const m = /^\s*[+-]?\d+/.exec(s);
  return m ? Number(m[0]) : 0;
}
