// Writes DIR/report.html for a run with --out DIR (the CLI calls this once, after report.json).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Verdict } from "../../cli/exit-codes.js";
import type { CampaignResult } from "../../run/campaign.js";
import type { CampaignHistory } from "../../run/campaign-history.js";
import { reportHtml } from "./report-page.js";
import type { ReportRunOptions } from "./reproduction.js";

/** The report's file name in the --out directory. */
export const HTML_REPORT_FILE = "report.html";

/**
 * Writes `outDir/report.html` and returns its path; nothing without an `outDir`. A failure to write
 * is said on stderr and keeps the verdict, as for report.json.
 */
export function writeHtmlReport(
  outDir: string | undefined,
  result: CampaignResult,
  verdict: Verdict,
  options: ReportRunOptions,
  /** The campaign's scenario runs over time, and the scenarios kept with --html-all. */
  history?: CampaignHistory,
): string | undefined {
  if (outDir === undefined) return undefined;
  const file = join(outDir, HTML_REPORT_FILE);
  try {
    writeFileSync(
      file,
      reportHtml({ result, verdict, options, outDir, ...(history === undefined ? {} : { history }) }),
    );
    return file;
  } catch (e) {
    console.error(`replcheck run: could not write ${file}: ${(e as Error).message}`);
    return undefined;
  }
}
