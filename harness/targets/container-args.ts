// The command line of a server in a container: the node's config as `--name value` arguments (the
// binary target's convention), then the options the container target manages itself. Every image
// gets arguments only: a FROM-scratch image from `replcheck image build` has the server as its
// entrypoint, and the official redis/valkey images' entrypoints run the server when the first
// argument starts with "--".

import type { ServerConfig } from "./target.js";

/** The port every server listens on inside its own network namespace. */
export const CONTAINER_PORT = 6379;
/** The server's directory: a bind-mounted host directory, so RDBs survive the container. */
export const CONTAINER_DIR = "/data";
export const LOG_FILE = "server.log";

/** Options the target sets itself; a config that tries to set them is a harness bug. */
const MANAGED = new Set(["port", "bind", "dir", "dbfilename", "logfile", "daemonize", "protected-mode"]);

export function containerArgs(config: ServerConfig): string[] {
  const args: string[] = [];
  for (const [rawName, value] of Object.entries(config)) {
    const name = rawName.replace(/^-+/, "");
    if (MANAGED.has(name.toLowerCase()))
      throw new Error(`config option ${name} is set by the container target; remove it from the node config`);
    // One argv per value, even an empty one (save ""), as for processes.
    args.push(`--${name}`, ...(typeof value === "string" ? [value] : value));
  }
  args.push(
    "--port",
    String(CONTAINER_PORT),
    // Every interface of the container: the published port and the network address both reach it.
    "--bind",
    "0.0.0.0",
    // Connections arrive from the host through the published port and from the proxies on the
    // gateway, never from loopback: protected mode (on in Debian's build) would refuse them.
    "--protected-mode",
    "no",
    "--dir",
    CONTAINER_DIR,
    "--dbfilename",
    "dump.rdb",
    // A file in the bind-mounted directory, so the report can point at it on the host.
    "--logfile",
    `${CONTAINER_DIR}/${LOG_FILE}`,
    "--daemonize",
    "no",
  );
  return args;
}
