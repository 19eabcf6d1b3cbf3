// Observation: INFO/ROLE parsing on fixed texts (7.0.15 captures, Valkey 8 and 6.2 shapes), and
// observeNode/datasetDigest on a real master/replica pair started through the binary target.

import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dataset, datasetDigestEquals, type DatasetDigest } from "../../model/keyspace.js";
import { detectProfile } from "../../model/profile.js";
import { createAdminClient, openCommandConnection, send, type RespConnection } from "../../harness/client.js";
import {
  datasetDigest,
  fromInfoAndRole,
  InfoFormatError,
  keyspaceCounts,
  observeNode,
  parseInfo,
  parseRole,
  parseScore,
  infoField,
  replicationInfo,
  RoleFormatError,
  syncStats,
  type NodeObservation,
} from "../../harness/observe/index.js";
import { createBinaryTarget, type BinaryNodeHandle, type BinaryTarget } from "../../harness/targets/binary.js";
import { deterministicConfig } from "../../harness/targets/defaults.js";
import { encodeCommand } from "../../harness/util/resp.js";
import { waitFor } from "../../harness/util/wait-for.js";
import { announceLiveRedis, REDIS_SERVER, redisAvailable } from "./live-redis.js";
import * as S from "./observe-samples.js";

announceLiveRedis("observe");

const ZEROS = "0".repeat(40);

describe("infoField", () => {
  it("reads one field from any section, and undefined for a field the product does not print", () => {
    const text = `${S.REDIS70_SERVER}\r\n${S.REDIS70_MASTER}`;
    expect(infoField(text, "redis_version")).toBe("7.0.15");
    expect(infoField(text, "role")).toBe("master");
    expect(infoField(text, "valkey_version")).toBeUndefined();
  });
});

describe("parseInfo", () => {
  it("splits sections (lower-cased names) into fields, with CRLF lines and values containing colons", () => {
    const info = parseInfo(`${S.REDIS70_SERVER}\r\n${S.REDIS70_MASTER}`);
    expect(Object.keys(info)).toEqual(["server", "replication"]);
    expect(info.server.redis_version).toBe("7.0.15");
    expect(info.server.executable).toBe("/usr/bin/redis-server");
    expect(info.server.config_file).toBe("");
    expect(info.server.os).toBe("Linux 6.18.44-fc-v657 x86_64");
    expect(info.replication.slave0).toBe("ip=127.0.0.1,port=37215,state=online,offset=142,lag=0");
    expect(Object.values(info.replication).some((v) => v.endsWith("\r"))).toBe(false);
  });

  it("accepts LF-only text and rejects a line without a colon", () => {
    expect(parseInfo("# Stats\nsync_full:2\n")).toEqual({ stats: { sync_full: "2" } });
    expect(() => parseInfo("# Stats\nsync_full 2\n")).toThrow(InfoFormatError);
  });

  it("counts keys per db from the keyspace section", () => {
    expect(keyspaceCounts(parseInfo(S.REDIS70_KEYSPACE))).toEqual({ 0: 4, 3: 2 });
    expect(keyspaceCounts(parseInfo("# Keyspace\r\n"))).toEqual({});
  });
});

