// Opening the harness's connections to a node that was just started: a connection that a loaded
// machine loses at once is retried a bounded number of times, and the final error names the
// address and every attempt's own cause (ioredis alone says only "Connection is closed").

import { createServer, type Server, type Socket, connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createAdminClient } from "../../harness/client.js";
import { AttemptsFailed, withRetries } from "../../harness/util/retry.js";
import { startServer, type ServerHandle } from "../../server/index.js";

/** A TCP front for a real built-in server that resets the first `drop` connections it accepts. */
async function flakyFront(
  upstream: ServerHandle,
  drop: number,
): Promise<{ server: Server; port: number; accepted: () => number }> {
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    if (++accepted <= drop) {
      client.resetAndDestroy();
      return;
    }
    const back = connect({ host: upstream.host, port: upstream.port });
    back.on("error", () => client.destroy());
    client.pipe(back).pipe(client);
    client.on("close", () => back.destroy());
  });
  server.on("close", () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { server, port: address.port, accepted: () => accepted };
}

describe("connections to a fresh node", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function front(drop: number) {
    const node = await startServer({ config: { port: "0" } });
    cleanups.push(() => node.close());
    const f = await flakyFront(node, drop);
    cleanups.push(() => new Promise<void>((resolve) => f.server.close(() => resolve())));
    return f;
  }

  it("an admin connection lost twice opens on the third attempt and works", async () => {
    const f = await front(2);
    const admin = await createAdminClient({
      host: "127.0.0.1",
      port: f.port,
      connectionName: "replcheck-admin-test",
      connectAttempts: 3,
      connectRetryDelayMs: 10,
    });
    cleanups.push(() => admin.disconnect());
    expect(await admin.call("PING")).toBe("PONG");
    expect(f.accepted()).toBe(3);
  });

  it("after the last attempt the error names the address and each attempt's cause", async () => {
    const f = await front(5);
    const opening = createAdminClient({
      host: "127.0.0.1",
      port: f.port,
      connectionName: "replcheck-admin-test",
      connectAttempts: 2,
      connectRetryDelayMs: 10,
    });
    const error = await opening.then(
      () => expect.fail("the connection opened"),
      (e: Error) => e,
    );
    expect(error.message).toMatch(
      new RegExp(`^cannot open an admin connection to 127\\.0\\.0\\.1:${f.port}: 2 attempts: `),
    );
    // The socket's own error (a reset) is kept next to ioredis's "Connection is closed".
    expect(error.message).toMatch(/ECONNRESET|socket hang up/);
    expect(f.accepted()).toBe(2);
  });

  it("one attempt by default: a caller that did not ask for retries sees the first failure", async () => {
    const f = await front(1);
    await expect(createAdminClient({ host: "127.0.0.1", port: f.port, connectionName: "x" })).rejects.toThrow(
      /cannot open an admin connection/,
    );
    expect(f.accepted()).toBe(1);
  });
});

describe("withRetries", () => {
  it("stops at the first success and keeps every failed attempt's cause otherwise", async () => {
    let calls = 0;
    expect(
      await withRetries({ attempts: 4, firstDelayMs: 1 }, async (n) => {
        calls++;
        if (n < 3) throw new Error(`failure ${n}`);
        return "ok";
      }),
    ).toBe("ok");
    expect(calls).toBe(3);
    const failed = await withRetries({ attempts: 2, firstDelayMs: 1 }, async (n) => {
      throw new Error(`failure ${n}`);
    }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(AttemptsFailed);
    expect((failed as AttemptsFailed).causes).toEqual(["failure 1", "failure 2"]);
    expect((failed as Error).message).toBe("2 attempts: failure 1; failure 2");
  });
});
