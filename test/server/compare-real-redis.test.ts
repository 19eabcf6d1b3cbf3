// Sends the same scripted command sequence to replcheck's server and to the real
// /usr/bin/redis-server 7.0.15 and requires byte-identical replies (volatile commands excluded).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type ServerHandle } from "../../server/index.js";
import { RawClient } from "./helpers/raw-client.js";
import { realRedisAvailable, startRealRedis, type RealRedis, REDIS_SERVER } from "./helpers/real-redis.js";

const strict = process.env.REPLCHECK_STRICT === "1";
const available = realRedisAvailable();
if (!available && !strict) {
  console.warn(`compare-real-redis: skipped, ${REDIS_SERVER} is absent (install the redis-server package, or set REPLCHECK_STRICT=1 to make this a failure)`);
}

const S = (line: string): string[] => line.split(" ");

/**
 * The script: one command per entry. Keep it deterministic: no random or time-sensitive replies,
 * no CONFIG GET with several names (Redis answers in its dict's hash order), no COMMAND INFO of
 * commands with keys (key specs are not modelled).
 */
const SCRIPT: string[][] = [
  S("PING"), S("PING hello"), S("PING a b"), S("ECHO"), S("ECHO hi"),
  S("NOSUCHCMD a b"), ["nosuch", "x".repeat(200), "y"], S("GET"), S("SET k"),
  S("SELECT 1"), S("SELECT 16"), S("SELECT -1"), S("SELECT x"), S("SELECT 0"),
  S("DBSIZE"), S("DBSIZE x"), S("FLUSHDB"), S("FLUSHDB ASYNC"), S("FLUSHDB SYNC"), S("FLUSHDB foo"), S("FLUSHDB a b"), S("FLUSHALL"),
  // strings
  S("SET s1 v1"), S("GET s1"), S("GET missing"), S("SET s1 v2 NX"), S("SET s1 v3 XX"), S("GET s1"), S("SET nx1 v XX"), S("SET nx1 v NX"),
  S("SET s1 v4 GET"), S("SET s1 v5 NX GET"), S("SET s1 v6 XX GET"), S("SET newk v GET"), S("SET s1 v EX 100"), S("TTL s1"),
  S("SET s1 v PX 100000"), S("TTL s1"), S("SET s1 v KEEPTTL"), S("TTL s1"), S("SET s1 v"), S("TTL s1"),
  S("SET s1 v EX 0"), S("SET s1 v EX -5"), S("SET s1 v PX 0"), S("SET s1 v EX abc"), S("SET s1 v EX 9223372036854775807"),
  S("SET s1 v PX 9223372036854775807"), S("SET s1 v EXAT 0"), S("SET s1 v NX XX"), S("SET s1 v XX NX"), S("SET s1 v EX 10 PX 10"),
  S("SET s1 v KEEPTTL EX 10"), S("SET s1 v EX 10 KEEPTTL"), S("SET s1 v EX"), S("SET s1 v FOO"), S("SET s1 v EX 10 EX 20"), S("TTL s1"),
  S("SET s1 v EXAT 99999999999"), S("TTL s1"), S("SET s1 v PXAT 99999999999999"), S("PERSIST s1"), S("PERSIST s1"), S("TTL s1"),
  S("SETEX se 100 v"), S("TTL se"), S("SETEX se 0 v"), S("SETEX se x v"), S("SETEX se 10"), S("PSETEX pse 100000 v"), S("TTL pse"), S("PSETEX pse -1 v"),
  S("SETNX sn v"), S("SETNX sn w"), S("GET sn"), S("GETSET sn z"), S("GETSET nokey z"), S("GET nokey"), S("GETDEL sn"), S("GETDEL sn"),
  S("MSET a 1 b 2 c 3"), S("MSET a 1 b"), S("MGET a b c nokey"), S("APPEND a xyz"), S("APPEND newapp abc"), S("STRLEN a"), S("STRLEN nokey"),
  S("INCR a"), S("INCR ctr"), S("INCRBY ctr 10"), S("INCRBY ctr -3"), S("DECR ctr"), S("DECRBY ctr 5"), S("INCRBY ctr x"), S("INCRBY ctr 1.5"),
  S("SET big 9223372036854775806"), S("INCR big"), S("INCR big"), S("DECRBY big -1"), S("SET small -9223372036854775808"), S("DECR small"),
  S("DECRBY ctr -9223372036854775808"), S("SET notint abc"), S("INCR notint"), S("SET sp \" 1\""), S("SET lz 01"), S("INCR lz"),
  S("INCRBYFLOAT f 1.5"), S("INCRBYFLOAT f 0.1"), S("INCRBYFLOAT f 3e10"), S("INCRBYFLOAT f -30000000001.7"), S("INCRBYFLOAT f 1e300"),
  S("INCRBYFLOAT f2 10.50"), S("INCRBYFLOAT f2 -10.5"), S("INCRBYFLOAT f2 abc"), S("INCRBYFLOAT f2 inf"), S("INCRBYFLOAT f2 nan"),
  S("INCRBYFLOAT f2 0x10"), S("INCRBYFLOAT f2 1e5000"), S("INCRBYFLOAT notint 1"), S("INCRBYFLOAT f3 0.3333333333333333333"), S("INCRBYFLOAT f3 5.0e3"),
  // keys and expiry
  S("EXISTS a b nokey a"), S("TYPE a"), S("TYPE nokey"), S("DEL a nokey b"), S("UNLINK c c"), S("EXISTS a"),
  S("SET e 1"), S("EXPIRE e 100"), S("TTL e"), S("EXPIRE e 100 NX"), S("EXPIRE e 200 XX"), S("TTL e"), S("EXPIRE e 50 GT"), S("EXPIRE e 500 GT"), S("TTL e"),
  S("EXPIRE e 1000 LT"), S("EXPIRE e 10 LT"), S("TTL e"), S("EXPIRE e 10 NX XX"), S("EXPIRE e 10 GT LT"), S("EXPIRE e 10 FOO"), S("EXPIRE e x"),
  S("EXPIRE e 9223372036854775807"), S("PEXPIRE e 9223372036854775807"), S("EXPIRE nokey 10"), S("PERSIST e"), S("EXPIRE e 10 XX"), S("EXPIRE e 10 GT"),
  S("EXPIRE e 10 LT"), S("TTL e"), S("PEXPIRE e 20000"), S("TTL e"), S("EXPIREAT e 99999999999"), S("TTL e"), S("PEXPIREAT e 99999999999999"), S("TTL e"),
  S("EXPIRE e -1"), S("EXISTS e"), S("TTL e"), S("PTTL e"), S("SET e2 1"), S("PEXPIREAT e2 1"), S("GET e2"), S("TTL"), S("PERSIST nokey"),
  // lists
  S("LPUSH l a b c"), S("RPUSH l d e"), S("LRANGE l 0 -1"), S("LRANGE l 1 2"), S("LRANGE l -2 -1"), S("LRANGE l 5 10"), S("LRANGE l 3 1"), S("LRANGE l x 1"),
  S("LLEN l"), S("LLEN nokey"), S("LINDEX l 0"), S("LINDEX l -1"), S("LINDEX l 99"), S("LINDEX l x"), S("LPOP l"), S("RPOP l"), S("LPOP l 2"), S("RPOP l 0"),
  S("LPOP l -1"), S("LPOP l x"), S("LPOP nokey"), S("LPOP nokey 2"), S("LPOP l 1 2"), S("RPOP l 10"), S("EXISTS l"), S("LPUSH s1 x"), S("LLEN s1"), S("LPUSH"),
  // hashes
  S("HSET h f1 v1 f2 v2"), S("HSET h f1 v9"), S("HSET h f3"), S("HGET h f1"), S("HGET h nof"), S("HGET nokey f"), S("HGETALL h"), S("HGETALL nokey"),
  S("HLEN h"), S("HEXISTS h f1"), S("HEXISTS h nof"), S("HINCRBY h n 5"), S("HINCRBY h n -10"), S("HINCRBY h f1 1"), S("HINCRBY h n x"),
  S("HSET h m 9223372036854775807"), S("HINCRBY h m 1"), S("HDEL h f1 nof"), S("HDEL h f2 n m f3"), S("EXISTS h"), S("HGET s1 f"),
  // sets (single-member replies only: member order is an implementation detail)
  S("SADD st a b c"), S("SADD st a d"), S("SCARD st"), S("SISMEMBER st a"), S("SISMEMBER st z"), S("SREM st a z"), S("SCARD st"), S("SMEMBERS nokey"),
  S("SADD one x"), S("SMEMBERS one"), S("SPOP one"), S("EXISTS one"), S("SPOP nokey"), S("SPOP nokey 3"), S("SPOP st 0"), S("SPOP st -1"), S("SPOP st x"),
  S("SPOP st 1 2"), S("SADD two p"), S("SPOP two 5"), S("EXISTS two"), S("SCARD s1"),
  // sorted sets
  S("ZADD z 1 a 2 b 3 c"), S("ZADD z 1.5 a"), S("ZADD z CH 2.5 a 4 d"), S("ZADD z NX 100 a 5 e"), S("ZADD z XX 6 e 7 nomember"), S("ZCARD z"),
  S("ZADD z NX XX 1 a"), S("ZADD z GT LT 1 a"), S("ZADD z GT NX 1 a"), S("ZADD z INCR 1 a 2 b"), S("ZADD z x a"), S("ZADD z 1"), S("ZADD z 1 a 2"),
  S("ZADD z INCR 10 a"), S("ZADD z INCR NX 10 a"), S("ZADD z GT 1 a"), S("ZADD z GT CH 100 a"), S("ZADD z LT CH 1.1 a"), S("ZSCORE z a"),
  S("ZADD z XX INCR 1 nomember"), S("ZINCRBY z 2.25 b"), S("ZINCRBY z x b"), S("ZINCRBY z 1 newm"), S("ZADD z inf i -inf ni"), S("ZINCRBY z -inf i"),
  S("ZSCORE z i"), S("ZSCORE z ni"), S("ZSCORE z nomember"), S("ZSCORE nokey a"),
  S("ZADD zf 0.1 a 0.2 b 1e-5 c 123456789012345678 d 3.0000000000000004 e 1e21 f -0.5 g"), S("ZRANGE zf 0 -1 WITHSCORES"),
  S("ZRANGE z 0 -1"), S("ZRANGE z 0 -1 WITHSCORES"), S("ZRANGE z 1 2"), S("ZRANGE z -2 -1 WITHSCORES"), S("ZRANGE z 5 1"), S("ZRANGE z 0 -1 REV"),
  S("ZRANGE z 0 1 REV WITHSCORES"), S("ZRANGE z 0 -1 LIMIT 0 1"), S("ZRANGE z -inf +inf BYSCORE"), S("ZRANGE z (1 5 BYSCORE WITHSCORES"),
  S("ZRANGE z 5 (1 BYSCORE REV"), S("ZRANGE z -inf +inf BYSCORE LIMIT 1 2"), S("ZRANGE z -inf +inf BYSCORE LIMIT 1 -1 WITHSCORES"),
  S("ZRANGE z a b BYSCORE"), S("ZRANGE z (1 2 BYSCORE LIMIT 0"), S("ZRANGE z 0 1 FOO"), S("ZRANGE z x 1"), S("ZRANGE nokey 0 -1"),
  S("ZRANGE z 0 -1 BYSCORE BYSCORE"), S("ZRANGE z [a [b BYLEX WITHSCORES"), S("ZREM z a nomember"), S("ZREM nokey a"), S("ZCARD nokey"), S("ZSCORE s1 a"),
  // wrong types everywhere
  S("GET l2"), S("LPUSH l2 x"), S("GET l2"), S("APPEND l2 x"), S("STRLEN l2"), S("INCR l2"), S("INCRBYFLOAT l2 1"), S("SET l2 v GET"), S("GETSET l2 v"),
  S("GETDEL l2"), S("HSET l2 f v"), S("HGET l2 f"), S("SADD l2 m"), S("SCARD l2"), S("ZADD l2 1 m"), S("ZRANGE l2 0 -1"), S("LPUSH z x"), S("LRANGE z 0 1"),
  S("MGET l2 z st"), S("TYPE l2"), S("TYPE z"), S("TYPE st"), S("TYPE h"), S("SET l2 now-a-string"), S("TYPE l2"),
  // transactions
  S("MULTI"), S("SET t 1"), S("INCR t"), S("GET t"), S("EXEC"), S("EXEC"), S("DISCARD"),
  S("MULTI"), S("MULTI"), S("SET t 2"), S("EXEC"),
  S("MULTI"), S("GET"), S("SET t 3"), S("EXEC"), S("GET t"),
  S("MULTI"), S("NOSUCH"), S("EXEC"), S("MULTI"), S("SET t 4"), S("DISCARD"), S("GET t"),
  S("MULTI"), S("INCR l2"), S("SET t 5"), S("EXEC"), S("GET t"),
  S("MULTI"), S("EXEC x"), S("EXEC x"), S("MULTI"), S("SHUTDOWN"), S("EXEC"), S("DISCARD x"),
  S("MULTI"), S("SELECT 2"), S("SET indb2 x"), S("EXEC"), S("GET indb2"), S("SELECT 0"), S("GET indb2"),
  // config
  S("CONFIG"), S("CONFIG FOO"), S("CONFIG GET"), S("CONFIG GET hz"), S("CONFIG GET slave-read-only"), S("CONFIG GET replica-read-only"),
  S("CONFIG GET repl-backlog-size"), S("CONFIG GET repl-timeout"), S("CONFIG GET nosuchconfig"), S("CONFIG GET rdb-key-save-delay"), S("CONFIG GET client-output-buffer-limit"),
  S("CONFIG GET maxclients"), S("CONFIG GET proto-max-bulk-len"), S("CONFIG GET client-query-buffer-limit"), S("CONFIG GET lazyfree-lazy-expire"), S("CONFIG GET databases"),
  S("CONFIG SET hz 20"), S("CONFIG GET hz"), S("CONFIG SET hz 1000"), S("CONFIG GET hz"), S("CONFIG SET hz 0"), S("CONFIG GET hz"), S("CONFIG SET hz 10"),
  S("CONFIG SET hz abc"), S("CONFIG SET hz -1"), S("CONFIG SET hz 1k"), S("CONFIG SET nosuch 1"), S("CONFIG SET hz 10 hz 20"), S("CONFIG SET hz"),
  S("CONFIG SET hz 10 repl-timeout"), S("CONFIG SET hz 15 repl-timeout x"), S("CONFIG GET hz"), S("CONFIG SET databases 3"), S("CONFIG SET daemonize yes"),
  S("CONFIG SET replicaof x"), S("CONFIG SET dir /tmp"), S("CONFIG SET dbfilename x.rdb"), S("CONFIG SET replica-read-only maybe"),
  S("CONFIG SET slave-read-only no"), S("CONFIG GET replica-read-only"), S("CONFIG SET replica-read-only YES"), S("CONFIG GET slave-read-only"),
  S("CONFIG SET repl-backlog-size 1"), S("CONFIG GET repl-backlog-size"), S("CONFIG SET repl-backlog-size 1mb"), S("CONFIG GET repl-backlog-size"),
  S("CONFIG SET repl-backlog-size 2MB"), S("CONFIG SET repl-backlog-size abc"), S("CONFIG SET repl-backlog-size -1"), S("CONFIG SET repl-backlog-ttl -1"),
  S("CONFIG SET repl-timeout 0"), S("CONFIG SET repl-ping-replica-period 0"), S("CONFIG SET repl-ping-slave-period 5"), S("CONFIG GET repl-ping-replica-period"),
  S("CONFIG SET maxclients 0"), S("CONFIG SET min-replicas-to-write -1"), S("CONFIG SET min-slaves-max-lag 5"), S("CONFIG GET min-replicas-max-lag"),
  S("CONFIG SET replica-announce-port 70000"), S("CONFIG SET replica-announce-ip 1.2.3.4"), S("CONFIG GET slave-announce-ip"), S("CONFIG SET replica-announce-ip \"\""),
  S("CONFIG SET repl-diskless-load foo"), S("CONFIG SET repl-diskless-load SWAPDB"), S("CONFIG GET repl-diskless-load"), S("CONFIG SET repl-diskless-load disabled"),
  S("CONFIG SET repl-diskless-sync no"), S("CONFIG GET repl-diskless-sync"), S("CONFIG SET repl-diskless-sync-delay -1"), S("CONFIG SET repl-diskless-sync-delay 0"),
  S("CONFIG SET proto-max-bulk-len 100"), S("CONFIG SET proto-max-bulk-len 2mb"), S("CONFIG GET proto-max-bulk-len"), S("CONFIG SET proto-max-bulk-len 512mb"),
  S("CONFIG SET client-query-buffer-limit 1048575"), S("CONFIG SET client-output-buffer-limit foo"), S("CONFIG SET client-output-buffer-limit foo 1 1 1"),
  S("CONFIG SET client-output-buffer-limit normal 1x 1 1"), ["CONFIG", "SET", "client-output-buffer-limit", "replica 1mb 2mb 60"], S("CONFIG GET client-output-buffer-limit"),
  ["CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 32mb 8mb 60"], S("CONFIG GET client-output-buffer-limit"),
  S("CONFIG SET save \"100\""), ["CONFIG", "SET", "save", "3600 1 300 100"], S("CONFIG GET save"), ["CONFIG", "SET", "save", ""], S("CONFIG GET save"),
  S("CONFIG SET enable-debug-command yes"), S("CONFIG GET enable-debug-command"), S("CONFIG SET lazyfree-lazy-expire yes"), S("CONFIG SET lazyfree-lazy-expire no"),
  S("CONFIG SET rdbchecksum no"), S("CONFIG SET rdbcompression no"), S("CONFIG GET rdbcompression"), S("CONFIG SET rdbcompression yes"), S("CONFIG GET masterauth"),
  S("CONFIG GET replica-priority"), S("CONFIG SET replica-priority -1"), S("CONFIG GET replicaof"), S("CONFIG GET slaveof"), S("CONFIG RESETSTAT"), S("CONFIG RESETSTAT x"),
  // clients and misc
  S("CLIENT"), S("CLIENT FOO"), S("CLIENT GETNAME"), S("CLIENT SETNAME my-name"), S("CLIENT GETNAME"), ["CLIENT", "SETNAME", "a b"], S("CLIENT SETNAME"),
  ["CLIENT", "SETNAME", ""], S("CLIENT GETNAME"), S("CLIENT KILL ID 999999"), S("CLIENT KILL 1.2.3.4:5"), S("CLIENT KILL TYPE foo"), S("CLIENT KILL ID 0"),
  S("CLIENT KILL ID x"), S("CLIENT KILL TYPE master"), S("CLIENT KILL TYPE replica"), S("CLIENT KILL TYPE slave SKIPME maybe"), S("CLIENT KILL TYPE"),
  S("CLIENT KILL FOO bar"), S("CLIENT KILL USER nobody"), S("CLIENT ID x"),
  S("COMMAND FOO"), S("COMMAND INFO nosuch"), S("COMMAND INFO config|get"), S("COMMAND INFO client|kill nosuch"), S("COMMAND COUNT x"),
  S("AUTH x"), S("AUTH default x"), S("AUTH someone x"), S("AUTH a b c"), S("INFO nosuchsection"), S("SHUTDOWN FOO"), S("SHUTDOWN ABORT"),
  S("SCAN x"), S("SCAN 0 COUNT 0"), S("SCAN 0 COUNT x"), S("SCAN 0 MATCH"), S("SCAN 0 FOO bar"), S("FLUSHALL"), S("SET only 1"), S("SCAN 0"),
  S("SCAN 0 MATCH o*"), S("SCAN 0 MATCH x*"), S("SCAN 0 TYPE string"), S("SCAN 0 TYPE list"), S("SCAN 0 TYPE nosuchtype"), S("DEBUG SLEEP 0"),
  S("QUIT"),
];

