// matrix.md: the matrix as GitHub-flavoured Markdown, for a README or a pull-request comment. Paths
// (report folders, counterexample links) are relative to the folder holding matrix.md.

import { CELL_LEGEND, cellText, optionsText, STATUS_MARK, secondsText } from "./labels.js";
import type { Matrix, MatrixCell, MatrixColumn } from "./matrix.js";

/** Text safe inside a table cell: no pipes or line breaks. */
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
const row = (cells: string[]): string => `| ${cells.join(" | ")} |`;
const or = (s: string): string => (s === "" ? "–" : cell(s));

function verdictCell(c: MatrixColumn): string {
  const parts = [`${STATUS_MARK[c.status]} ${cell(c.verdict)}`];
  if (c.hint !== undefined) parts.push(`(${cell(c.hint)})`);
  if (c.counterexample !== undefined) parts.push(`[counterexample](${c.counterexample})`);
  return parts.join(" ");
}

function matrixCell(c: MatrixCell): string {
  return c.link === undefined ? cellText(c) : `[${cellText(c)}](${c.link})`;
}

/** The whole matrix as Markdown: a line of options, the verdict, the targets table, the rules table, the legend. */
export function matrixMarkdown(matrix: Matrix): string {
  const lines = [
    `**replcheck conformance matrix**: ${optionsText(matrix)}; replcheck ${matrix.replcheck}, started ${matrix.startedAt}.`,
    "",
    `Verdict: ${cell(matrix.verdict)} (exit ${matrix.exitCode}).`,
    "",
    row(["target", "server", "version", "profile", "verdict", "scenarios", "steps checked", "time", "run folder"]),
    row(Array(9).fill("---")),
  ];
  for (const c of matrix.columns)
    lines.push(
      row([
        code(c.target),
        or(c.name),
        or(c.version),
        or(c.profile),
        verdictCell(c),
        String(c.scenarios),
        String(c.steps),
        secondsText(c.elapsedMs),
        c.folder === undefined ? "–" : code(c.folder),
      ]),
    );
  lines.push(
    "",
    row(["rule", ...matrix.columns.map((c) => code(c.target))]),
    row(Array(matrix.columns.length + 1).fill("---")),
  );
  for (const area of matrix.areas) {
    lines.push(row([`**${area.area}**`, ...matrix.columns.map(() => "")]));
    for (const r of area.rules) lines.push(row([`${r.rule} ${cell(r.title)}`, ...r.cells.map(matrixCell)]));
  }
  lines.push("", `${Object.values(CELL_LEGEND).join(" · ")}.`, "");
  return lines.join("\n");
}
