// `replcheck run --config name=value` sets a node start-up option (over the deterministic defaults
// of harness/targets/defaults.ts, or one of its own); `--config name=` drops one of the defaults,
// for a server that does not know it (an unknown option makes Redis refuse to start). Repeatable.
// The options the harness itself manages (address, directory, files, topology) are refused.

import { InvalidArgumentError } from "commander";
import { deterministicConfig } from "../targets/defaults.js";
import type { ServerConfig } from "../targets/target.js";

/** One --config: a value to set, or undefined to drop the option. */
export interface ConfigOverride {
  name: string;
  value: string | undefined;
}

/** Set by the targets for every node (and the topology by the harness): never by --config. */
const MANAGED = new Set([
  "port",
  "bind",
  "dir",
  "dbfilename",
  "logfile",
  "daemonize",
  "protected-mode",
  "replicaof",
  "slaveof",
]);

/** commander's parser for --config: checks one `name=value` and adds it to the ones before. */
export function configOption(text: string, previous: ConfigOverride[] = []): ConfigOverride[] {
  const m = /^([A-Za-z][A-Za-z0-9-]*)=(.*)$/s.exec(text);
  if (m === null)
    throw new InvalidArgumentError(
      "Expected name=value (or name= to drop one of the default node settings), e.g. --config repl-backlog-size=1mb.",
    );
  const name = (m[1] ?? "").toLowerCase();
  const value = m[2] ?? "";
  if (MANAGED.has(name))
    throw new InvalidArgumentError(`${name} is set by replcheck for every node and cannot be changed.`);
  if (value === "" && !(name in deterministicConfig())) {
    throw new InvalidArgumentError(
      `${name}= drops a default node setting, and ${name} is not one; the defaults are: ${Object.keys(deterministicConfig()).join(", ")}.`,
    );
  }
  return [...previous, { name, value: value === "" ? undefined : value }];
}

/** `base` with the overrides applied in order (a later one wins). */
export function applyConfig(base: ServerConfig, overrides: readonly ConfigOverride[] = []): ServerConfig {
  const config: ServerConfig = { ...base };
  for (const { name, value } of overrides) {
    if (value === undefined) delete config[name];
    else config[name] = value;
  }
  return config;
}

/** The --config arguments that repeat the overrides on a command line. */
export function configArgs(overrides: readonly ConfigOverride[] = []): string[] {
  return overrides.flatMap(({ name, value }) => ["--config", `${name}=${value ?? ""}`]);
}
