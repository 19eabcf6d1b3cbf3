// Packaging a server binary for an image FROM scratch: ldd parsing, the Dockerfile, the build
// context made from Debian's redis-server, and the CLI's errors. Building the image itself needs a
// container runtime: container-target.test.ts does it.

import { execFile } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createBuildContext, dockerfile, entrypointFor } from "../../harness/image/build-context.js";
import { LddError, parseLdd, sharedLibraries } from "../../harness/image/ldd.js";
import { REDIS_SERVER } from "./container-live.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const run = promisify(execFile);

const LDD_REDIS = `	linux-vdso.so.1 (0x00007ffd5a1f2000)
	libatomic.so.1 => /lib/x86_64-linux-gnu/libatomic.so.1 (0x00007f94aea76000)
	libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f94ae720000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f94ae0a5000)
	/lib64/ld-linux-x86-64.so.2 (0x00007f94aea93000)
	libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f94ae720000)
`;

describe("ldd output", () => {
  it("lists every resolved library and the loader once, and not the kernel's vDSO", () => {
    expect(parseLdd(LDD_REDIS)).toEqual([
      "/lib/x86_64-linux-gnu/libatomic.so.1",
      "/lib/x86_64-linux-gnu/libm.so.6",
      "/lib/x86_64-linux-gnu/libc.so.6",
      "/lib64/ld-linux-x86-64.so.2",
    ]);
  });

  it("fails naming the libraries that are not found", () => {
    const text =
      "\tlibfoo.so.3 => not found\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n\tlibbar.so => not found\n";
    expect(() => parseLdd(text)).toThrow(LddError);
    expect(() => parseLdd(text)).toThrow("shared libraries not found: libfoo.so.3, libbar.so");
  });

  it("finds nothing to copy for a static executable", async () => {
    expect(parseLdd("\tnot a dynamic executable\n")).toEqual([]);
    expect(parseLdd("\tstatically linked\n")).toEqual([]);
  });
});

describe("Dockerfile", () => {
  it("starts FROM scratch, copies the root filesystem and runs the binary as entrypoint", () => {
    const text = dockerfile("/usr/local/bin/redis-server", "/usr/bin/redis-server");
    const lines = text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    expect(lines).toEqual([
      "FROM scratch",
      'LABEL org.replcheck.binary="/usr/bin/redis-server"',
      "COPY rootfs/ /",
      "WORKDIR /data",
      'ENTRYPOINT ["/usr/local/bin/redis-server"]',
    ]);
  });

  it("names the entrypoint after the path given, not its symlink target", () => {
    // Debian's redis-server links to redis-check-rdb; Redis picks its mode from argv[0].
    expect(entrypointFor("/usr/bin/redis-server")).toBe("/usr/local/bin/redis-server");
  });
});

describe.runIf(existsSync(REDIS_SERVER))("build context from Debian's redis-server", () => {
  it("holds the binary under its own name and every library ldd lists, loader included, at the same paths", async () => {
    const libraries = await sharedLibraries(REDIS_SERVER);
    expect(libraries.some((l) => /ld-linux/.test(l))).toBe(true);
    expect(libraries.some((l) => /libc\.so/.test(l))).toBe(true);
    const context = await createBuildContext(REDIS_SERVER);
    try {
      expect(context.entrypoint).toBe("/usr/local/bin/redis-server");
      expect(context.libraries).toEqual(libraries);
      const binary = join(context.dir, "rootfs/usr/local/bin/redis-server");
      expect(statSync(binary).isFile()).toBe(true);
      expect(() => accessSync(binary, constants.X_OK)).not.toThrow();
      expect(statSync(binary).size).toBe(statSync(REDIS_SERVER).size);
      for (const library of libraries) {
        const copy = join(context.dir, "rootfs", library);
        // A regular file (symlinks followed), same contents as on the host.
        expect(statSync(copy).isFile(), library).toBe(true);
        expect(readFileSync(copy).equals(readFileSync(library)), library).toBe(true);
      }
      expect(statSync(join(context.dir, "rootfs/data")).isDirectory()).toBe(true);
      expect(statSync(join(context.dir, "rootfs/tmp")).mode & 0o7777).toBe(0o1777);
      expect(readFileSync(join(context.dir, "Dockerfile"), "utf8")).toContain("FROM scratch");
    } finally {
      await context.dispose();
    }
    expect(existsSync(context.dir)).toBe(false);
  });
});

describe("replcheck image build: errors", () => {
  it("exits 2 naming a missing binary, before touching any runtime", async () => {
    const failure = await run(
      process.execPath,
      [join(repoRoot, "bin/replcheck.js"), "image", "build", "--binary", "/nonexistent/redis-server", "--tag", "x:y"],
      {
        cwd: repoRoot,
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect("code" in failure ? failure.code : 0).toBe(2);
    expect((failure as { stderr: string }).stderr).toContain("server binary /nonexistent/redis-server does not exist");
  });

  it("exits 2 with the runtime hint when DOCKER_HOST points at a missing socket", async () => {
    const env = { ...process.env, DOCKER_HOST: "unix:///nonexistent/replcheck-test/docker.sock" };
    const failure = await run(
      process.execPath,
      [join(repoRoot, "bin/replcheck.js"), "image", "build", "--binary", "/bin/true", "--tag", "x:y"],
      {
        cwd: repoRoot,
        env,
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect("code" in failure ? failure.code : 0).toBe(2);
    const stderr = (failure as { stderr: string }).stderr;
    expect(stderr).toContain("no container runtime found (DOCKER_HOST=unix:///nonexistent/replcheck-test/docker.sock)");
    expect(stderr).toContain("what to do: start Docker, or Podman's Docker API (scripts/container-engine.sh start)");
  });
});