describe("INFO-1 / INFO-2: replicationInfo and syncStats on fixed texts", () => {
  it("reads a 7.0.15 master", () => {
    const r = replicationInfo(parseInfo(S.REDIS70_MASTER));
    expect(r).toEqual({
      role: "master",
      connectedSlaves: 1,
      minSlavesGoodSlaves: undefined,
      slaves: [{ ip: "127.0.0.1", port: 37215, state: "online", offset: 142, lag: 0 }],
      masterHost: undefined,
      masterPort: undefined,
      masterLinkStatus: undefined,
      masterSyncInProgress: undefined,
      slaveReadReplOffset: undefined,
      slaveReplOffset: undefined,
      masterReplid: "7bd4fc074946327d6414d432cbb00810f7d85562",
      masterReplid2: ZEROS,
      masterReplOffset: 142,
      secondReplOffset: -1,
      replBacklogActive: true,
      replBacklogSize: 1048576,
      replBacklogFirstByteOffset: 1,
      replBacklogHistlen: 142,
    });
    expect(syncStats(parseInfo(S.REDIS70_STATS))).toEqual({ syncFull: 1, syncPartialOk: 0, syncPartialErr: 1 });
  });

  it("reads a 7.0.15 replica", () => {
    const r = replicationInfo(parseInfo(S.REDIS70_REPLICA));
    expect(r.role).toBe("slave");
    expect(r.masterHost).toBe("127.0.0.1");
    expect(r.masterPort).toBe(32831);
    expect(r.masterLinkStatus).toBe("up");
    expect(r.masterSyncInProgress).toBe(false);
    expect(r.slaveReadReplOffset).toBe(142);
    expect(r.slaveReplOffset).toBe(142);
    expect(r.connectedSlaves).toBe(0);
    expect(r.slaves).toEqual([]);
    expect(r.masterReplOffset).toBe(142);
  });

  it("reads a replica during a full sync and its master", () => {
    const r = replicationInfo(parseInfo(S.REDIS70_REPLICA_SYNCING));
    expect(r.masterLinkStatus).toBe("down");
    expect(r.masterSyncInProgress).toBe(true);
    expect(r.slaveReplOffset).toBe(0);
    expect(r.replBacklogActive).toBe(false);
    expect(r.replBacklogFirstByteOffset).toBe(0);
    const m = replicationInfo(parseInfo(S.REDIS70_MASTER_SYNCING));
    expect(m.minSlavesGoodSlaves).toBe(0);
    expect(m.slaves).toEqual([{ ip: "127.0.0.1", port: 37003, state: "wait_bgsave", offset: 0, lag: 0 }]);
  });

  it("reads a Valkey 8 master (type= in slave lines, IPv6 address) and replica (extra fields ignored)", () => {
    const m = replicationInfo(parseInfo(S.VALKEY8_MASTER));
    expect(m.slaves).toEqual([
      { ip: "127.0.0.1", port: 7001, state: "online", offset: 5000, lag: 0, type: "replica" },
      { ip: "::1", port: 7002, state: "wait_bgsave", offset: 0, lag: 0, type: "replica" },
    ]);
    expect(m.masterReplid2).toBe("b".repeat(40));
    expect(m.secondReplOffset).toBe(4001);
    expect(m.replBacklogSize).toBe(10485760);
    const r = replicationInfo(parseInfo(S.VALKEY8_REPLICA));
    expect(r.slaveReplOffset).toBe(5000);
    expect(r.replBacklogFirstByteOffset).toBe(4001);
    expect(r.replBacklogHistlen).toBe(1000);
  });

  it("reads a 6.2 master with a freed backlog (stale window) and 6.2 stats", () => {
    const m = replicationInfo(parseInfo(S.REDIS62_MASTER_BACKLOG_FREED));
    expect(m.replBacklogActive).toBe(false);
    expect(m.replBacklogFirstByteOffset).toBe(1);
    expect(m.replBacklogHistlen).toBe(50);
    expect(syncStats(parseInfo(S.REDIS62_STATS))).toEqual({ syncFull: 1, syncPartialOk: 0, syncPartialErr: 0 });
  });

  it("treats missing fields as undefined and malformed ones as errors", () => {
    expect(syncStats(parseInfo("# Stats\r\ntotal_connections_received:1\r\n"))).toEqual({
      syncFull: undefined,
      syncPartialOk: undefined,
      syncPartialErr: undefined,
    });
    expect(() => replicationInfo(parseInfo("# Replication\r\nrole:master\r\nmaster_repl_offset:12a\r\n"))).toThrow(
      /not an integer/,
    );
    expect(() => replicationInfo(parseInfo("# Replication\r\nrole:sentinel\r\n"))).toThrow(InfoFormatError);
    expect(() => replicationInfo(parseInfo("# Replication\r\nrole:master\r\nslave0:ip=1.2.3.4,port=1\r\n"))).toThrow(
      /lacks/,
    );
  });

  it("gives detectProfile what it needs", () => {
    expect(detectProfile(parseInfo(S.REDIS70_SERVER).server).profile.id).toBe("redis-7.0");
    expect(detectProfile(parseInfo(S.VALKEY8_SERVER).server).profile.id).toBe("valkey-8");
    expect(detectProfile(parseInfo(S.REDIS62_SERVER).server).profile.id).toBe("redis-6.2");
  });
});