describe.skipIf(!available && !strict)("replies identical to real redis-server 7.0.15", () => {
  let real: RealRedis | null = null;
  let ours: ServerHandle | null = null;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    if (!available) throw new Error(`${REDIS_SERVER} is absent and REPLCHECK_STRICT=1: install the redis-server package`);
    real = await startRealRedis();
    ours = await startServer({ config: { save: "" } });
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await ours?.close();
    await real?.stop();
  });

  it("the whole script", async () => {
    const a = await RawClient.connect((real as RealRedis).port);
    const b = await RawClient.connect((ours as ServerHandle).port);
    clients.push(a, b);
    const mismatches: string[] = [];
    for (const argv of SCRIPT) {
      const ra = await a.call(...argv);
      const rb = await b.call(...argv);
      if (ra !== rb) mismatches.push(`${JSON.stringify(argv.join(" "))}\n  redis: ${JSON.stringify(ra)}\n  ours:  ${JSON.stringify(rb)}`);
    }
    expect(mismatches.join("\n")).toBe("");
  });

  it("protocol errors: same reply, then both close the connection", async () => {
    const cases = ["*2147483648\r\n", "*01\r\n", "*1\r\n$-1\r\n", "*1\r\n$536870913\r\n", "*2\r\n$4\r\nPING\r\n+x\r\n", 'PING "a\r\n', "PING 'a'b\r\n", "*1\r\n$4\r\nPING\r\n*x\r\n"];
    for (const payload of cases) {
      const outs: string[] = [];
      for (const port of [(real as RealRedis).port, (ours as ServerHandle).port]) {
        const c = await RawClient.connect(port);
        clients.push(c);
        c.sendRaw(payload);
        outs.push(await c.readUntilClose());
      }
      expect(outs[1], payload).toBe(outs[0]);
    }
  });

  it("inline commands and pipelines", async () => {
    const payload = 'PING\r\nECHO "a\\x41\\tb"\r\nSET il \'x y\'\r\nGET il\nNOSUCH a\r\n\r\n*1\r\n$4\r\nPING\r\n';
    const outs: string[] = [];
    for (const port of [(real as RealRedis).port, (ours as ServerHandle).port]) {
      const c = await RawClient.connect(port);
      clients.push(c);
      c.sendRaw(payload);
      const replies: string[] = [];
      for (let i = 0; i < 6; i++) replies.push(String(await c.readReply()));
      outs.push(replies.join(""));
    }
    expect(outs[1]).toBe(outs[0]);
  });
});
