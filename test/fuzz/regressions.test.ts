// What the differential fuzzer found, kept: each stream must get redis-server 7.0.15's recorded
// answer from the built-in server. With redis-server installed the recording is checked too.

import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type ServerHandle } from "../../server/index.js";
import { REGRESSIONS } from "./regressions.js";
import { ProcessServer, redisServerAvailable } from "../../harness/fuzz/servers.js";

/** FLUSHALL, the stream, a half-close; everything after FLUSHALL's +OK until the server closes. */
function answer(port: number, stream: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    const parts: Buffer[] = [];
    s.on("data", (d: Buffer) => parts.push(d));
    s.on("error", () => {});
    s.on("close", () =>
      resolve(
        Buffer.concat(parts)
          .toString("latin1")
          .replace(/^\+OK\r\n/, ""),
      ),
    );
    s.on("connect", () => {
      s.write("FLUSHALL\r\n");
      s.end(stream);
    });
  });
}

describe("fuzz-found differences stay fixed", () => {
  let ours: ServerHandle | null = null;
  let redis: ProcessServer | null = null;

  beforeAll(async () => {
    ours = await startServer({ config: { save: "" } });
    if (redisServerAvailable()) redis = await ProcessServer.redis();
  });

  afterAll(async () => {
    await ours?.close();
    await redis?.stop();
  });

  it.each(REGRESSIONS.map((r) => [r.name, r] as const))("%s", async (_name, r) => {
    expect(await answer((ours as ServerHandle).port, r.stream)).toBe(r.redis);
    if (redis !== null) expect(await answer(redis.port, r.stream)).toBe(r.redis);
  });
});
