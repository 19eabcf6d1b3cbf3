// Extension points for the replication layer. Defaults make a standalone master. They speak of
// clients and of facts about a command, never of the command table (which sits above the core).

import type { Client } from "./client.js";

/** One propagated operation of an execution unit: the db it applies to and its argv. */
export interface PropagatedOp {
  db: number;
  argv: Buffer[];
}

/** Context of a propagated unit (a command's spec is one: it carries the flag). */
export interface PropagationUnit {
  /** CMD_TOUCHES_ARBITRARY_KEYS (SCAN...): false for active expiry and other server-side units. */
  readonly touchesArbitraryKeys: boolean;
}

/** What processCommand knows about the command about to run (for EXEC: the queued commands). */
export interface CommandCheckInfo {
  /** The command writes (for EXEC: any queued command writes). */
  isWrite: boolean;
  /** The command lacks the `stale` flag (refused by MASTERDOWN). For EXEC: EXEC's own flags. */
  denyStale: boolean;
  /** The command is EXEC (an error aborts the transaction with EXECABORT ... because of: ...). */
  isExec: boolean;
  /** The client is queuing inside MULTI (an error flags the transaction). */
  queuing: boolean;
}

export interface ServerHooks {
  /**
   * Called at the end of every execution unit (a top-level command, an EXEC, one active-expiry
   * deletion) that changed the dataset, with its ops in order. The replication layer decides
   * about MULTI/EXEC wrapping and SELECT emission.
   */
  propagate(ops: PropagatedOp[], unit: PropagationUnit): void;
  /**
   * Pre-execution check after lookup, arity and auth, both when a command is queued in MULTI
   * and when EXEC runs (READONLY, MASTERDOWN, NOREPLICAS live here). Returns the full error
   * reply text ("READONLY You can't write against a read only replica.") or null.
   */
  beforeCommand(client: Client, info: CommandCheckInfo): string | null;
  /**
   * After every processed request of a client (queued and rejected ones included), e.g. to advance
   * reploff. `executed` is true when the command ran (not queued in MULTI, not rejected).
   */
  afterCommand(client: Client, executed: boolean): void;
  /** A client is gone (closed by either side). */
  clientClosed(client: Client): void;
}

export const defaultHooks = (): ServerHooks => ({
  propagate: () => {},
  beforeCommand: () => null,
  afterCommand: () => {},
  clientClosed: () => {},
});