describe("LINK-8: parseRole", () => {
  it("reads a master with replicas (port and ack are bulk strings) and without", () => {
    expect(
      parseRole([
        "master",
        3129,
        [
          ["127.0.0.1", "9001", "3129"],
          ["127.0.0.1", "9002", "3100"],
        ],
      ]),
    ).toEqual({
      role: "master",
      offset: 3129,
      replicas: [
        { ip: "127.0.0.1", port: 9001, ack: 3129 },
        { ip: "127.0.0.1", port: 9002, ack: 3100 },
      ],
    });
    expect(parseRole(S.REDIS70_MASTER_SYNCING_ROLE)).toEqual({ role: "master", offset: 0, replicas: [] });
  });

  it("reads a replica in each link state", () => {
    expect(parseRole(["slave", "127.0.0.1", 9000, "connected", 3167])).toEqual({
      role: "slave",
      host: "127.0.0.1",
      port: 9000,
      state: "connected",
      offset: 3167,
    });
    expect(parseRole(S.REDIS70_REPLICA_SYNCING_ROLE)).toEqual({
      role: "slave",
      host: "127.0.0.1",
      port: 38053,
      state: "sync",
      offset: -1,
    });
    for (const state of ["connect", "connecting", "handshake"]) {
      expect(parseRole(["slave", "10.0.0.1", 6379, state, -1])).toMatchObject({ state, offset: -1 });
    }
  });

  it("accepts Buffers and a 'replica' role name, and rejects anything else", () => {
    expect(parseRole([Buffer.from("replica"), Buffer.from("h"), 1, Buffer.from("connected"), 5])).toEqual({
      role: "slave",
      host: "h",
      port: 1,
      state: "connected",
      offset: 5,
    });
    expect(() => parseRole(["sentinel", ["mymaster"]])).toThrow(RoleFormatError);
    expect(() => parseRole("master")).toThrow(/not an array/);
    expect(() => parseRole(["master", "x", []])).toThrow(/master offset is not an integer/);
    expect(() => parseRole(["slave", "h", 1, "connected"])).toThrow(/replica offset is not an integer: missing/);
  });
});

describe("fromInfoAndRole on fixed texts", () => {
  it("builds a master observation", () => {
    const obs = fromInfoAndRole(
      parseInfo(S.REDIS70_SERVER + S.REDIS70_MASTER + S.REDIS70_STATS + S.REDIS70_KEYSPACE),
      parseRole(["master", 142, [["127.0.0.1", "37215", "142"]]]),
    );
    expect(obs).toMatchObject({
      role: "master",
      connectedSlaves: 1,
      masterReplOffset: 142,
      replid: "7bd4fc074946327d6414d432cbb00810f7d85562",
      replid2: ZEROS,
      secondReplOffset: -1,
      backlogActive: true,
      backlogSize: 1048576,
      backlogFirstByte: 1,
      backlogHistlen: 142,
      syncFull: 1,
      syncPartialOk: 0,
      syncPartialErr: 1,
      roleReply: { role: "master", offset: 142, replicas: [{ ip: "127.0.0.1", port: 37215, ack: 142 }] },
      replicas: [{ ip: "127.0.0.1", port: 37215, state: "online", offset: 142, lag: 0 }],
      dbsize: { 0: 4, 3: 2 },
    });
    expect(obs.server.redis_version).toBe("7.0.15");
    // Replica-only and inactive fields are absent, not undefined-valued.
    for (const key of [
      "masterAddress",
      "masterLinkStatus",
      "slaveReplOffset",
      "masterSyncInProgress",
      "minSlavesGoodSlaves",
    ]) {
      expect(key in obs, key).toBe(false);
    }
  });

  it("builds a syncing replica observation", () => {
    const obs = fromInfoAndRole(parseInfo(S.REDIS70_REPLICA_SYNCING), parseRole(S.REDIS70_REPLICA_SYNCING_ROLE));
    expect(obs).toMatchObject({
      role: "slave",
      masterAddress: "127.0.0.1:38053",
      masterLinkStatus: "down",
      masterSyncInProgress: true,
      slaveReplOffset: 0,
      masterReplOffset: 0,
      backlogActive: false,
      roleReply: { role: "slave", state: "sync", offset: -1 },
      dbsize: {},
    });
    // No stats section was read: the counters are absent (a capability, not a mismatch).
    expect("syncFull" in obs).toBe(false);
  });

  it("builds a master observation with min-replicas active", () => {
    const obs = fromInfoAndRole(parseInfo(S.REDIS70_MASTER_SYNCING), parseRole(S.REDIS70_MASTER_SYNCING_ROLE));
    expect(obs.minSlavesGoodSlaves).toBe(0);
    expect(obs.replicas[0].state).toBe("wait_bgsave");
  });

  it("fails clearly when a required replication field is missing", () => {
    expect(() =>
      fromInfoAndRole(parseInfo("# Replication\r\nrole:master\r\n"), { role: "master", offset: 0, replicas: [] }),
    ).toThrow(/no master_repl_offset/);
  });
});

