// The replica side under a hostile master: a scripted master (test/server/helpers/fake-master.ts)
// plays the handshake, then sends a malformed full-sync payload or replication stream, to the
// built-in replica and to a real redis-server replica alike. Each run ends in one observable
// outcome: the replica dropped the link and came back (with which PSYNC), it is still connected
// (it acknowledged a GETACK), it is waiting for the rest of a declared length, or it exited.

import net from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc64, diskPreamble, eofMarkPreamble, newEofMark, writeRdb } from "../../server/rdb/index.js";
import { startServer, type ServerHandle } from "../../server/index.js";
import { FakeMaster } from "../server/helpers/fake-master.js";
import { multibulk } from "../../harness/fuzz/frames.js";
import { ProcessServer } from "../../harness/fuzz/servers.js";
import { parseReplies } from "../../harness/fuzz/replies.js";

export const MASTER_REPLID = "f00dcafe".repeat(5);
/** The offset the scripted master's full sync starts the replica at. */
export const SYNC_OFFSET = 1000;

/** A replica under test: the built-in server (in this process) or redis-server (a process). */
export interface ReplicaUnderTest {
  readonly label: string;
  readonly port: number;
  /** Null while running; else how it ended. */
  exited(): string | null;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export class BuiltinReplica implements ReplicaUnderTest {
  readonly label = "built-in";
  private handle: ServerHandle | null = null;
  private dir = "";

  static async start(): Promise<BuiltinReplica> {
    const r = new BuiltinReplica();
    await r.restart();
    return r;
  }

  get port(): number {
    return (this.handle as ServerHandle).port;
  }

  get server(): ServerHandle {
    return this.handle as ServerHandle;
  }

  exited(): string | null {
    const h = this.handle;
    if (h === null || h.closed) return "built-in: closed";
    if (h.server.internalErrors > 0)
      return `built-in: ${h.server.log
        .lines()
        .filter((l) => l.includes("Internal error"))
        .join("\n")}`;
    return null;
  }

  /** A fresh instance in a fresh directory (no RDB, so no history to continue). */
  async restart(): Promise<void> {
    await this.stop();
    this.dir = mkdtempSync(join(tmpdir(), "replcheck-replica-"));
    this.handle = await startServer({
      config: { save: "", dir: this.dir, "repl-timeout": "3600", "repl-ping-replica-period": "3600" },
    });
  }

  async stop(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
    if (this.dir !== "") rmSync(this.dir, { recursive: true, force: true });
    this.dir = "";
  }
}

export class RedisReplica implements ReplicaUnderTest {
  readonly label = "redis-server";
  private constructor(private server: ProcessServer) {}

  static async start(binary?: string): Promise<RedisReplica> {
    return new RedisReplica(
      await ProcessServer.redis({ "repl-timeout": "3600", "repl-ping-replica-period": "3600" }, binary),
    );
  }

  get port(): number {
    return this.server.port;
  }

  exited(): string | null {
    return this.server.crashed();
  }

  async restart(): Promise<void> {
    await this.server.restart();
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }
}

/** Commands on a fresh connection; their replies. */
export function call(port: number, ...commands: string[][]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: "127.0.0.1" });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer from port ${port} to ${JSON.stringify(commands)}`));
    }, 30_000);
    s.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const { replies } = parseReplies(buf);
      if (replies.length >= commands.length) {
        clearTimeout(timer);
        s.destroy();
        resolve(
          replies.map((r) =>
            r.kind === "bulk"
              ? (r.value?.toString("latin1") ?? "(nil)")
              : r.kind === "array"
                ? JSON.stringify(r.items)
                : r.text,
          ),
        );
      }
    });
    s.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on("connect", () => s.write(Buffer.concat(commands.map((c) => multibulk(c)))));
  });
}

export async function replicationInfo(port: number): Promise<Record<string, string>> {
  const [text] = await call(port, ["INFO", "replication"]);
  const out: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** A valid RDB holding k0=v0 (and, for a sync, the master's replication info). */
export function validRdb(): Buffer {
  const db = new Map([["k0", { value: { type: "string" as const, value: Buffer.from("v0") } }]]);
  return writeRdb({
    databases: [db],
    checksum: true,
    compression: false,
    now: () => Date.now(),
    replInfo: { replId: MASTER_REPLID, replOffset: SYNC_OFFSET, streamDb: 0 },
  });
}

/** What a script sends after the handshake. */
export interface MasterScript {
  name: string;
  /** The reply to PSYNC and the full sync's payload. */
  sync: Buffer;
  /** The replication stream after the payload. */
  stream?: Buffer;
  /** Close the connection once it is written (a truncated transfer). */
  dropAfter?: boolean;
}

export type ReplicaOutcome =
  /** It dropped the link and connected again, asking PSYNC with these arguments (its own replid as <own id>). */
  | { kind: "reconnected"; psync: string; linkStatus: string }
  /** Still connected once it read every byte: its applied offset (reploff). */
  | { kind: "connected"; offset: number }
  | { kind: "exited"; why: string };

export function describeOutcome(o: ReplicaOutcome): string {
  switch (o.kind) {
    case "reconnected":
      return `dropped the link (master_link_status:${o.linkStatus}) and reconnected: ${o.psync}`;
    case "connected":
      return `still connected, applied up to offset ${o.offset}`;
    case "exited":
      return `exited: ${o.why.split("\n")[0]}`;
  }
}

/** Outcomes compared across servers: the replica's own random replid hidden. */
export const sameOutcome = (a: ReplicaOutcome, b: ReplicaOutcome): boolean => describeOutcome(a) === describeOutcome(b);

const until = async (what: string, check: () => Promise<boolean> | boolean, deadlineMs = 60_000): Promise<void> => {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`replica-side fuzz: gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const GETACK = multibulk(["REPLCONF", "GETACK", "*"]);

