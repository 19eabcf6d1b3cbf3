// report.html: one self-contained page (inline CSS, SVG and script; nothing loaded from elsewhere)
// with the run summary, the counterexample's timeline and steps when there is one, and the rule table.

import type { Verdict } from "../../cli/exit-codes.js";
import type { CampaignResult } from "../../run/campaign.js";
import type { CampaignHistory } from "../../run/campaign-history.js";
import { REPORT_JS } from "./behaviour.js";
import { counterexampleSection } from "./counterexample-section.js";
import { esc } from "./escape.js";
import { keptScenariosSection } from "./kept-scenarios.js";
import type { ReportRunOptions } from "./reproduction.js";
import { ruleTableHtml } from "./rule-table.js";
import { runSummaryHtml } from "./run-summary.js";
import { REPORT_CSS } from "./styles.js";

/** What report.html is made from. */
export interface HtmlReportInput {
  result: CampaignResult;
  verdict: Verdict;
  /** The run's options as given (the CLI's RunCliOptions). */
  options: ReportRunOptions;
  /** Where the report and the counterexample's scenario file are. */
  outDir: string;
  /** When the report was written (default: now). */
  now?: Date;
  /** The campaign's scenario runs over time, and the scenarios it kept with --html-all. */
  history?: CampaignHistory;
}

/** The whole page: summary (with scenarios over time), counterexample, kept scenarios, rule table. */
export function reportHtml(input: HtmlReportInput): string {
  const { result } = input;
  const ce =
    result.counterexample === undefined ? undefined : counterexampleSection(result.counterexample, "Counterexample");
  const title = `replcheck ${result.counterexample === undefined ? "run" : "counterexample"}: ${result.target ?? input.options.target}`;
  const generated = (input.now ?? new Date()).toISOString();
  const kept =
    input.history === undefined
      ? undefined
      : keptScenariosSection(input.history, input.options.path, ce === undefined, result.runs);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body${ce?.initialStep === undefined ? "" : ` data-initial-step="${ce.initialStep}"`}>
<header><h1>replcheck report</h1><span class="meta">${esc(result.target ?? input.options.target)} · seed ${result.seed} · written ${esc(generated)}</span></header>
<main>
<section class="card" id="summary"><h2>Run</h2>${runSummaryHtml(input)}</section>
${ce?.html ?? ""}
${kept ?? ""}
<section class="card" id="rules"><h2>Rules</h2>${ruleTableHtml(result.rules)}</section>
</main>
<script>${REPORT_JS}</script>
</body>
</html>
`;
}
