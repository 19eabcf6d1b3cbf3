// Streams on which the differential fuzzer found the built-in server answering differently from
// redis-server 7.0.15, each with what redis-server 7.0.15 answered (recorded). regressions.test.ts
// sends them to the built-in server (and, when it is installed, to redis-server to check the
// recording).

import { multibulk } from "../../harness/fuzz/frames.js";

export interface Regression {
  name: string;
  stream: Buffer;
  /** redis-server 7.0.15's whole output (after a FLUSHALL), latin1. */
  redis: string;
}

const lines = (...ls: string[]): Buffer => Buffer.from(ls.map((l) => `${l}\r\n`).join(""), "latin1");

export const REGRESSIONS: Regression[] = [
  {
    name: "ZRANGE BYLEX (zslParseLexRange, zzlFirstInLexRange/zzlLastInLexRange, in (score, member) order)",
    stream: lines(
      "ZADD z 0 a 0 b 0 c 1 d 2 a2",
      "ZRANGE z [a (c BYLEX",
      "ZRANGE z - + BYLEX REV LIMIT 1 2",
      "ZRANGE z 0 0 BYLEX",
      "ZRANGE z + - BYLEX REV",
      "ZRANGE z [b + BYLEX",
      "ZRANGE z (b [a2 BYLEX",
      "ZRANGE z [c - BYLEX",
      "ZRANGE z - + BYLEX LIMIT -1 2",
      "ZRANGE z [a [a BYLEX WITHSCORES",
      "ZRANGE nokey - + BYLEX",
      "ZRANGE z [ (b BYLEX",
      "ZRANGE z +x - BYLEX",
      "ZRANGE z + - BYLEX REV LIMIT 1 2",
      "ZRANGE z - + BYLEX LIMIT 0 0",
    ),
    redis:
      ":5\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*0\r\n-ERR min or max not valid string range item\r\n*5\r\n$2\r\na2\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n*0\r\n*0\r\n*0\r\n*0\r\n-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n*0\r\n*1\r\n$1\r\na\r\n-ERR min or max not valid string range item\r\n*2\r\n$1\r\nd\r\n$1\r\nc\r\n*0\r\n",
  },
  {
    name: "SELECT: an integer outside int is 'out of range', not 'not an integer' (getIntFromObjectOrReply)",
    stream: lines(
      "SELECT 2147483648",
      "SELECT -2147483649",
      "SELECT 2147483647",
      "SELECT 1.5",
      "SELECT 99999999999999999999",
    ),
    redis:
      "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n-ERR value is out of range, value must between -2147483648 and 2147483647\r\n-ERR DB index is out of range\r\n-ERR value is not an integer or out of range\r\n-ERR value is not an integer or out of range\r\n",
  },
  {
    name: "options are C strings: strcasecmp and %s stop at a NUL byte",
    stream: Buffer.concat([
      multibulk(["SET", "n", "1", "nx\0zz"]),
      multibulk(["PEXPIRE", "n", "100000000000", "NX\0y"]),
      multibulk(["PEXPIRE", "n", "1", "XX\0y", "ab\0c"]),
      multibulk(["EXPIRE", "n", "100", "ab\0c"]),
      multibulk(["SCAN", "0", "TYPE\0", "string\0xx"]),
      multibulk(["ZADD", "z", "ch\0x", "1", "m"]),
      multibulk(["FLUSHDB", "SYNC\0x"]),
      multibulk(["EXISTS", "n", "z"]),
    ]),
    redis:
      "+OK\r\n:1\r\n-ERR Unsupported option ab\r\n-ERR Unsupported option ab\r\n*2\r\n$1\r\n0\r\n*1\r\n$1\r\nn\r\n:1\r\n+OK\r\n:0\r\n",
  },
  {
    name: "error replies built from arguments: CR/LF trimmed off the ends, the others made spaces (addReplyErrorFormat)",
    stream: Buffer.concat([
      multibulk(["EXPIREAT", "k", "1", "nx", "opt\r", "x"]),
      multibulk(["EXPIRE", "k", "1", "a\r\nb\n"]),
      multibulk(["PEXPIRE", "k", "1", "\r\nlead"]),
    ]),
    redis: "-ERR Unsupported option opt\r\n-ERR Unsupported option a  b\r\n-ERR Unsupported option   lead\r\n",
  },
  {
    name: "integral scores between 2^53 and 10^17 print exactly (%.17g)",
    stream: lines(
      "ZINCRBY z -46436197983241530 a",
      "ZADD z 123456789012345678 b 99999999999999999 c",
      "ZRANGE z 0 -1 WITHSCORES",
      "ZSCORE z a",
    ),
    redis:
      "$18\r\n-46436197983241528\r\n:2\r\n*6\r\n$1\r\na\r\n$18\r\n-46436197983241528\r\n$1\r\nc\r\n$5\r\n1e+17\r\n$1\r\nb\r\n$22\r\n1.2345678901234568e+17\r\n$18\r\n-46436197983241528\r\n",
  },
  {
    name: "INCRBYFLOAT: a NUL byte makes a value no float (string2ld wants every byte consumed)",
    stream: Buffer.concat([
      multibulk(["INCRBYFLOAT", "", "1e2\0"]),
      multibulk(["INCRBYFLOAT", "w", "1e2"]),
      multibulk(["INCRBYFLOAT", "w", "1e2\0"]),
      multibulk(["SET", "e", "1e2\0"]),
      multibulk(["INCRBYFLOAT", "e", "1"]),
      multibulk(["INCRBYFLOAT", "w", "\0"]),
    ]),
    redis:
      "-ERR value is not a valid float\r\n$3\r\n100\r\n-ERR value is not a valid float\r\n+OK\r\n-ERR value is not a valid float\r\n-ERR value is not a valid float\r\n",
  },
];