describe("parseScore", () => {
  it("reads Redis's score texts", () => {
    expect(parseScore("1.5")).toBe(1.5);
    expect(parseScore("-2")).toBe(-2);
    expect(Object.is(parseScore("-0"), -0)).toBe(true);
    expect(parseScore("inf")).toBe(Infinity);
    expect(parseScore("-inf")).toBe(-Infinity);
    expect(parseScore("1e+300")).toBe(1e300);
    expect(() => parseScore("nan")).toThrow();
  });
});

// ------------------------------------------------------------------ live: master + replica

/** The writes, by db. Every command here is propagated verbatim by 6.2 and 7.x. */
const FAR_FUTURE_MS = "4102444800000"; // 2100-01-01, 13 digits
const WRITES: [db: number, argv: string[]][] = [
  [0, ["SET", "s", "hello"]],
  [0, ["SET", "ok", "OK"]],
  [0, ["SET", "10", "ten"]],
  [0, ["SET", "2", "two"]],
  [0, ["RPUSH", "list", "c", "a", "b", "a"]],
  [0, ["HSET", "hash", "zf", "1", "af", "2", "mf", "3"]],
  [0, ["SADD", "set", "pear", "apple", "fig"]],
  [0, ["ZADD", "zset", "2", "b", "1.5", "z", "-3", "m", "2", "a"]],
  [0, ["PEXPIREAT", "s", FAR_FUTURE_MS]],
  [3, ["SET", "s3", "three"]],
  [3, ["SADD", "nums", "3", "1", "2"]],
  [10, ["LPUSH", "l10", "x", "y"]],
  [10, ["ZADD", "z10", "0", "only"]],
  [0, ["DEL", "2"]],
];

function expectedOffset(): number {
  let offset = 0;
  let streamDb = -1; // a full sync resets the master's stream db, so the first write carries a SELECT
  for (const [db, argv] of WRITES) {
    if (db !== streamDb) offset += encodeCommand(["SELECT", String(db)]).length;
    streamDb = db;
    offset += encodeCommand(argv).length;
  }
  return offset;
}

const EXPECTED_DIGEST: DatasetDigest = {
  0: {
    "10": { type: "string", value: "ten", hasExpiry: false },
    hash: {
      type: "hash",
      value: [
        ["af", "2"],
        ["mf", "3"],
        ["zf", "1"],
      ],
      hasExpiry: false,
    },
    list: { type: "list", value: ["c", "a", "b", "a"], hasExpiry: false },
    ok: { type: "string", value: "OK", hasExpiry: false },
    s: { type: "string", value: "hello", hasExpiry: true },
    set: { type: "set", value: ["apple", "fig", "pear"], hasExpiry: false },
    zset: {
      type: "zset",
      value: [
        ["m", -3],
        ["z", 1.5],
        ["a", 2],
        ["b", 2],
      ],
      hasExpiry: false,
    },
  },
  3: {
    nums: { type: "set", value: ["1", "2", "3"], hasExpiry: false },
    s3: { type: "string", value: "three", hasExpiry: false },
  },
  10: {
    l10: { type: "list", value: ["y", "x"], hasExpiry: false },
    z10: { type: "zset", value: [["only", 0]], hasExpiry: false },
  },
};

