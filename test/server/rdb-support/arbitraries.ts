// fast-check generators of keyspaces for the RDB tests: binary keys and values with the edge cases
// of Redis's string encodings (integer-looking text near the 8/16/32-bit bounds and non-canonical
// forms, LZF-compressible and incompressible data, empty strings).

import fc from "fast-check";
import type { Entry, RedisValue } from "../../../server/keyspace/types.js";

const TRICKY_TEXT = [
  "",
  "0",
  "-0",
  "007",
  "+1",
  " 1",
  "1 ",
  "1.0",
  "1e3",
  "-",
  "00",
  "127",
  "128",
  "-128",
  "-129",
  "255",
  "256",
  "32767",
  "32768",
  "-32768",
  "-32769",
  "2147483647",
  "2147483648",
  "-2147483648",
  "-2147483649",
  "4294967296",
  "12345678901",
  "-1234567890",
  "99999999999",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775808",
  "-9223372036854775809",
];

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("latin1");

/** Binary strings (latin1 form): random bytes, tricky integer-like text, compressible runs. */
export const binaryText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.uint8Array({ maxLength }).map(latin1) },
    { weight: 3, arbitrary: fc.constantFrom(...TRICKY_TEXT) },
    { weight: 2, arbitrary: fc.integer({ min: -2_200_000_000, max: 2_200_000_000 }).map(String) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 5, max: 60 }))
        .map(([s, n]) => Buffer.from(s.repeat(n), "utf8").toString("latin1")),
    },
  );

/** Values: mostly small, sometimes big (compressible or random, up to ~200 KB). */
export const binaryValue = (): fc.Arbitrary<Buffer> =>
  fc.oneof(
    { weight: 8, arbitrary: binaryText(60).map((s) => Buffer.from(s, "latin1")) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.integer({ min: 100, max: 12_000 }))
        .map(([unit, n]) => Buffer.concat(Array.from({ length: n }, () => Buffer.from(unit)))),
    },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 200_000 }).map((n) => randomish(n)) },
  );

/** Deterministic pseudo-random bytes (incompressible), cheap to make in bulk. */
function randomish(n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = n * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

export const score = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.double({ noNaN: true }),
    fc.integer({ min: -1000, max: 1000 }),
    fc.constantFrom(Infinity, -Infinity, 0, 1.5, -2.25, 1e300, 5e-324),
  );

export const redisValue = (): fc.Arbitrary<RedisValue> =>
  fc.oneof(
    { weight: 4, arbitrary: binaryValue().map((value): RedisValue => ({ type: "string", value })) },
    {
      weight: 1,
      arbitrary: fc.array(binaryValue(), { maxLength: 30 }).map((value): RedisValue => ({ type: "list", value })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uniqueArray(binaryText(), { maxLength: 30 })
        .map((m): RedisValue => ({ type: "set", value: new Set(m) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uniqueArray(fc.tuple(binaryText(), score()), { maxLength: 30, selector: ([m]) => m })
        .map((pairs): RedisValue => ({ type: "zset", value: new Map(pairs) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uniqueArray(fc.tuple(binaryText(), binaryValue()), { maxLength: 30, selector: ([f]) => f })
        .map((pairs): RedisValue => ({ type: "hash", value: new Map(pairs) })),
    },
  );

/** Entries with an optional absolute expiry in [minExpire, maxExpire]. */
export const entry = (minExpire = 0, maxExpire = 2 ** 47): fc.Arbitrary<Entry> =>
  fc
    .tuple(redisValue(), fc.option(fc.integer({ min: minExpire, max: maxExpire }), { freq: 3 }))
    .map(([value, expireAt]): Entry => (expireAt === null ? { value } : { value, expireAt }));

export const database = (maxKeys = 25, minExpire?: number, maxExpire?: number): fc.Arbitrary<Map<string, Entry>> =>
  fc
    .uniqueArray(fc.tuple(binaryText(), entry(minExpire, maxExpire)), { maxLength: maxKeys, selector: ([k]) => k })
    .map((pairs) => new Map(pairs));

export const databases = (maxDbs = 4, maxKeys?: number, minExpire?: number, maxExpire?: number) =>
  fc.array(database(maxKeys, minExpire, maxExpire), { maxLength: maxDbs });

export const replInfo = () =>
  fc.record({
    replId: fc.stringMatching(/^[0-9a-f]{40}$/),
    replOffset: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    streamDb: fc.integer({ min: -1, max: 15 }),
  });
