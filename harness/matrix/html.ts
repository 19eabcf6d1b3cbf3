// matrix.html: the matrix as one self-contained page in the style of the run report (its
// stylesheet and escaping, nothing loaded from elsewhere, no script). Each target's column links to
// that target's own report.html; each failed cell to the counterexample and the rule in that report.

import { esc } from "../report/html/escape.js";
import { withRuleLinks } from "../report/html/rule-text.js";
import { REPORT_CSS } from "../report/html/styles.js";
import { CELL_LEGEND, cellText, optionsText, STATUS_LABEL, secondsText } from "./labels.js";
import type { Matrix, MatrixCell, MatrixColumn } from "./matrix.js";

const MATRIX_CSS = `
table.targets td, table.targets th { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
table.targets td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.targets .hint { color: var(--muted); font-size: 12.5px; }
.matrix-scroll { overflow-x: auto; }
table.matrix td, table.matrix th { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
table.matrix thead th { position: sticky; top: 0; background: var(--card); font-weight: 600; }
table.matrix thead th .meta { display: block; font-weight: 400; }
table.matrix tr.area th { background: #eef1f5; font-weight: 600; font-size: 12.5px; color: var(--muted); }
table.matrix td.id { font-family: ui-monospace, monospace; font-weight: 700; white-space: nowrap; }
table.matrix td.cell { white-space: nowrap; font-variant-numeric: tabular-nums; text-align: center; }
table.matrix td.cell-checked { color: var(--good); }
table.matrix td.cell-failed { background: #fde4e2; color: var(--bad); font-weight: 700; }
table.matrix td.cell-failed a { color: var(--bad); }
table.matrix td.cell-not-exercised, table.matrix td.cell-not-run { color: #7b8593; }
table.matrix td.cell .also { display: block; font-weight: 400; }
`;

const STATUS_BADGE: Record<MatrixColumn["status"], string> = {
  passed: "badge-ok",
  diverged: "badge-diverged",
  "no-verdict": "badge-unknown",
  unavailable: "badge-diverged",
  interrupted: "badge-unknown",
};

const link = (href: string, text: string): string => `<a href="${esc(href)}">${esc(text)}</a>`;
const or = (s: string): string => (s === "" ? "–" : esc(s));

function targetRow(c: MatrixColumn, index: number): string {
  const files = [
    ...(c.report === undefined ? [] : [link(c.report, "report")]),
    ...(c.counterexample === undefined ? [] : [link(c.counterexample, "counterexample")]),
    ...(c.folder === undefined ? [] : [link(c.folder, "folder")]),
  ];
  const hint = c.hint === undefined ? "" : `<div class="hint">what to do: ${esc(c.hint)}</div>`;
  return (
    `<tr id="target-${index + 1}" data-status="${c.status}"><td><code>${esc(c.target)}</code></td><td>${or(c.name)}</td><td>${or(c.version)}</td><td>${or(c.profile)}</td>` +
    `<td><span class="badge ${STATUS_BADGE[c.status]}">${esc(STATUS_LABEL[c.status])}</span> ${esc(c.verdict)} <span class="meta">(exit ${c.exitCode})</span>${hint}</td>` +
    `<td class="num">${c.scenarios}</td><td class="num">${c.steps}</td><td class="num">${esc(secondsText(c.elapsedMs))}</td><td>${files.join(" · ")}</td></tr>`
  );
}

function cellHtml(cell: MatrixCell, column: MatrixColumn, rule: string): string {
  const text = esc(cellText(cell));
  let body = text;
  if (cell.link !== undefined) {
    body = `<a href="${esc(cell.link)}" title="the counterexample">${text}</a>`;
    if (column.report !== undefined && !cell.link.startsWith(column.report))
      body += `<a class="also" href="${esc(`${column.report}#rule-${rule}`)}">in its report</a>`;
  }
  return `<td class="cell cell-${cell.state}" data-state="${cell.state}">${body}</td>`;
}

function matrixTable(matrix: Matrix): string {
  const head = matrix.columns
    .map((c) => {
      const name = c.report === undefined ? esc(c.target) : link(c.report, c.target);
      const about = c.name === "" ? STATUS_LABEL[c.status] : `${c.profile} · ${c.version}`;
      return `<th title="${esc(c.name === "" ? c.verdict : c.name)}">${name}<span class="meta">${esc(about)}</span></th>`;
    })
    .join("");
  const body: string[] = [];
  for (const area of matrix.areas) {
    body.push(`<tr class="area"><th colspan="${matrix.columns.length + 2}">spec/${esc(area.area)}.md</th></tr>`);
    for (const r of area.rules)
      body.push(
        `<tr id="rule-${esc(r.rule)}" class="rule-row" data-rule="${esc(r.rule)}"><td class="id">${esc(r.rule)}</td><td>${withRuleLinks(r.title)}</td>` +
          `${r.cells.map((cell, i) => cellHtml(cell, matrix.columns[i], r.rule)).join("")}</tr>`,
      );
  }
  return `<div class="matrix-scroll"><table class="matrix"><thead><tr><th>rule</th><th>title</th>${head}</tr></thead><tbody>${body.join("")}</tbody></table></div>`;
}

/** The whole page: options and verdict, one row per target, then the rules × targets table with its legend. */
export function matrixHtml(matrix: Matrix): string {
  const verdictClass = matrix.exitCode === 0 ? "ok" : matrix.exitCode === 1 ? "diverged" : "unknown";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>replcheck conformance matrix</title>
<style>${REPORT_CSS}${MATRIX_CSS}</style>
</head>
<body>
<header><h1>replcheck conformance matrix</h1><span class="meta">${esc(optionsText(matrix))} · replcheck ${esc(matrix.replcheck)} · started ${esc(matrix.startedAt)}</span></header>
<main>
<section class="card" id="targets"><h2>Targets</h2>
<div class="verdict verdict-${verdictClass}" id="verdict" data-exit-code="${matrix.exitCode}"><span class="exit">exit ${matrix.exitCode}</span> ${esc(matrix.verdict)}</div>
<table class="targets"><thead><tr><th>target</th><th>server</th><th>version</th><th>profile</th><th>verdict</th><th>scenarios</th><th>steps checked</th><th>time</th><th>files</th></tr></thead><tbody>${matrix.columns.map(targetRow).join("")}</tbody></table>
</section>
<section class="card" id="matrix"><h2>Rules × targets</h2>
<div class="legend">${Object.values(CELL_LEGEND)
    .map((l) => `<span>${esc(l)}</span>`)
    .join("")}</div>
${matrixTable(matrix)}
</section>
</main>
</body>
</html>
`;
}
