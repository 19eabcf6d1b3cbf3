// `npm run bench -- planted`: plants realistic replication bugs (bench/planted-bugs/) into the
// builtin server, one at a time, runs the default campaign against each and prints whether it
// was found, how fast, and how short the shrunk counterexample is. A control run without a bug
// comes first: a divergence there would make every row meaningless.
//
// Options (after `--`): --time-limit=SECONDS (default: the CLI's, RUN_DEFAULTS.timeLimitMs),
// --seed=N (default 1: every bug meets the same scenarios), --only=id,id, --targeted=no (the
// generated campaign alone, without the targeted scenarios `replcheck run` runs first).

import os from "node:os";
import type { RuleId } from "../model/index.js";
import type { CampaignResult } from "../harness/run/campaign.js";
import { runSplitCampaign } from "../harness/run/parallel-campaign.js";
import { campaignConfig, RUN_DEFAULTS } from "../harness/run/defaults.js";
import { createBuiltinTarget } from "../harness/targets/builtin.js";
import { PLANTED_BUGS } from "./planted-bugs/catalogue.js";
import type { PlantedBug } from "./planted-bugs/planted-bug.js";
import { fmt } from "./support.js";

interface PlantedOptions {
  timeLimitMs: number;
  seed: number;
  only: string[] | null;
  /** Run the targeted scenarios first, as `replcheck run` does (--targeted=no: the campaign alone). */
  targeted: boolean;
}

/** One bug's campaign, with the moments that matter to a user waiting for the verdict. */
export interface PlantedOutcome {
  bug: PlantedBug | null;
  result: CampaignResult;
  /** Seconds from the start to the first divergence. */
  foundS?: number;
  /** Seconds from the start to the end of shrinking (the last shrink attempt). */
  shrunkS?: number;
  /** Steps of the shrunk counterexample (the initial REPLICAOFs included). */
  steps?: number;
  /** Rules named by the first failing step of the counterexample. */
  rulesNamed: RuleId[];
}

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

/** Reads the section's options; a bad value is an Error naming it. */
export function plantedOptions(): PlantedOptions {
  const limit = option("time-limit");
  const seed = option("seed");
  const only = option("only");
  const timeLimitMs = limit === undefined ? RUN_DEFAULTS.timeLimitMs : Number(limit) * 1000;
  if (!Number.isFinite(timeLimitMs) || timeLimitMs <= 0)
    throw new Error(`--time-limit must be a positive number of seconds, got '${limit}'`);
  const seedValue = seed === undefined ? 1 : Number(seed);
  if (!Number.isSafeInteger(seedValue)) throw new Error(`--seed must be an integer, got '${seed}'`);
  const ids = only === undefined ? null : only.split(",").filter((s) => s !== "");
  const unknown = (ids ?? []).filter((id) => !PLANTED_BUGS.some((b) => b.id === id));
  if (unknown.length > 0)
    throw new Error(
      `unknown planted bug(s): ${unknown.join(", ")}; known: ${PLANTED_BUGS.map((b) => b.id).join(", ")}`,
    );
  const targeted = option("targeted") ?? "yes";
  if (targeted !== "yes" && targeted !== "no") throw new Error(`--targeted must be yes or no, got '${targeted}'`);
  return { timeLimitMs, seed: seedValue, only: ids, targeted: targeted === "yes" };
}

/** Runs the default campaign on the builtin target with `bug` planted in every server it starts (null: none). */
export async function campaignAgainst(bug: PlantedBug | null, options: PlantedOptions): Promise<PlantedOutcome> {
  const uninstall = bug?.install?.() ?? (() => {});
  const started = Date.now();
  let foundAt: number | undefined;
  let lastShrinkAt: number | undefined;
  try {
    // As `npm start` runs: the targeted scenarios first, then the generated campaign.
    const result = await runSplitCampaign(
      campaignConfig(() => createBuiltinTarget({ onStart: (server) => bug?.plant(server) }), {
        timeLimitMs: options.timeLimitMs,
        seed: options.seed,
        targeted: options.targeted,
        onProgress: (p) => {
          if (p.failures > 0) foundAt ??= Date.now();
          // Shrink attempts report when they end; reproduction replays (after shrinking) do not.
          if (p.shrinking) lastShrinkAt = Date.now();
        },
      }),
      {},
    );
    // A targeted scenario's divergence (no generated scenario ran): found when it ended, not shrunk.
    const targeted = targetedFind(result);
    if (targeted !== undefined) foundAt = lastShrinkAt = started + targeted;
    const ce = result.counterexample;
    const failed = ce?.steps.find((s) => s.failures.length > 0);
    const rulesNamed = [...new Set((failed?.failures ?? []).flatMap((f) => [f.rule, ...(f.also ?? [])]))];
    const seconds = (at: number | undefined) => (at === undefined ? undefined : (at - started) / 1000);
    return {
      bug,
      result,
      foundS: seconds(foundAt),
      shrunkS: seconds(lastShrinkAt ?? foundAt),
      steps: ce?.steps.length,
      rulesNamed,
    };
  } finally {
    uninstall();
  }
}