/**
 * Plays one script against a fresh replica and returns the outcome: the replica exited, or it
 * dropped the link (the master sees a new connection), or it is connected and has read every
 * byte sent (INFO's slave_read_repl_offset) - reading and applying go together in both servers.
 */
export async function playScript(replica: ReplicaUnderTest, script: MasterScript): Promise<ReplicaOutcome> {
  await replica.restart();
  const master = await FakeMaster.start();
  try {
    await call(replica.port, ["REPLICAOF", "127.0.0.1", String(master.port)]);
    await master.accepted(1);
    await handshake(master);
    const stream = script.dropAfter ? Buffer.alloc(0) : Buffer.concat([script.stream ?? Buffer.alloc(0), GETACK]);
    master.write(Buffer.concat([script.sync, stream]));
    if (script.dropAfter) master.drop();
    let outcome: ReplicaOutcome | null = null;
    await until(`an outcome of "${script.name}" on ${replica.label}`, async () => {
      const why = replica.exited();
      if (why !== null) {
        outcome = { kind: "exited", why };
        return true;
      }
      if (master.connections >= 2) return true;
      const info = await replicationInfo(replica.port).catch(() => null);
      const settled = (i: Record<string, string> | null) =>
        i !== null && i.master_link_status === "up" && Number(i.slave_read_repl_offset) === SYNC_OFFSET + stream.length;
      if (!settled(info)) return false;
      // Everything was read and applied. Redis frees a master client with a protocol error only
      // when it next writes to it (its REPLCONF ACK, once a second: writeToClient then sees
      // CLOSE_AFTER_REPLY), so wait for the replica's next ACK, then look again.
      while (master.hasPendingCommand()) await master.command();
      await until(
        `a REPLCONF ACK from ${replica.label}`,
        () => master.hasPendingCommand() || master.closed > 0 || replica.exited() !== null,
      );
      const again = await replicationInfo(replica.port).catch(() => null);
      if (!settled(again) || master.closed > 0) return false;
      outcome = { kind: "connected", offset: Number((again as Record<string, string>).slave_repl_offset) };
      return true;
    });
    if (outcome !== null) return outcome;
    await master.accepted(2);
    const psync = await handshake(master);
    const info = await replicationInfo(replica.port);
    const shown = psync
      .map((a, i) => (i === 1 && /^[0-9a-f]{40}$/.test(a) ? (a === MASTER_REPLID ? "<master's id>" : "<own id>") : a))
      .join(" ");
    return { kind: "reconnected", psync: shown, linkStatus: info.master_link_status };
  } finally {
    await call(replica.port, ["REPLICAOF", "NO", "ONE"]).catch(() => undefined);
    await master.close();
  }
}

/** The master's half of the handshake on its current connection; returns the PSYNC arguments. */
async function handshake(master: FakeMaster): Promise<string[]> {
  for (;;) {
    const cmd = await master.command();
    const name = cmd[0].toUpperCase();
    if (name === "PING") master.write("+PONG\r\n");
    else if (name === "REPLCONF") master.write("+OK\r\n");
    else if (name === "AUTH") master.write("+OK\r\n");
    else return cmd;
  }
}

// ---- scripts ---------------------------------------------------------------------------------------

const fullResync = (offset = SYNC_OFFSET): Buffer => Buffer.from(`+FULLRESYNC ${MASTER_REPLID} ${offset}\r\n`);
const disk = (rdb: Buffer): Buffer => Buffer.concat([diskPreamble(rdb.length), rdb]);

