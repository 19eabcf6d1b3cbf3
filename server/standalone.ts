// `replcheck server`: replcheck's Redis-compatible server as a process, with redis-server's
// command line: an optional config file, then `--name value [value ...]` options
// (`--port 6380 --replicaof 127.0.0.1 6379 --save ""`). SIGINT/SIGTERM and SHUTDOWN stop it like
// redis-server (saving first when save points are configured).

import { appendFileSync, readFileSync } from "node:fs";
import { startServer, type ServerHandle } from "./index.js";

export interface StandaloneIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIO: StandaloneIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

const USAGE = `Usage: replcheck server [/path/to/redis.conf] [--name value [value ...]] ...

Starts replcheck's own Redis-compatible server (Redis 7.0 replication semantics, byte-exact
circular backlog). Options are redis-server config names, e.g.:

  replcheck server --port 6380
  replcheck server --port 6381 --replicaof 127.0.0.1 6380
  replcheck server --port 6380 --dir /tmp/node1 --save "" --repl-diskless-sync no

The default bind address is 127.0.0.1; SIGINT/SIGTERM stop the server.
`;

/** Splits a config-file line like Redis's sdssplitargs (double and single quotes, \\ escapes). */
export function splitConfigLine(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let arg = "";
    const quote = line[i] === '"' || line[i] === "'" ? line[i] : null;
    if (quote !== null) {
      i++;
      while (i < line.length && line[i] !== quote) {
        if (line[i] === "\\" && quote === '"' && i + 1 < line.length) {
          const next = line[++i];
          arg += next === "n" ? "\n" : next === "t" ? "\t" : next === "r" ? "\r" : next;
        } else {
          arg += line[i];
        }
        i++;
      }
      if (i >= line.length) throw new Error(`unbalanced quotes in configuration line: ${line}`);
      i++;
    } else {
      while (i < line.length && !/\s/.test(line[i])) arg += line[i++];
    }
    args.push(arg);
  }
  return args;
}

/** `name value...` pairs from a config file and from `--name value...` arguments, in order. */
export function parseServerArgs(argv: readonly string[]): Record<string, string> {
  const config: Record<string, string> = {};
  let i = 0;
  if (argv.length > 0 && !argv[0].startsWith("--")) {
    const file = argv[0];
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new Error(`Fatal error, can't open config file '${file}': ${(err as Error).message}`);
    }
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) continue;
      const [name, ...values] = splitConfigLine(line);
      config[name.toLowerCase()] = values.join(" ");
    }
    i = 1;
  }
  while (i < argv.length) {
    const flag = argv[i];
    if (!flag.startsWith("--") || flag.length === 2)
      throw new Error(`Bad server option '${flag}': expected --<config-name> <value>`);
    const values: string[] = [];
    i++;
    while (i < argv.length && !(argv[i].startsWith("--") && argv[i].length > 2)) values.push(argv[i++]);
    config[flag.slice(2).toLowerCase()] = values.join(" ");
  }
  return config;
}

/**
 * Runs the server until it is stopped; resolves with the process exit code (0 after a clean stop,
 * 1 when it cannot start: bad option, port in use, unloadable RDB).
 */
export async function runStandalone(argv: readonly string[], io: StandaloneIO = defaultIO): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(USAGE);
    return 0;
  }
  let config: Record<string, string>;
  try {
    config = parseServerArgs(argv);
  } catch (err) {
    io.stderr(`replcheck server: ${(err as Error).message}\n`);
    return 1;
  }
  if (config.port === undefined) config.port = "6379";
  const logfile = config.logfile ?? "";
  const log =
    logfile === "" ? (line: string) => io.stdout(`${line}\n`) : (line: string) => appendFileSync(logfile, `${line}\n`);

  let resolveStopped: (code: number) => void = () => {};
  const stopped = new Promise<number>((resolve) => (resolveStopped = resolve));
  let handle: ServerHandle;
  try {
    handle = await startServer({
      config,
      log,
      onShutdown: (h) => void h.close().then(() => resolveStopped(0)),
    });
  } catch (err) {
    io.stderr(`replcheck server: ${(err as Error).message}\n`);
    return 1;
  }
  const server = handle.server;
  server.log.notice(`replcheck ${server.replcheckVersion} (Redis 7.0.15 compatible) started, pid=${process.pid}`);
  server.log.notice(`Ready to accept connections tcp (${handle.host}:${handle.port})`);

  const onSignal = (signal: NodeJS.Signals): void => {
    server.log.warning(`Received ${signal} scheduling shutdown...`);
    if (server.config.getString("save") !== "") {
      try {
        handle.replication.persistence.save(); // what redis-server does with save points
      } catch (err) {
        server.log.warning(`Error trying to save the DB: ${(err as Error).message}`);
      }
    }
    server.log.warning("Redis is now ready to exit, bye bye...");
    void handle.close().then(() => resolveStopped(0));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const code = await stopped;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  return code;
}
