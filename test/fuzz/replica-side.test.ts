// The replica side under a hostile master (issue 11): a scripted master sends malformed full-sync
// payloads and replication streams to the built-in replica and to a real redis-server replica.
// Both must come out the same way - still connected at the same offset, or the link dropped and
// re-established with the same PSYNC - except where redis-server 7.0 exits on a corrupt RDB
// (harness/fuzz/known-differences.ts, corrupt-rdb-from-master): the built-in replica then survives, reports
// master_link_status:down and asks for a full sync again. Generated damage follows.

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandFrame, terminalFrame } from "../../harness/fuzz/frames.js";
import {
  badCrc,
  BuiltinReplica,
  describeOutcome,
  fixedScripts,
  playScript,
  REDIS_EXITS,
  RedisReplica,
  validRdb,
  validSync,
  type MasterScript,
  type ReplicaOutcome,
} from "./replica-side.js";
import { diskPreamble } from "../../server/rdb/index.js";
import { DEFAULT_REDIS_SERVER, redisServerAvailable } from "../../harness/fuzz/servers.js";

const strict = process.env.REPLCHECK_STRICT === "1";
const available = redisServerAvailable();
if (!available && !strict)
  console.warn(`replica-side fuzz: the redis-server comparisons are skipped, ${DEFAULT_REDIS_SERVER} is absent`);
const SEED = Number(process.env.REPLCHECK_FUZZ_SEED ?? 20_251_011);

let builtin: BuiltinReplica | null = null;
let redis: RedisReplica | null = null;

beforeAll(async () => {
  builtin = await BuiltinReplica.start();
  if (available) redis = await RedisReplica.start();
  else if (strict)
    throw new Error(`${DEFAULT_REDIS_SERVER} is absent and REPLCHECK_STRICT=1: install the redis-server package`);
});

afterAll(async () => {
  await builtin?.stop();
  await redis?.stop();
});

const brokenLink = (o: ReplicaOutcome): boolean => o.kind === "reconnected" && o.linkStatus === "down";

describe("scripted master: the damage the issue names", () => {
  it.each(fixedScripts().map((s) => [s.name, s] as const))("%s", async (name, script) => {
    const ours = await playScript(builtin as BuiltinReplica, script);
    expect(ours.kind, describeOutcome(ours)).not.toBe("exited");
    if (redis === null) return;
    const theirs = await playScript(redis, script);
    if (REDIS_EXITS.has(name)) {
      expect(theirs.kind, describeOutcome(theirs)).toBe("exited");
      expect(describeOutcome(ours)).toBe("dropped the link (master_link_status:down) and reconnected: PSYNC ? -1");
    } else {
      expect(describeOutcome(ours)).toBe(describeOutcome(theirs));
    }
  });

  it("every damaged payload or stream leaves the built-in replica alive with its link reported down", async () => {
    const damaged = fixedScripts().filter((s) => !/control|waited|link kept/.test(s.name));
    for (const script of damaged) {
      const o = await playScript(builtin as BuiltinReplica, script);
      expect(brokenLink(o), `${script.name}: ${describeOutcome(o)}`).toBe(true);
    }
  });
});

describe("generated damage", () => {
  it("a full-sync payload with bytes flipped, dropped or cut: the built-in replica survives, reports the link down and asks for a full sync", async () => {
    const rdb = validRdb();
    const damage = fc.oneof(
      fc
        .array(fc.tuple(fc.nat(rdb.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 })
        .map((flips) => {
          const out = Buffer.from(rdb);
          for (const [at, x] of flips) out[at] ^= x;
          return out;
        }),
      fc.integer({ min: 0, max: rdb.length - 1 }).map((n) => rdb.subarray(0, n)),
      fc.constant(badCrc(rdb)),
    );
    await fc.assert(
      fc.asyncProperty(damage, async (payload) => {
        const script: MasterScript = {
          name: "generated payload",
          sync: Buffer.concat([
            validSync().subarray(0, validSync().indexOf("\r\n") + 2),
            diskPreamble(payload.length),
            payload,
          ]),
        };
        const o = await playScript(builtin as BuiltinReplica, script);
        expect(describeOutcome(o)).toBe("dropped the link (master_link_status:down) and reconnected: PSYNC ? -1");
      }),
      { seed: SEED, numRuns: 20 },
    );
  });

  it.skipIf(!available && !strict)(
    "a generated stream (commands, then junk, a damaged command or a malformed header): both replicas end the same way",
    async () => {
      const stream = fc
        .tuple(fc.array(commandFrame, { maxLength: 6 }), fc.option(terminalFrame, { nil: undefined }))
        .map(([frames, last]) => Buffer.concat([...frames, ...(last === undefined ? [] : [last])].map((f) => f.bytes)));
      await fc.assert(
        fc.asyncProperty(stream, async (bytes) => {
          const script: MasterScript = { name: "generated stream", sync: validSync(), stream: bytes };
          const ours = await playScript(builtin as BuiltinReplica, script);
          const theirs = await playScript(redis as RedisReplica, script);
          expect(describeOutcome(ours), JSON.stringify(bytes.toString("latin1"))).toBe(describeOutcome(theirs));
        }),
        { seed: SEED, numRuns: 8 },
      );
    },
  );
});
