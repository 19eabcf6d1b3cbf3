// `npm run bench`: speed figures, printed, never asserted. Sections run one after another on the
// same machine so their ratios compare like with like. `npm run bench -- server harness` runs some.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fullSyncBench } from "./full-sync.js";
import { harnessBench } from "./harness.js";
import { runLinkProxyBench } from "./link-proxy.js";
import { serverThroughputBench } from "./server-throughput.js";

const SECTIONS: Record<string, () => Promise<string[]>> = {
  server: () => serverThroughputBench(),
  "full-sync": () => fullSyncBench(),
  harness: () => harnessBench(),
  "link-proxy": () => runLinkProxyBench(),
  fuzz: async () => (await import("./fuzz.js")).fuzzBench(),
  package: async () => (await import("./package.js")).packageBench(),
  planted: async () => (await import("./planted.js")).plantedBench(),
  rdb: async () => {
    // bench/rdb.ts prints as it goes; run it as its own process so its heap does not skew the rest.
    const r = spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "rdb.ts")], {
      encoding: "utf8",
    });
    return [
      "rdb codec:",
      ...(r.stdout + r.stderr)
        .trim()
        .split("\n")
        .map((l) => `  ${l}`),
    ];
  },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const unknown = wanted.filter((w) => !(w in SECTIONS));
if (unknown.length > 0) {
  console.error(`unknown bench section(s): ${unknown.join(", ")}; available: ${Object.keys(SECTIONS).join(", ")}`);
  process.exit(2);
}
console.log(`replcheck benchmarks on node ${process.version}, ${new Date().toISOString()}\n`);
for (const name of wanted.length > 0 ? wanted : Object.keys(SECTIONS)) {
  const lines = await SECTIONS[name]();
  console.log(`${lines.join("\n")}\n`);
}
