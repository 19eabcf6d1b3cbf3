// A Docker build context that packages one executable with the shared libraries it links, for an
// image `FROM scratch`: no base image, so nothing has to be pulled from a registry.
//
//   <context>/Dockerfile
//   <context>/rootfs/usr/local/bin/<name>       the executable
//   <context>/rootfs/<path of each library>      at the path ldd resolved it to, loader included
//   <context>/rootfs/data, rootfs/tmp            the server's directory, and a scratch /tmp

import { chmod, copyFile, mkdir, mkdtemp, readdir, realpath, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { sharedLibraries } from "./ldd.js";

export interface BuildContext {
  /** The context directory (temporary: remove it with `dispose`). */
  dir: string;
  /** The executable's path inside the image (the entrypoint). */
  entrypoint: string;
  /** Absolute paths copied into the image besides the executable (libraries and loader). */
  libraries: string[];
  dispose(): Promise<void>;
}

/** The executable keeps the name it was given, not its symlink target: Debian's redis-server is a
 *  link to redis-check-rdb, and Redis picks its mode from argv[0]. */
export function entrypointFor(binary: string): string {
  return `/usr/local/bin/${basename(binary)}`;
}

export function dockerfile(entrypoint: string, source: string): string {
  return [
    `# Written by replcheck image build: ${source} and the libraries it links, no base image.`,
    "FROM scratch",
    `LABEL org.replcheck.binary=${JSON.stringify(source)}`,
    "COPY rootfs/ /",
    "WORKDIR /data",
    `ENTRYPOINT [${JSON.stringify(entrypoint)}]`,
    "",
  ].join("\n");
}

/** `binary` must be an absolute path to an executable file. */
export async function createBuildContext(binary: string, workRoot = tmpdir()): Promise<BuildContext> {
  const dir = await mkdtemp(join(workRoot, "replcheck-image-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const rootfs = join(dir, "rootfs");
    const entrypoint = entrypointFor(binary);
    const libraries = await sharedLibraries(binary);
    await place(binary, join(rootfs, entrypoint));
    // Libraries go where the loader will look for them: the exact paths ldd found them at.
    for (const library of libraries) await place(library, join(rootfs, library));
    await mkdir(join(rootfs, "data"), { recursive: true });
    await mkdir(join(rootfs, "tmp"), { recursive: true });
    await chmod(join(rootfs, "tmp"), 0o1777);
    await writeFile(join(dir, "Dockerfile"), dockerfile(entrypoint, binary));
    // The same files give the same layer: without fixed times every build of an unchanged binary
    // would be a new image, and the one it replaces a leftover.
    await stampTree(rootfs, (await stat(binary)).mtime);
    return { dir, entrypoint, libraries, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** Copies the file a path (or symlink chain) leads to, keeping its mode and times. */
async function place(source: string, destination: string): Promise<void> {
  const real = await realpath(source);
  const info = await stat(real);
  await mkdir(dirname(destination), { recursive: true });
  await copyFile(real, destination);
  await chmod(destination, info.mode & 0o7777);
  await utimes(destination, info.atime, info.mtime);
}

/** Sets every directory's times (depth first, so that setting them is the last change). */
async function stampTree(dir: string, time: Date): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await stampTree(join(dir, entry.name), time);
  }
  await utimes(dir, time, time);
}
