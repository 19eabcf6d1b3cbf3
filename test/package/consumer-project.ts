// A consumer of the published package, as a server project would have it: replcheck packed with
// `npm pack` (from a staged copy built with scripts/build.js, so the shared dist/ of this checkout
// is never rebuilt under other runs), installed into a fresh temporary project with `npm ci
// --offline` from the local npm cache. The project's package-lock.json is derived from this
// repository's: the same versions `npm ci` just put in the cache, so nothing is downloaded.
// Used by test/package/consumer.test.ts and `npm run bench -- package`.

import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

interface Lockfile {
  name: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  license?: string;
  files?: string[];
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;

/** A command's result; throws with its output when it fails, unless `allowFailure`. */
export function sh(
  command: string,
  args: string[],
  cwd: string,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; allowFailure?: boolean } = {},
): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 300_000,
    env: options.env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!options.allowFailure && r.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} (in ${cwd}) ended with ${r.error?.message ?? r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`,
    );
  }
  return r;
}

/** Whether `npm` runs here (the package test is skipped, with a message, only when it does not). */
export function npmAvailable(): boolean {
  const r = spawnSync("npm", ["--version"], { encoding: "utf8" });
  return r.status === 0;
}

/**
 * Builds replcheck into a staged copy of the package (package.json, LICENSE, README.md, bin/ and
 * a fresh dist/) and packs it with `npm pack`: the `files` whitelist and `exports` are those of
 * this checkout. Returns the tarball's path (in `dir`).
 */
export function packReplcheck(dir: string): string {
  const stage = join(dir, "stage");
  mkdirSync(join(stage, "bin"), { recursive: true });
  sh(process.execPath, [join(REPO_ROOT, "scripts/build.js"), "--out", join(stage, "dist")], REPO_ROOT, {
    timeoutMs: 600_000,
  });
  // Everything `files` names besides dist/ (a glob's whole folder: npm pack applies the glob), and
  // what npm always packs.
  const { files = [] } = readJson<PackageJson>(join(REPO_ROOT, "package.json"));
  const sources = [
    ...files.filter((f) => !f.startsWith("dist")).map((f) => (f.includes("*") ? f.slice(0, f.indexOf("/")) : f)),
    "package.json",
    "LICENSE",
    "README.md",
  ];
  for (const file of sources) cpSync(join(REPO_ROOT, file), join(stage, file), { recursive: true });
  // The staged copy is already built: prepare must not build it again (it has no sources).
  const packed = sh("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], stage);
  const [info] = JSON.parse(packed.stdout) as { filename: string }[];
  if (info === undefined) throw new Error(`npm pack printed no file name: ${packed.stdout}`);
  rmSync(stage, { recursive: true, force: true });
  return join(dir, info.filename);
}

/** The files `npm pack` would put in the package from this checkout (its own dist/ as it is now). */
export function packedFiles(): string[] {
  const r = sh("npm", ["pack", "--dry-run", "--ignore-scripts", "--json"], REPO_ROOT);
  const [info] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
  return (info?.files ?? []).map((f) => f.path);
}

/** Where `name` resolves from the package at `from` ("" is the root), as Node walks node_modules. */
function resolveIn(lock: Lockfile, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base === "" ? "" : `${base}/`}node_modules/${name}`;
    if (lock.packages[candidate] !== undefined) return candidate;
    if (base === "") return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut === -1 ? "" : base.slice(0, cut);
  }
}

/**
 * The lock entries of `roots` and everything they need, with the paths (and so the versions) this
 * repository's lock gives them: a subset of an installed tree is still a valid tree.
 */
function closure(lock: Lockfile, roots: string[]): Map<string, LockEntry> {
  const out = new Map<string, LockEntry>();
  const visit = (path: string) => {
    if (out.has(path)) return;
    const entry = lock.packages[path];
    if (entry === undefined) return;
    out.set(path, entry);
    const peers = Object.keys(entry.peerDependencies ?? {}).filter(
      (p) => entry.peerDependenciesMeta?.[p]?.optional !== true,
    );
    for (const name of [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...peers,
    ]) {
      const found = resolveIn(lock, path, name);
      if (found !== undefined) visit(found);
    }
  };
  for (const root of roots) {
    const found = resolveIn(lock, "", root);
    if (found === undefined) throw new Error(`${root} is not in package-lock.json`);
    visit(found);
  }
  return out;
}

/** A lock entry as npm writes it for this project: the dev/peer flags of the repository's tree do not apply. */
function entryFor(entry: LockEntry, optional: boolean): LockEntry {
  const { dev: _dev, devOptional: _devOptional, peer: _peer, optional: _optional, ...rest } = entry;
  return optional ? { ...rest, optional: true } : rest;
}

/** Packages reached only through optionalDependencies (platform binaries): optional in the new tree too. */
function optionalOnly(lock: Lockfile, entries: Map<string, LockEntry>, roots: string[]): Set<string> {
  const required = new Set<string>();
  const visit = (path: string) => {
    if (required.has(path)) return;
    required.add(path);
    const entry = entries.get(path);
    const peers = Object.keys(entry?.peerDependencies ?? {}).filter(
      (p) => entry?.peerDependenciesMeta?.[p]?.optional !== true,
    );
    for (const name of [...Object.keys(entry?.dependencies ?? {}), ...peers]) {
      const found = resolveIn(lock, path, name);
      if (found !== undefined && entries.has(found)) visit(found);
    }
  };
  for (const root of roots) {
    const found = resolveIn(lock, "", root);
    if (found !== undefined) visit(found);
  }
  return new Set([...entries.keys()].filter((p) => !required.has(p)));
}