/** The same content built through the model's Dataset, to check the digest's exact shape and order. */
function modelDigest(): DatasetDigest {
  const d = Dataset.empty();
  d.set(0, "s", { value: { type: "string", value: "hello" }, expireAt: Number(FAR_FUTURE_MS) });
  d.set(0, "ok", { value: { type: "string", value: "OK" } });
  d.set(0, "10", { value: { type: "string", value: "ten" } });
  d.set(0, "list", { value: { type: "list", value: ["c", "a", "b", "a"] } });
  d.set(0, "hash", {
    value: {
      type: "hash",
      value: new Map([
        ["zf", "1"],
        ["af", "2"],
        ["mf", "3"],
      ]),
    },
  });
  d.set(0, "set", { value: { type: "set", value: new Set(["pear", "apple", "fig"]) } });
  d.set(0, "zset", {
    value: {
      type: "zset",
      value: new Map([
        ["b", 2],
        ["z", 1.5],
        ["m", -3],
        ["a", 2],
      ]),
    },
  });
  d.set(3, "s3", { value: { type: "string", value: "three" } });
  d.set(3, "nums", { value: { type: "set", value: new Set(["3", "1", "2"]) } });
  d.set(10, "l10", { value: { type: "list", value: ["y", "x"] } });
  d.set(10, "z10", { value: { type: "zset", value: new Map([["only", 0]]) } });
  return d.digest();
}