/** Milliseconds into the run at which the diverging targeted scenario ended, if one is the counterexample. */
function targetedFind(result: CampaignResult): number | undefined {
  const outcomes = result.targeted?.outcomes ?? [];
  const at = outcomes.findIndex((o) => o.status === "diverged");
  if (result.runs > 0 || result.counterexample === undefined || at === -1) return undefined;
  return outcomes.slice(0, at + 1).reduce((ms, o) => ms + o.elapsedMs, 0);
}

const median = (xs: number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const cell = (n: number | undefined, digits = 1): string => (n === undefined ? "-" : fmt(n, digits));

/** One table row: a bug and what its campaign found. */
function row(o: PlantedOutcome): string[] {
  const r = o.result;
  const found = r.counterexample?.status === "diverged";
  const how = targetedFind(r) === undefined ? "" : " (targeted)";
  const verdict =
    r.error !== undefined
      ? "ERROR"
      : o.bug === null
        ? found
          ? "DIVERGED"
          : "clean"
        : found
          ? `found${how}`
          : "NOT FOUND";
  const expected = o.bug?.rule;
  const named =
    o.rulesNamed.length === 0
      ? "-"
      : `${o.rulesNamed.join("+")}${expected === undefined ? "" : o.rulesNamed.includes(expected) ? " (=)" : ` (≠ ${expected})`}`;
  const shrink = r.shrink?.stopped === true ? " (cut)" : "";
  const repro = r.reproduced === undefined ? "-" : `${r.reproduced.diverged}/${r.reproduced.of}`;
  return [
    o.bug?.id ?? "(control: no bug)",
    verdict,
    found ? cell(o.foundS) : "-",
    found ? `${cell(o.shrunkS)}${shrink}` : "-",
    cell(o.steps, 0),
    named,
    repro,
    `${r.runs}/${r.inconclusive}`,
  ];
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i])).join("  ")}`.trimEnd());
}

export async function plantedBench(): Promise<string[]> {
  const options = plantedOptions();
  const bugs = PLANTED_BUGS.filter((b) => options.only === null || options.only.includes(b.id));
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  const lines = [
    `planted bugs: builtin target, default run (${options.targeted ? "targeted scenarios, then the campaign" : "campaign only: --targeted=no"}), time limit ${options.timeLimitMs / 1000} s each, seed ${options.seed}, ${os.cpus().length} cores, load average ${load()} at the start`,
  ];
  const outcomes: PlantedOutcome[] = [];
  for (const bug of [null, ...bugs]) {
    const o = await campaignAgainst(bug, options);
    outcomes.push(o);
    // Progress on stderr: a full run takes minutes.
    console.error(`  planted: ${row(o).join(" | ")}`);
  }
  const header = ["bug", "verdict", "find s", "shrunk s", "steps", "rule named (= expected)", "repro", "runs/inconcl"];
  lines.push(...table([header, ...outcomes.map(row)]));
  const planted = outcomes.filter((o) => o.bug !== null);
  const found = planted.filter((o) => o.result.counterexample?.status === "diverged");
  const missed = planted.filter((o) => !found.includes(o));
  lines.push(
    `  found ${found.length} of ${planted.length}; median time to the shrunk counterexample ${cell(median(found.map((o) => o.shrunkS ?? 0)))} s; load average ${load()} at the end`,
  );
  if (outcomes[0].result.counterexample !== undefined)
    lines.push("  WARNING: the control run without a planted bug diverged: the rows above are not evidence");
  for (const o of missed) {
    lines.push(`  not found: ${o.bug?.id}: ${o.bug?.mistake}`);
    // A bug whose wrong state never matches the model can end scenarios as inconclusive instead.
    const reasons = o.result.inconclusiveReasons;
    if (reasons.length > 0)
      lines.push(`    ${reasons.length} scenario(s) inconclusive, first: ${reasons[0].split("\n")[0]}`);
    if (o.result.error !== undefined) lines.push(`    error: ${o.result.error.split("\n")[0]}`);
  }
  lines.push(
    "  (cut) = shrinking stopped by the time limit; repro = replays of the counterexample that diverged again",
  );
  return lines;
}
