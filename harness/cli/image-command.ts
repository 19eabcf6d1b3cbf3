// `replcheck image build --binary PATH --tag NAME`: package a local server binary into an image
// FROM scratch (the binary, the libraries it links, the loader), for `--target image:NAME` on
// machines without a registry. Exit codes (exit-codes.ts): 0 built, 2 could not build.

import type { Command } from "commander";
import { isMissingTestcontainers, TESTCONTAINERS_HINT } from "../targets/image.js";
import { TargetUnavailable } from "../targets/target.js";
import { EXIT_CANNOT_START, EXIT_OK } from "./exit-codes.js";

export interface ImageBuildCliOptions {
  binary: string;
  tag: string;
}

export async function imageBuildCommand(opts: ImageBuildCliOptions): Promise<number> {
  try {
    // Loaded on use: the image builder pulls in testcontainers, which no other command needs.
    const { buildImage } = await import("../image/build-image.js").catch((e: unknown) => {
      if (isMissingTestcontainers(e))
        throw new TargetUnavailable(
          `image build needs the testcontainers package, which is not installed`,
          TESTCONTAINERS_HINT,
        );
      throw e;
    });
    const built = await buildImage({ binary: opts.binary, tag: opts.tag });
    console.log(
      `built ${built.tag} from ${built.binary} and ${built.libraries.length} libraries in ${(built.elapsedMs / 1000).toFixed(1)}s`,
    );
    console.log(`run the conformance suite against it: replcheck run --target image:${built.tag}`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof TargetUnavailable) console.error(`replcheck image build: ${e.message}\n  what to do: ${e.hint}`);
    // No verdict to give here: anything else that stops the build is also "could not build".
    else console.error(`replcheck image build: could not build ${opts.tag}: ${(e as Error)?.stack ?? String(e)}`);
    return EXIT_CANNOT_START;
  }
}

export function registerImageCommand(program: Command): void {
  const image = program.command("image").description("container images for --target image:NAME");
  image
    .command("build")
    .description(
      "package a local server binary and the shared libraries it links into an image FROM scratch (no registry needed)",
    )
    .requiredOption("--binary <path>", "the server executable (a path, or a name looked up in PATH)")
    .requiredOption("--tag <name>", "the image to create, NAME[:TAG]")
    .action(async (opts: ImageBuildCliOptions) => {
      process.exitCode = await imageBuildCommand(opts);
    });
}