/** A valid RDB with its CRC-64 trailer replaced. */
export function badCrc(rdb: Buffer): Buffer {
  const out = Buffer.from(rdb);
  const crc = crc64(out.subarray(0, out.length - 8));
  out.writeBigUInt64LE(crc ^ 0xffn, out.length - 8);
  return out;
}

/** A valid RDB whose version field says 99. */
export function wrongVersion(rdb: Buffer): Buffer {
  const out = Buffer.from(rdb);
  out.write("0099", 5, "latin1");
  return out;
}

/**
 * An RDB with one string key whose value claims 2^40 bytes (RDB_64BITLEN), then ends; the CRC is
 * right for the bytes as they are.
 */
export function hugeLength(): Buffer {
  const body = Buffer.concat([
    Buffer.from("REDIS0010", "latin1"),
    Buffer.from([0xfe, 0x00]), // SELECTDB 0
    Buffer.from([0x00, 0x01]), // a string key of length 1
    Buffer.from("k", "latin1"),
    Buffer.from([0x81]), // RDB_64BITLEN
    Buffer.from([0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00]), // 2^40, big-endian
    Buffer.from("short", "latin1"),
    Buffer.from([0xff]), // EOF
  ]);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(body));
  return Buffer.concat([body, crc]);
}

/** A PSYNC answered with a full sync of the valid RDB (disk framing). */
export const validSync = (): Buffer => Buffer.concat([fullResync(), disk(validRdb())]);

/** The fixed scripts: every kind of damage the issue names, to both replicas. */
export function fixedScripts(): MasterScript[] {
  const rdb = validRdb();
  const set = multibulk(["SET", "k1", "v1"]);
  return [
    { name: "a valid full sync (control)", sync: validSync(), stream: set },
    {
      name: "payload truncated: $len declares more than arrives, then the master closes",
      sync: Buffer.concat([fullResync(), diskPreamble(rdb.length + 100), rdb]),
      dropAfter: true,
    },
    {
      name: "payload truncated: the RDB itself ends early (its length framing says so)",
      sync: Buffer.concat([fullResync(), disk(rdb.subarray(0, rdb.length - 20))]),
    },
    {
      name: "diskless payload without its end mark, then the master closes",
      sync: Buffer.concat([fullResync(), eofMarkPreamble(newEofMark()), rdb]),
      dropAfter: true,
    },
    { name: "bad CRC-64", sync: Buffer.concat([fullResync(), disk(badCrc(rdb))]) },
    { name: "wrong RDB version (99)", sync: Buffer.concat([fullResync(), disk(wrongVersion(rdb))]) },
    {
      name: "not an RDB at all (bad magic)",
      sync: Buffer.concat([fullResync(), disk(Buffer.concat([Buffer.from("XEDIS"), rdb.subarray(5)]))]),
    },
    { name: "a string of 2^40 bytes declared inside the RDB", sync: Buffer.concat([fullResync(), disk(hugeLength())]) },
    { name: "payload framing: first byte not '$'", sync: Buffer.concat([fullResync(), Buffer.from("#junk\r\n")]) },
    {
      name: "payload framing: a declared length of 10^14, then the master closes",
      sync: Buffer.concat([fullResync(), Buffer.from("$99999999999999\r\n"), rdb]),
      dropAfter: true,
    },
    {
      name: "stream: a protocol error (bad bulk length)",
      sync: validSync(),
      stream: Buffer.concat([set, Buffer.from("*1\r\n$x\r\n")]),
    },
    {
      name: "stream: an inline command",
      sync: validSync(),
      stream: Buffer.concat([set, Buffer.from("SET k2 v2\r\n")]),
    },
    {
      name: "stream: binary junk that stops at a NUL (waited on)",
      sync: validSync(),
      stream: Buffer.concat([set, Buffer.from([0x2a, 0xff, 0x00, 0x0d, 0x0a, 0x24])]),
    },
    {
      name: "stream: an unknown command and a wrong arity (replies muted, link kept)",
      sync: validSync(),
      stream: Buffer.concat([set, multibulk(["NOSUCHCMD", "x"]), multibulk(["GET"])]),
    },
    {
      name: "stream: a bulk of 5 000 000 000 bytes declared (waited for)",
      sync: validSync(),
      stream: Buffer.from("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000000000\r\nabc"),
    },
  ];
}

/**
 * Scripts where redis-server 7.0.15 exits instead of surviving (harness/fuzz/known-differences.ts,
 * corrupt-rdb-from-master): the RDB's content is corrupt, and rdbLoad runs redis-check-rdb and exits.
 */
export const REDIS_EXITS = new Set([
  "payload truncated: the RDB itself ends early (its length framing says so)",
  "bad CRC-64",
  "a string of 2^40 bytes declared inside the RDB",
]);
