// Keeps every core busy while a test runs, so that verdicts are proved not to depend on an idle
// machine. One child process per core spins until stopped or until its own time bound passes, so
// a burner can never outlive a crashed test run for long. Stopped by pid, never by name.

import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";

export interface CpuBurner {
  readonly pids: number[];
  stop(): Promise<void>;
}

/** Start one spinning process per core (or `processes`), each ending by itself after `maxMs`. */
export function startCpuBurner(options: { maxMs: number; processes?: number }): CpuBurner {
  const count = options.processes ?? availableParallelism();
  const spin = `const end = Date.now() + ${Math.round(options.maxMs)}; while (Date.now() < end) {}`;
  const children: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(process.execPath, ["-e", spin], { stdio: "ignore" }),
  );
  return {
    pids: children.map((c) => c.pid!).filter((p) => p !== undefined),
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once("exit", () => resolve());
              c.kill("SIGKILL");
            }),
        ),
      );
    },
  };
}