export interface Consumer {
  /** The project directory (replcheck in node_modules/replcheck). */
  dir: string;
  /** How the install went: `npm ci --offline` from the cache, or the fallback that may download. */
  install: "offline" | "prefer-offline";
  /** Installed packages (node_modules/** entries of the project's lock) and bytes on disk. */
  packages: number;
  bytes: number;
}

/** The exact versions this repository's lock has for `names` (dev tools a consumer adds next to replcheck). */
export function lockedVersions(names: readonly string[]): Record<string, string> {
  const lock = readJson<Lockfile>(join(REPO_ROOT, "package-lock.json"));
  return Object.fromEntries(
    names.map((n) => {
      const v = lock.packages[`node_modules/${n}`]?.version;
      if (v === undefined) throw new Error(`${n} is not in package-lock.json`);
      return [n, v];
    }),
  );
}

/**
 * A fresh project in `dir` with replcheck installed from `tarball`, and `devTools` (names from this
 * repository's lock, e.g. vitest, typescript, @types/node) next to it. `npm ci --offline` from a
 * lockfile derived from this repository's; if that fails (a cache that lacks a tarball), `npm
 * install --prefer-offline` (which may download) and `install` says so.
 */
export function installConsumer(dir: string, tarball: string, devTools: readonly string[] = []): Consumer {
  mkdirSync(dir, { recursive: true });
  const tgzName = "replcheck.tgz";
  copyFileSync(tarball, join(dir, tgzName));
  const repoLock = readJson<Lockfile>(join(REPO_ROOT, "package-lock.json"));
  const manifest = readJson<PackageJson>(join(REPO_ROOT, "package.json"));
  const tools = lockedVersions(devTools);
  const dependencies = { replcheck: `file:${tgzName}`, ...tools };
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "replcheck-consumer", version: "1.0.0", private: true, type: "module", dependencies }, null, 2)}\n`,
  );

  const roots = [...Object.keys(manifest.dependencies ?? {}), ...devTools];
  const entries = closure(repoLock, roots);
  const optional = optionalOnly(repoLock, entries, roots);
  const integrity = `sha512-${createHash("sha512")
    .update(readFileSync(join(dir, tgzName)))
    .digest("base64")}`;
  const replcheckEntry: LockEntry = {
    version: manifest.version,
    resolved: `file:${tgzName}`,
    integrity,
    ...(manifest.license === undefined ? {} : { license: manifest.license }),
    ...(manifest.dependencies === undefined ? {} : { dependencies: manifest.dependencies }),
    ...(manifest.bin === undefined ? {} : { bin: manifest.bin }),
    ...(manifest.engines === undefined ? {} : { engines: manifest.engines }),
    ...(manifest.peerDependencies === undefined ? {} : { peerDependencies: manifest.peerDependencies }),
    ...(manifest.peerDependenciesMeta === undefined ? {} : { peerDependenciesMeta: manifest.peerDependenciesMeta }),
  };
  const packages: Record<string, LockEntry> = {
    "": { name: "replcheck-consumer", version: "1.0.0", dependencies },
    "node_modules/replcheck": replcheckEntry,
  };
  for (const [path, entry] of [...entries].sort(([a], [b]) => a.localeCompare(b)))
    packages[path] = entryFor(entry, optional.has(path));
  const lock: Lockfile = { name: "replcheck-consumer", version: "1.0.0", lockfileVersion: 3, requires: true, packages };
  writeFileSync(join(dir, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);

  const quiet = ["--no-audit", "--no-fund", "--loglevel=error"];
  let install: Consumer["install"] = "offline";
  const offline = sh("npm", ["ci", "--offline", ...quiet], dir, { allowFailure: true, timeoutMs: 600_000 });
  if (offline.status !== 0) {
    console.warn(
      `[replcheck] npm ci --offline failed in the consumer project; installing with --prefer-offline:\n${offline.stderr.trim()}`,
    );
    install = "prefer-offline";
    sh("npm", ["install", "--prefer-offline", ...quiet], dir, { timeoutMs: 600_000 });
  }
  const installed = readJson<Lockfile>(join(dir, "package-lock.json"));
  const count = Object.keys(installed.packages).filter((p) => p.startsWith("node_modules/")).length;
  return { dir, install, packages: count, bytes: diskUsage(join(dir, "node_modules")) };
}

/** Bytes of the files under `dir` (apparent sizes, symlinks not followed). */
export function diskUsage(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = lstatSync(path, { throwIfNoEntry: false });
    if (s === undefined) continue;
    if (s.isDirectory()) total += diskUsage(path);
    else if (s.isFile()) total += s.size;
  }
  return total;
}

/** A fresh temporary directory under the OS temp dir. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Copies the consumer fixture files (test/package/consumer/) into the project. */
export function copyConsumerFiles(dir: string): void {
  cpSync(join(import.meta.dirname, "consumer"), dir, { recursive: true });
}
