// The run summary at the top of the report: the verdict and exit code, what was checked (target,
// profile, server version), with which seed and options, what the campaign did, and the command
// lines that reproduce it, with a chart of the scenarios over time when the campaign recorded them.

import type { Verdict } from "../../cli/exit-codes.js";
import type { CampaignResult } from "../../run/campaign.js";
import type { CampaignHistory } from "../../run/campaign-history.js";
import { esc } from "./escape.js";
import { scenariosChart } from "./scenarios-chart.js";
import {
  campaignCommand,
  counterexampleCommands,
  counterexampleHint,
  timeLimitArg,
  type ReportRunOptions,
} from "./reproduction.js";

/** "Redis 7.0 (7.0.15)" → label and version (the version may say "chosen with --profile NAME"). */
export function splitProfile(profile: string | undefined): { label: string; version: string } {
  if (profile === undefined) return { label: "?", version: "?" };
  const m = /^(.*?) \((.*)\)$/.exec(profile);
  return m === null ? { label: profile, version: "?" } : { label: m[1], version: m[2] };
}

const row = (name: string, value: string): string => `<tr><th>${esc(name)}</th><td>${value}</td></tr>`;
const code = (s: string): string => `<code>${esc(s)}</code>`;

function reproducedText(r: NonNullable<CampaignResult["reproduced"]>): string {
  const kind =
    r.of === 0
      ? "not replayed: no time left"
      : r.diverged === r.of
        ? "it diverges every time"
        : r.diverged === 0
          ? "it did not diverge again: it depends on timing"
          : "it depends on timing";
  return `${r.diverged}/${r.of} replays diverged again (${kind}${r.of < r.requested ? `; the time limit stopped ${r.requested - r.of} of ${r.requested}` : ""})`;
}

/** What the run summary shows. */
export interface SummaryInput {
  result: CampaignResult;
  verdict: Verdict;
  options: ReportRunOptions;
  outDir: string;
  /** The campaign's scenario runs over time (and, with --html-all, the scenarios it kept). */
  history?: CampaignHistory;
}

/** The run card's content: verdict, what was checked with which options, scenarios over time, reproduction. */
export function runSummaryHtml({ result, verdict, options, outDir, history }: SummaryInput): string {
  // A mixed target names one profile per server kind: "A (v1) on n0 + B (v2) on n1, n2".
  const profileParts = (result.profile ?? "?").split(" + ").map((part) => {
    const on = / on ([^()]*)$/.exec(part);
    const p = splitProfile(on === null ? part : part.slice(0, on.index));
    return on === null ? p : { label: `${p.label} on ${on[1]}`, version: `${p.version} on ${on[1]}` };
  });
  const profile = {
    label: profileParts.map((p) => p.label).join(" + "),
    version: profileParts.map((p) => p.version).join(" + "),
  };
  const verdictClass = verdict.code === 0 ? "ok" : verdict.code === 1 ? "diverged" : "unknown";
  const given = [
    `--runs ${options.runs}`,
    `--time-limit ${timeLimitArg(options.timeLimit)}`,
    `--replicas ${options.replicas}`,
    `--steps ${options.steps}`,
    ...(options.seed === undefined ? [] : [`--seed ${options.seed}`]),
    ...(options.path === undefined ? [] : [`--path ${options.path}`]),
    ...(options.profile === undefined ? [] : [`--profile ${options.profile}`]),
    ...(history === undefined || history.keep === 0 ? [] : ["--html-all"]),
  ];
  const table = [
    row(
      "target",
      `${esc(result.target ?? options.target)} <span class="meta">(--target ${esc(options.target)})</span>`,
    ),
    row("profile", esc(profile.label)),
    row("server version", esc(profile.version)),
    row("seed", `${code(String(result.seed))}${result.path === undefined ? "" : ` path ${code(result.path)}`}`),
    row("options", given.map(code).join(" ")),
    row(
      "scenarios",
      `${result.runs} scenario${result.runs === 1 ? "" : "s"}, ${result.steps} steps checked, ${result.failures} failed, ${result.inconclusive} inconclusive, in ${(result.elapsedMs / 1000).toFixed(1)} s${result.interrupted ? " (interrupted)" : ""}`,
    ),
  ];
  if (result.shrink !== undefined)
    table.push(
      row(
        "shrinking",
        `${result.shrink.numShrinks} shrinks${result.shrink.stopped ? ", stopped by the time limit: the smallest counterexample found so far" : ""}`,
      ),
    );
  if (result.reproduced !== undefined) table.push(row("reproduced", esc(reproducedText(result.reproduced))));
  const parts = [
    `<div class="verdict verdict-${verdictClass}" id="verdict" data-exit-code="${verdict.code}"><span class="exit">exit ${verdict.code}</span> ${esc(verdict.why)}</div>`,
    `<table class="summary">${table.join("")}</table>`,
  ];
  parts.push(
    `<h4>Scenarios over time</h4>`,
    history === undefined
      ? `<p class="meta" id="scenarios-chart-empty">The campaign did not record its scenarios' times.</p>`
      : scenariosChart(history.timings, result.runs),
  );
  const reasons = [...new Set(result.inconclusiveReasons)];
  if (reasons.length > 0)
    parts.push(
      `<h4>Inconclusive (unknown outcome, not counted as a failure)</h4><ul>${reasons.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>`,
    );
  if (result.error !== undefined)
    parts.push(
      `<h4>A scenario failed with an error (a bug in the harness or the model, or a broken target)</h4><pre class="error">${esc(result.error)}</pre>`,
    );
  const saved = counterexampleCommands(result, options, outDir);
  parts.push(`<h4>Reproduce</h4>`);
  if (saved !== undefined)
    parts.push(`<pre class="commands" id="repro-counterexample">${esc(counterexampleHint(saved))}</pre>`);
  parts.push(
    `<p class="meta">The whole campaign again (a time limit may end it at another scenario):</p><pre class="commands" id="repro-campaign">${esc(campaignCommand(result, options))}</pre>`,
  );
  return parts.join("");
}
