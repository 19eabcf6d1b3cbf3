// The servers a differential fuzz run talks to: the built-in server (in this process, or as its
// own `replcheck server` process so its memory can be measured) and redis-server, each able to
// say whether it crashed, to restart, and (as a process) to report its peak RSS. Processes are
// stopped by their pid, also when a run fails.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, type ServerHandle } from "../../server/index.js";
import { findFreePort } from "../targets/free-port.js";
import { registerTarget, type Registration } from "../targets/process-registry.js";
import { encodeReply, parseReplies } from "./replies.js";

/** The redis-server the fuzzer compares with unless told otherwise. */
export const DEFAULT_REDIS_SERVER = "/usr/bin/redis-server";
/** bin/replcheck.js from harness/fuzz/ in a checkout, or from dist/harness/fuzz/ in the package. */
const REPLCHECK_BIN =
  ["../../bin/replcheck.js", "../../../bin/replcheck.js"]
    .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
    .find((path) => existsSync(path)) ?? fileURLToPath(new URL("../../bin/replcheck.js", import.meta.url));

/** A server of a differential run, as the fuzzer drives it. */
export interface FuzzServer {
  readonly label: string;
  readonly port: number;
  /** FLUSHALL on a persistent control connection (authenticated when the server has a password). */
  flushAll(): Promise<void>;
  /** Null while healthy; else what happened (exit, internal error) since start or the last restart. */
  crashed(): string | null;
  /** A fresh server after a crash (the port may change). */
  restart(): Promise<void>;
  /** Peak resident set (VmHWM, kB) of its process; null in process. */
  peakRssKb(): number | null;
  stop(): Promise<void>;
}

/** The answers of a server to commands sent on a fresh connection (start-up checks, flushes). */
export function command(
  port: number,
  bytes: string,
  timeoutMs = 10_000,
  replies = (bytes.match(/\r\n/g) ?? []).length,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: "127.0.0.1" });
    let out = "";
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer from 127.0.0.1:${port} to ${JSON.stringify(bytes)} within ${timeoutMs} ms`));
    }, timeoutMs);
    s.on("data", (d: Buffer) => {
      out += d.toString("latin1");
      if (parseReplies(Buffer.from(out, "latin1")).replies.length >= replies) {
        clearTimeout(timer);
        s.destroy();
        resolve(out);
      }
    });
    s.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on("connect", () => s.write(bytes));
  });
}

/** A persistent connection for FLUSHALL between cases: one round trip instead of a connect. */
class ControlConnection {
  private socket: net.Socket | null = null;
  private buf: Buffer = Buffer.alloc(0);
  private waiting: ((r: string) => void) | null = null;

  constructor(
    private readonly port: () => number,
    private readonly password: string | undefined,
  ) {}

  private connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port: this.port(), host: "127.0.0.1" });
      s.setNoDelay(true);
      s.on("data", (d: Buffer) => {
        this.buf = Buffer.concat([this.buf, d]);
        const { replies, rest } = parseReplies(this.buf);
        if (replies.length > 0 && this.waiting !== null) {
          this.buf = rest;
          const w = this.waiting;
          this.waiting = null;
          w(encodeReply(replies[replies.length - 1]));
        }
      });
      s.on("close", () => {
        if (this.socket === s) this.socket = null;
        const w = this.waiting;
        this.waiting = null;
        w?.("<closed>");
      });
      s.on("error", (e) => reject(e));
      s.once("connect", () => {
        this.socket = s;
        resolve();
      });
    });
  }

  private async send(line: string): Promise<string> {
    if (this.socket === null) {
      this.buf = Buffer.alloc(0);
      await this.connect();
      if (this.password !== undefined) await this.send(`AUTH ${this.password}\r\n`);
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
      (this.socket as net.Socket).write(line);
    });
  }

  async flushAll(label: string): Promise<void> {
    const r = await this.send("FLUSHALL\r\n");
    if (r !== "+OK\r\n") throw new Error(`${label}: FLUSHALL answered ${JSON.stringify(r)}`);
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}

async function waitForPong(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`exited before answering PING (${child.exitCode ?? child.signalCode}):\n${log()}`);
    try {
      const pong = await command(port, "PING\r\n", 2_000);
      if (pong === "+PONG\r\n" || pong.startsWith("-NOAUTH")) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`did not answer PING on port ${port} within 60 s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** redis-server or `node bin/replcheck.js server`, as a child process. */
export class ProcessServer implements FuzzServer {
  private child: ChildProcess | null = null;
  private output = "";
  private dir = "";
  private exitNote: string | null = null;
  private stopping = false;
  private peakKb = 0;
  private readonly control: ControlConnection;
  /** The harness's process registry: killed on Ctrl-C, SIGTERM or exit, and by the reaper if we are SIGKILLed. */
  private registration: Registration | null = null;
  port = 0;