describe.runIf(redisAvailable)("observation of a real master/replica pair", () => {
  let target: BinaryTarget;
  let master: BinaryNodeHandle;
  let replica: BinaryNodeHandle;
  let masterAdmin: Redis;
  let replicaAdmin: Redis;
  let conn: RespConnection;
  const offset = expectedOffset();

  beforeAll(async () => {
    target = await createBinaryTarget({ binary: REDIS_SERVER });
    master = await target.startNode("n0", deterministicConfig());
    replica = await target.startNode("n1", deterministicConfig());
    masterAdmin = await createAdminClient({ host: master.host, port: master.port });
    replicaAdmin = await createAdminClient({ host: replica.host, port: replica.port });
    expect(await datasetDigest(masterAdmin)).toEqual({});
    await replicaAdmin.call("REPLICAOF", master.host, String(master.port));
    await waitFor(async () => (await observeNode(replicaAdmin)).masterLinkStatus === "up", {
      deadlineMs: 20_000,
      what: "the link to come up",
    });
    conn = await openCommandConnection({ host: master.host, port: master.port });
    let db = 0;
    for (const [wantDb, argv] of WRITES) {
      if (wantDb !== db) {
        expect(await send(conn, ["SELECT", String(wantDb)], { timeoutMs: 5000 })).toEqual({
          kind: "reply",
          value: { kind: "status", value: "OK" },
        });
        db = wantDb;
      }
      const r = await send(conn, argv, { timeoutMs: 5000 });
      expect(r.kind, `${argv.join(" ")}: ${JSON.stringify(r)}`).toBe("reply");
    }
    // Settled: the replica has every byte and the master has its ack (acks come once a second).
    await waitFor(
      async () => {
        const [m, r] = await Promise.all([observeNode(masterAdmin), observeNode(replicaAdmin)]);
        const ack = m.roleReply.role === "master" ? m.roleReply.replicas[0]?.ack : undefined;
        return (
          m.masterReplOffset === offset &&
          r.slaveReplOffset === offset &&
          ack === offset &&
          m.replicas[0]?.offset === offset
        );
      },
      { deadlineMs: 20_000, what: `both nodes at offset ${offset} with the ack in` },
    );
  });

  afterAll(async () => {
    conn?.close();
    masterAdmin?.disconnect();
    replicaAdmin?.disconnect();
    await target?.stopAll();
  });

  it("observes the master field by field", async () => {
    const m = await observeNode(masterAdmin);
    const r = await observeNode(replicaAdmin);
    const expected: Partial<NodeObservation> = {
      role: "master",
      connectedSlaves: 1,
      masterReplOffset: offset,
      replid2: ZEROS,
      secondReplOffset: -1,
      backlogActive: true,
      backlogSize: 1024 * 1024,
      // 7.0 block backlog: everything still fits in the first block.
      backlogFirstByte: 1,
      backlogHistlen: offset,
      syncFull: 1,
      syncPartialOk: 0,
      // The replica was a fresh master: it asked PSYNC <its own id> 1, which fails (PSYNC-7).
      syncPartialErr: 1,
      roleReply: { role: "master", offset, replicas: [{ ip: "127.0.0.1", port: replica.port, ack: offset }] },
      dbsize: { 0: 7, 3: 2, 10: 2 },
    };
    expect(m).toMatchObject(expected);
    expect(m.replid).toMatch(/^[0-9a-f]{40}$/);
    expect(m.replid).toBe(r.replid);
    expect(m.replicas).toHaveLength(1);
    expect(m.replicas[0]).toMatchObject({ ip: "127.0.0.1", port: replica.port, state: "online", offset });
    expect(m.replicas[0].lag).toBeGreaterThanOrEqual(0);
    expect("masterAddress" in m).toBe(false);
    expect(detectProfile(m.server).profile.id).toBe("redis-7.0");
    expect(Number(m.server.process_id)).toBe(master.pid);
  });

  it("observes the replica field by field", async () => {
    const r = await observeNode(replicaAdmin);
    expect(r).toMatchObject({
      role: "slave",
      masterAddress: `127.0.0.1:${master.port}`,
      masterLinkStatus: "up",
      masterSyncInProgress: false,
      slaveReplOffset: offset,
      masterReplOffset: offset,
      replid2: ZEROS,
      secondReplOffset: -1,
      backlogActive: true,
      connectedSlaves: 0,
      // Counters of the replica acting as a master: nobody synced from it.
      syncFull: 0,
      syncPartialOk: 0,
      syncPartialErr: 0,
      roleReply: { role: "slave", host: "127.0.0.1", port: master.port, state: "connected", offset },
      dbsize: { 0: 7, 3: 2, 10: 2 },
      replicas: [],
    });
  });

  it("parses live INFO and ROLE the same way", async () => {
    const info = parseInfo(String(await masterAdmin.call("INFO", "everything")));
    for (const section of ["server", "replication", "stats", "keyspace"]) expect(Object.keys(info)).toContain(section);
    expect(replicationInfo(info).masterReplOffset).toBe(offset);
    expect(syncStats(info)).toEqual({ syncFull: 1, syncPartialOk: 0, syncPartialErr: 1 });
    expect(parseRole(await replicaAdmin.call("ROLE"))).toEqual({
      role: "slave",
      host: "127.0.0.1",
      port: master.port,
      state: "connected",
      offset,
    });
  });

  it("digests both datasets to the exact expected content, in the model's shape and order", async () => {
    const [m, r] = await Promise.all([datasetDigest(masterAdmin), datasetDigest(replicaAdmin)]);
    expect(m).toEqual(EXPECTED_DIGEST);
    expect(r).toEqual(m);
    expect(datasetDigestEquals(m, modelDigest())).toBe(true);
    expect(datasetDigestEquals(r, modelDigest())).toBe(true);
    expect(JSON.stringify(m)).toBe(JSON.stringify(modelDigest()));
    // Small batches and SCAN counts walk the same keys.
    expect(await datasetDigest(masterAdmin, { scanCount: 1, batchSize: 2 })).toEqual(m);
  });

  it("closes its own digest connection and leaves the admin connection's db at 0", async () => {
    await datasetDigest(masterAdmin);
    await waitFor(async () => !String(await masterAdmin.call("CLIENT", "LIST")).includes("name=replcheck-digest"), {
      deadlineMs: 5000,
      what: "the digest connection to be closed",
    });
    expect(String(await masterAdmin.call("CLIENT", "INFO"))).toContain(" db=0 ");
  });
});
