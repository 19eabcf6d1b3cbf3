// The report's stylesheet, inlined into report.html (no fonts or files from elsewhere).

/** The whole stylesheet, inlined into report.html (the matrix page reuses it). */
export const REPORT_CSS = `
:root { --fg: #1d2330; --muted: #5f6b7a; --line: #d9dee5; --bg: #f5f7fa; --card: #fff;
  --master: #23466e; --replica: #5b8fc9; --up: #3f9d4a; --cut: #d0342c; --blackhole: #2b2b2b; --throttle: #e6a117;
  --observed: #1565c0; --predicted: #e0701b; --backlog: #b9d4f0; --bad: #c62828; --good: #2e7d32; --warn: #a86500; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 14px 24px; background: #1d2330; color: #fff; display: flex; align-items: baseline; gap: 16px; }
header h1 { font-size: 18px; margin: 0; font-weight: 600; }
header .meta { color: #b8c2d0; }
main { padding: 16px 24px 40px; display: grid; gap: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; min-width: 0; }
.card > h2 { font-size: 16px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 0 0 8px; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
h4 { font-size: 13px; margin: 12px 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
code, pre { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
pre.commands { background: #0f1722; color: #e3e9f1; padding: 10px 12px; border-radius: 6px; overflow-x: auto; user-select: all; white-space: pre-wrap; word-break: break-all; }
pre.error { background: #fff1f0; padding: 10px; border-radius: 6px; overflow-x: auto; }
.meta { color: var(--muted); font-size: 12.5px; }
.verdict { font-size: 15px; font-weight: 600; padding: 8px 12px; border-radius: 6px; margin-bottom: 10px; }
.verdict .exit { font-family: ui-monospace, monospace; padding: 1px 7px; border-radius: 4px; background: rgba(255,255,255,.6); margin-right: 6px; }
.verdict-ok { background: #e3f4e5; color: #1b5e20; }
.verdict-diverged { background: #fde4e2; color: #8e1b16; }
.verdict-unknown { background: #fff3d6; color: #7a4b00; }
table { border-collapse: collapse; }
table.summary th { text-align: left; color: var(--muted); font-weight: 500; padding: 3px 16px 3px 0; vertical-align: top; white-space: nowrap; }
table.summary td { padding: 3px 0; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; white-space: nowrap; }
.badge-ok { background: #e3f4e5; color: #1b5e20; }
.badge-diverged { background: #fde4e2; color: #8e1b16; }
.badge-skipped, .badge-unknown { background: #eceff3; color: #4a5565; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12.5px; color: var(--muted); margin: 4px 0 10px; }
.legend span { display: inline-flex; align-items: center; gap: 5px; }
.sw { display: inline-block; width: 18px; height: 10px; border-radius: 2px; }
.sw.line { height: 0; border-top: 2px solid var(--observed); }
.sw.line.dashed { border-top: 2px dashed var(--predicted); }
.sw.dot { width: 14px; height: 14px; border-radius: 50%; color: #fff; font-size: 9px; font-weight: 700; text-align: center; line-height: 14px; }
.timeline-scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
svg.timeline { display: block; font-family: system-ui, "DejaVu Sans", sans-serif; }
svg.timeline text { font-size: 11px; fill: var(--fg); }
svg.timeline .lane-bg { fill: #000; fill-opacity: .022; }
svg.timeline .lane-name { font-size: 15px; font-weight: 700; }
svg.timeline .lane-now { fill: var(--muted); }
svg.timeline .axis { fill: var(--muted); font-size: 10px; text-anchor: end; }
svg.timeline .axis-name { fill: var(--muted); font-size: 10px; text-anchor: start; }
svg.timeline .chart-base { stroke: var(--line); }
svg.timeline .step-col .col-bg { fill: transparent; }
svg.timeline .step-col:hover .col-bg { fill: #eef3fa; }
svg.timeline .step-col.divergent .col-bg { fill: #fde6e3; }
svg.timeline .step-col.selected .col-bg { fill: #dde9f8; stroke: #5b8fc9; stroke-width: 1.5; }
svg.timeline .step-col.divergent.selected .col-bg { fill: #fcdcd8; stroke: var(--bad); }
svg.timeline .step-number { text-anchor: middle; font-weight: 600; cursor: pointer; }
svg.timeline .step-col.divergent .step-number { fill: var(--bad); }
svg.timeline [data-step] { cursor: pointer; }
svg.timeline .role-master rect { fill: var(--master); }
svg.timeline .role-replica rect { fill: var(--replica); }
svg.timeline .role-unknown rect { fill: #9aa5b1; }
svg.timeline .role-band text { fill: #fff; font-weight: 600; pointer-events: none; }
svg.timeline .link-up { fill: var(--up); }
svg.timeline .link-cut { fill: var(--cut); }
svg.timeline .link-blackhole { fill: var(--blackhole); }
svg.timeline .link-throttle { fill: var(--throttle); }
svg.timeline .link-connecting { fill: #a8d5ad; }
svg.timeline .backlog { fill: var(--backlog); }
svg.timeline .backlog-predicted { fill: none; stroke: var(--predicted); stroke-width: 1.5; stroke-dasharray: 4 3; }
svg.timeline .offset-observed { fill: none; stroke: var(--observed); stroke-width: 2; }
svg.timeline .offset-predicted { fill: none; stroke: var(--predicted); stroke-width: 1.6; stroke-dasharray: 5 4; }
svg.timeline .offset-point { fill: var(--observed); }
svg.timeline .cell-failed { fill: none; stroke: var(--bad); stroke-width: 2.5; }
svg.timeline .diff-mark { fill: var(--bad); font-size: 15px; font-weight: 700; text-anchor: end; }
svg.timeline .replid { font-family: ui-monospace, monospace; font-size: 11px; font-weight: 600; fill: #4a3b8f; }
svg.timeline .marker text { fill: #fff; font-size: 10px; font-weight: 700; text-anchor: middle; pointer-events: none; }
svg.timeline .marker-full circle { fill: #b4361f; }
svg.timeline .marker-partial circle { fill: var(--good); }
svg.timeline .marker-promoted rect { fill: #c99a06; }
svg.timeline .marker-restart circle { fill: #7b3fa0; }
svg.timeline .marker.mismatch circle, svg.timeline .marker.mismatch rect { stroke: #000; stroke-width: 2; stroke-dasharray: 2 1.5; }
.sw.role-master { background: var(--master); } .sw.role-replica { background: var(--replica); }
.sw.link-up { background: var(--up); } .sw.link-cut { background: var(--cut); } .sw.link-blackhole { background: var(--blackhole); }
.sw.link-throttle { background: var(--throttle); } .sw.link-connecting { background: #a8d5ad; } .sw.backlog { background: var(--backlog); } .sw.backlog-predicted { border: 1.5px dashed var(--predicted); }
.sw.marker-full { background: #b4361f; } .sw.marker-partial { background: var(--good); } .sw.marker-promoted { background: #c99a06; border-radius: 2px; } .sw.marker-restart { background: #7b3fa0; }
.step-detail table { margin: 6px 0; }
table.nodes th, table.nodes td, table.reply th, table.reply td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
table.nodes th.sub { font-weight: 500; color: var(--muted); font-size: 12px; }
table.nodes th.node-head.failed { background: #fde4e2; color: #8e1b16; }
table.nodes td { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
td.pred { color: #6b4a12; background: #fffaf2; }
td.diff, code.diff { background: #fde4e2; color: #8e1b16; font-weight: 600; }
.diff-mark { color: var(--bad); font-weight: 700; }
ul.failures { list-style: none; padding: 0; margin: 4px 0; }
li.failure { border-left: 4px solid var(--bad); background: #fff6f5; padding: 6px 10px; margin: 6px 0; border-radius: 0 6px 6px 0; }
ul.checks { list-style: none; padding: 0 0 0 14px; margin: 2px 0 4px; }
.failure-head .rule-title { margin-left: 4px; }
p.reply { margin: 4px 0 8px; }
.rule-title { font-weight: 600; }
.rule-summary { color: #333c48; }
.rule-area, .also, .clause { color: var(--muted); font-size: 12.5px; }
a.rule-id { font-family: ui-monospace, monospace; font-weight: 700; color: #1f4f8c; text-decoration: none; border-bottom: 1px dotted; }
ul.syncs, ul.notes { margin: 4px 0; padding-left: 20px; }
table.steps { width: 100%; }
table.steps td, table.steps th { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; }
table.steps tr.step-row { cursor: pointer; }
table.steps tr.step-row:hover { background: #f0f5fb; }
table.steps tr.step-row.selected { background: #dde9f8; }
table.steps tr.step-diverged td:first-child { border-left: 4px solid var(--bad); }
table.rules { width: 100%; }
table.rules td, table.rules th { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
table.rules tr.area th { background: #eef1f5; font-weight: 600; font-size: 12.5px; color: var(--muted); }
table.rules td.id { font-family: ui-monospace, monospace; font-weight: 700; white-space: nowrap; }
table.rules td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.rules td.status { white-space: nowrap; }
table.rules tr.rule-failed { background: #fff1f0; }
table.rules tr.rule-failed td.status { color: var(--bad); font-weight: 700; }
table.rules tr.rule-held td.status { color: var(--good); }
table.rules tr.rule-skipped { color: #7b8593; }
table.rules .why { display: block; font-size: 11.5px; white-space: normal; }
table.rules .rule-summary { font-size: 12.5px; color: var(--muted); }
tr:target { outline: 2px solid #5b8fc9; }
.rule-counts { margin: 0 0 8px; }
svg.chart { display: block; max-width: 100%; height: auto; font-family: system-ui, "DejaVu Sans", sans-serif; }
svg.chart .grid { stroke: #edf0f4; }
svg.chart .tick, svg.chart .axis-title { font-size: 10.5px; fill: var(--muted); }
svg.chart .count-line { fill: none; stroke: #8fa3ba; stroke-width: 1.5; }
svg.chart .shrink-band { fill: #efe7f7; }
.point-passed circle { fill: var(--good); }
.point-inconclusive circle { fill: #e6a117; }
.point-diverged circle { fill: #fff; stroke: var(--bad); stroke-width: 2; }
.point-diverged path { stroke: var(--bad); stroke-width: 2.2; }
.point-interrupted circle { fill: #fff; stroke: #7b8593; stroke-width: 1.8; }
.point-error rect { fill: #1d2330; }
.point-shrinking path { fill: #7b3fa0; }
.chart-legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12.5px; color: var(--muted); margin: 2px 0 6px; }
.chart-key { display: inline-flex; align-items: center; gap: 5px; }
.chart-key b { color: var(--fg); }
details.scenario { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 0 10px; }
details.scenario > summary { cursor: pointer; padding: 7px 0; }
details.scenario[open] > summary { border-bottom: 1px solid var(--line); margin-bottom: 8px; }
details.scenario .step-panels { margin: 10px 0; }
details.scenario .timeline-scroll { margin-bottom: 8px; }
b.dropped { color: var(--warn); }
`;