  private constructor(
    readonly label: string,
    private readonly argv: (port: number, dir: string) => [string, string[]],
    /** Lines in its output that mean it hit a bug while staying up. */
    private readonly internalError: RegExp | null,
    password: string | undefined,
  ) {
    this.control = new ControlConnection(() => this.port, password);
  }

  flushAll(): Promise<void> {
    return this.control.flushAll(this.label);
  }

  static async redis(config: Record<string, string> = {}, binary = DEFAULT_REDIS_SERVER): Promise<ProcessServer> {
    const s = new ProcessServer(
      "redis-server",
      (port, dir) => [
        binary,
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--dir",
          dir,
          "--save",
          "",
          "--appendonly",
          "no",
          "--daemonize",
          "no",
          "--protected-mode",
          "no",
          ...configArgs(config),
        ],
      ],
      null,
      config.requirepass,
    );
    await s.start();
    return s;
  }

  static async builtin(config: Record<string, string> = {}): Promise<ProcessServer> {
    const s = new ProcessServer(
      "built-in",
      (port, dir) => [
        process.execPath,
        [REPLCHECK_BIN, "server", "--port", String(port), "--dir", dir, "--save", "", ...configArgs(config)],
      ],
      /Internal error/,
      config.requirepass,
    );
    await s.start();
    return s;
  }

  private async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), "replcheck-fuzz-"));
    this.port = await findFreePort();
    this.output = "";
    this.exitNote = null;
    const [file, args] = this.argv(this.port, this.dir);
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    this.registration = registerTarget({ removeOnInterrupt: this.dir });
    this.registration.track(child);
    const keep = (d: Buffer) => {
      this.output += d.toString("latin1");
      if (this.output.length > 200_000) this.output = this.output.slice(-100_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.once("exit", (code, signal) => {
      this.readPeak(); // gone with the process: keep what was last read
      if (!this.stopping) this.exitNote = `${this.label} (pid ${child.pid}) exited: code ${code}, signal ${signal}`;
    });
    try {
      await waitForPong(this.port, child, () => this.output);
    } catch (err) {
      await this.stop();
      throw new Error(`${this.label}: ${(err as Error).message}`);
    }
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  crashed(): string | null {
    if (this.exitNote !== null) return `${this.exitNote}\n${this.output.slice(-4000)}`;
    if (this.internalError?.test(this.output)) {
      const at = this.output.search(this.internalError);
      return `${this.label}: ${this.output.slice(at, at + 4000)}`;
    }
    return null;
  }

  async restart(): Promise<void> {
    await this.stop();
    this.stopping = false;
    await this.start();
  }

  private readPeak(): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "latin1"));
      if (m) this.peakKb = Math.max(this.peakKb, Number(m[1]));
    } catch {
      // not on Linux, or already gone
    }
  }

  peakRssKb(): number | null {
    this.readPeak();
    return this.peakKb > 0 ? this.peakKb : null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.stopping = true;
    this.control.close();
    if (child !== null && child.exitCode === null && child.signalCode === null) {
      this.readPeak();
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    this.child = null;
    this.registration?.release();
    this.registration = null;
    if (this.dir !== "") rmSync(this.dir, { recursive: true, force: true });
    this.dir = "";
  }
}

function configArgs(config: Record<string, string>): string[] {
  return Object.entries(config).flatMap(([k, v]) => [`--${k}`, v]);
}

/** The built-in server in this process (what the vitest fuzz module uses: quick to start, no RSS). */
export class InProcessBuiltin implements FuzzServer {
  readonly label = "built-in";
  private handle: ServerHandle | null = null;
  private readonly control: ControlConnection;

  private constructor(private readonly config: Record<string, string>) {
    this.control = new ControlConnection(() => this.port, config.requirepass);
  }

  flushAll(): Promise<void> {
    return this.control.flushAll(this.label);
  }

  static async start(config: Record<string, string> = {}): Promise<InProcessBuiltin> {
    const s = new InProcessBuiltin(config);
    await s.restart();
    return s;
  }

  get port(): number {
    return (this.handle as ServerHandle).port;
  }

  crashed(): string | null {
    const h = this.handle;
    if (h === null) return "built-in: not running";
    if (h.server.internalErrors === 0) return null;
    return h.server.log
      .lines()
      .filter((l) => l.includes("Internal error"))
      .join("\n");
  }

  async restart(): Promise<void> {
    this.control.close();
    await this.handle?.close();
    this.handle = await startServer({ config: { save: "", ...this.config } });
  }

  peakRssKb(): number | null {
    return null;
  }

  async stop(): Promise<void> {
    this.control.close();
    await this.handle?.close();
    this.handle = null;
  }
}

/** Whether the redis-server executable exists. */
export function redisServerAvailable(binary = DEFAULT_REDIS_SERVER): boolean {
  return existsSync(binary);
}
